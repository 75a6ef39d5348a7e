"""Report entry, live reading of dates and places, completion, editing conflicts, lists."""

from __future__ import annotations

import re
from typing import Any

import pytest

pytestmark = pytest.mark.django_db


def _form(**values: str) -> dict[str, str]:
    data = {
        "report_id": "R200",
        "source_id": "S001",
        "collection_id": "C01",
        "date_as_told": "2007년 가을",
        "place_as_told": "함경북도 회령시",
        "victims_as_told": "3명",
        "charges": "밀수",
        "method": "총살",
        "how_known": "saw",
        "violation": "public_execution",
        "narrative": "역전 광장에서 있었다.",
        "mentions-TOTAL_FORMS": "2",
        "mentions-INITIAL_FORMS": "0",
        "mentions-0-name_as_told": "리영호",
        "mentions-0-sex": "m",
        "mentions-0-age_as_told": "50대",
        "mentions-1-name_as_told": "",
    }
    data.update(values)
    return data


def test_a_report_entered_in_korean_is_read_and_saved(
    clients: dict[str, Any], casebook: Any
) -> None:
    from uncounted.store.models import Report

    response = clients["analyst"].post("/reports/new/", _form())
    assert response.status_code == 302 and response["Location"] == "/reports/R200/"
    report = Report.objects.get(report_id="R200")
    assert (str(report.date_start), str(report.date_end), report.date_precision) == (
        "2007-09-01",
        "2007-11-30",
        "season",
    )
    assert report.place_id == "KP-09-hoeryeong" and report.place_iso == "KP-09"
    assert report.charges == "smuggling" and report.method == "firing_squad"
    assert (report.victims_min, report.victims_max) == (3, 3) and report.version == 1
    names = list(report.mentions.values_list("name_as_told", "mention_id"))
    assert names == [("리영호", "R200-M1")]
    page = clients["analyst"].get("/reports/R200/").content.decode()
    assert "2007-09-01" in page and "리영호" in page


def test_validation_messages_say_what_to_fix_and_nothing_is_saved(
    clients: dict[str, Any], casebook: Any
) -> None:
    from uncounted.store.models import Report

    response = clients["analyst"].post(
        "/reports/new/",
        _form(
            source_id="S999",
            date_as_told="when the river froze",
            place_as_told="Atlantis",
            **{"mentions-0-age_as_told": "very old"},
        ),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "source_id" in form.errors and "sources.csv or the store" in str(
        form.errors["source_id"]
    )
    assert "spring 2005" in str(form.errors["date_as_told"])
    assert "gazetteer" in str(form.errors["place_as_told"])
    assert any("victim 1, age_as_told" in e for e in form.non_field_errors())
    assert not Report.objects.filter(report_id="R200").exists()
    # Keeping what the parser cannot read is a choice, and then the value is flagged.
    kept = clients["analyst"].post(
        "/reports/new/", _form(place_as_told="Atlantis", accept_unresolved="on")
    )
    assert kept.status_code == 302
    assert Report.objects.get(report_id="R200").place_flagged


def test_a_used_report_id_is_refused(clients: dict[str, Any], casebook: Any) -> None:
    response = clients["analyst"].post("/reports/new/", _form(report_id="R001"))
    assert "no other report uses" in str(response.context["form"].errors["report_id"])


def _edit_data(page: Any) -> dict[str, str]:
    form = page.context["form"]
    data = {name: "" if v is None else str(v) for name, v in form.initial.items()}
    data.update(
        {
            "mentions-TOTAL_FORMS": "1",
            "mentions-INITIAL_FORMS": "1",
            "mentions-0-mention_id": "M001",
            "mentions-0-name_as_told": "장성택",
            "mentions-0-sex": "m",
            "mentions-0-age_as_told": "40대",
        }
    )
    return data


def test_two_editors_the_second_save_gets_a_conflict(
    clients: dict[str, Any], casebook: Any
) -> None:
    from uncounted.store.models import Report

    alice, bob = clients["analyst"], clients["admin"]
    a = _edit_data(alice.get("/reports/R001/edit/"))
    b = _edit_data(bob.get("/reports/R001/edit/"))
    assert a["version"] == b["version"] == "1"
    first = alice.post("/reports/R001/edit/", {**a, "victims_as_told": "4"})
    assert first.status_code == 302
    second = bob.post("/reports/R001/edit/", {**b, "victims_as_told": "7"})
    assert second.status_code == 409
    text = second.content.decode()
    assert "Conflict" in text and "NOT saved" in text
    stored = Report.objects.get(report_id="R001")
    assert stored.victims_as_told == "4" and stored.version == 2
    # The form now carries the stored version: saving again is a deliberate overwrite.
    assert re.search(r'name="version" value="2"', text)
    again = bob.post("/reports/R001/edit/", {**b, "victims_as_told": "7", "version": "2"})
    assert again.status_code == 302
    assert Report.objects.get(report_id="R001").victims_as_told == "7"


def test_editing_keeps_mention_ids_and_drops_emptied_rows(
    clients: dict[str, Any], casebook: Any
) -> None:
    from uncounted.store.models import VictimMention

    data = _edit_data(clients["analyst"].get("/reports/R001/edit/"))
    data.update({"mentions-TOTAL_FORMS": "2", "mentions-1-name_as_told": "최은희"})
    assert clients["analyst"].post("/reports/R001/edit/", data).status_code == 302
    assert set(
        VictimMention.objects.filter(report__report_id="R001").values_list("mention_id", flat=True)
    ) == {
        "M001",
        "R001-M1",
    }
    data["version"] = "2"
    data.update({"mentions-0-name_as_told": "", "mentions-0-sex": "", "mentions-0-age_as_told": ""})
    assert clients["analyst"].post("/reports/R001/edit/", data).status_code == 302
    assert not VictimMention.objects.filter(mention_id="M001").exists()


@pytest.mark.parametrize(
    ("told", "start", "end", "precision"),
    [
        ("2005년 봄", "2005-03-01", "2005-05-31", "season"),
        ("around 2008", "2007-01-01", "2009-12-31", "around"),
        ("2010년 3월 초순", "2010-03-01", "2010-03-10", "part_of_year"),
    ],
)
def test_date_is_read_while_typing(
    clients: dict[str, Any], told: str, start: str, end: str, precision: str
) -> None:
    html = clients["analyst"].get("/parse/date/", {"date_as_told": told}).content.decode()
    assert f'data-date-start="{start}"' in html and f'data-date-end="{end}"' in html
    assert f'data-precision="{precision}"' in html
    as_json = clients["analyst"].get("/parse/date/", {"q": told, "format": "json"}).json()
    assert (as_json["start"], as_json["end"], as_json["precision"]) == (start, end, precision)


def test_unreadable_date_says_which_forms_work(clients: dict[str, Any]) -> None:
    html = clients["analyst"].get("/parse/date/", {"date_as_told": "xyzzy"}).content.decode()
    assert "Not understood" in html and "spring 2005" in html


def test_place_is_resolved_with_its_hierarchy(clients: dict[str, Any]) -> None:
    html = (
        clients["analyst"].get("/parse/place/", {"place_as_told": "Hyesan City"}).content.decode()
    )
    assert 'data-place-code="KP-10-hyesan"' in html
    assert html.index("Ryanggang") < html.index("Hyesan")
    ko = (
        clients["analyst"]
        .get("/parse/place/", {"place_as_told": "혜산"}, headers={"Accept-Language": "ko"})
        .content.decode()
    )
    assert "량강도" in ko and "혜산시" in ko


@pytest.mark.parametrize("typed", ["회령", "Hoeryŏng", "Hoeryeong", "hoer"])
def test_places_complete_in_hangul_and_romanizations(clients: dict[str, Any], typed: str) -> None:
    options = clients["analyst"].get("/autocomplete/places/", {"q": typed, "format": "json"}).json()
    values = [o["value"] for o in options["options"]]
    assert values, typed
    assert "회령" in values[0] or "Hoeryong" in values[0]
    if typed == "회령":
        assert values[0] == "함경북도 회령시"


def test_vocabulary_terms_complete_in_either_language(clients: dict[str, Any]) -> None:
    got = (
        clients["analyst"]
        .get("/autocomplete/charges/", {"q": "drugs; 밀", "format": "json"})
        .json()
    )
    assert [o["value"] for o in got["options"]] == ["drugs; smuggling"]
    methods = (
        clients["analyst"].get("/autocomplete/method/", {"q": "hang", "format": "json"}).json()
    )
    assert [o["value"] for o in methods["options"]] == ["hanging"]


def test_report_list_filters_sorts_and_pages(clients: dict[str, Any], casebook: Any) -> None:
    from uncounted.store.models import Collection, Report, Source

    source, collection = (
        Source.objects.get(source_id="S002"),
        Collection.objects.get(collection_id="C02"),
    )
    Report.objects.bulk_create(
        Report(
            report_id=f"X{i:03d}",
            source=source,
            collection=collection,
            date_as_told=str(2000 + i % 5),
            date_start=f"{2000 + i % 5}-01-01",
            date_end=f"{2000 + i % 5}-12-31",
            date_precision="year",
            place_iso="KP-09" if i % 2 else "KP-04",
            charges="murder" if i % 3 == 0 else "theft_state_property",
        )
        for i in range(60)
    )
    client = clients["reviewer"]

    def ids(query: str) -> list[str]:
        page = client.get(f"/reports/?{query}").context["listing"].page
        return [r.report_id for r in page.object_list]

    assert len(ids("")) == 50 and len(ids("page=2")) == 12
    assert ids("q=X05") == [f"X05{i}" for i in range(10)]
    assert all(int(r[1:]) % 5 == 3 for r in ids("year=2003"))
    assert set(ids("year=2005&collection=C01")) == {"R001"}
    assert all(int(r[1:]) % 3 == 0 for r in ids("charge=murder"))
    assert ids("province=KP-04&per_page=25&sort=-report_id")[:2] == ["X058", "X056"]
    assert ids("how_known=saw") == ["R001"]
    assert ids("q=시장에서") == []  # narratives are searched only when asked
    assert ids("q=시장에서&narrative=1") == ["R001"]
    assert ids("q=혜산") == ["R001"]  # the place as told
    partial = client.get(
        "/reports/?q=R00", headers={"HX-Request": "true", "HX-Target": "report-table"}
    )
    assert b"<html" not in partial.content and b"R002" in partial.content


def test_other_lists_filter(clients: dict[str, Any], casebook: Any) -> None:
    client = clients["analyst"]
    assert [
        s.source_id for s in client.get("/sources/?collection=C02").context["listing"].items
    ] == ["S002"]
    assert [s.source_id for s in client.get("/sources/?q=W-2009").context["listing"].items] == [
        "S001"
    ]
    assert [
        c.collection_id
        for c in client.get("/collections/?kind=press_archive").context["listing"].items
    ] == ["C02"]
    assert [
        i.interview_id for i in client.get("/interviews/?year=2009").context["listing"].items
    ] == ["I001"]
    assert client.get("/interviews/?year=abc").status_code == 200


def test_a_web_save_is_logged_as_the_signed_in_user(
    clients: dict[str, Any], users: dict[str, Any], casebook: Any
) -> None:
    from uncounted.store.audit import flush
    from uncounted.store.models import AuditEntry, AuditPending

    clients["analyst"].post("/reports/new/", _form())
    flush()
    latest = AuditEntry.objects.filter(table="store.report").order_by("-seq").first()
    assert AuditPending.objects.count() == 0
    assert latest is not None
    assert latest.actor == f"web:{users['analyst'].get_username()}"


def test_a_used_report_id_is_refused_in_korean(clients: dict[str, Any], casebook: Any) -> None:
    response = clients["analyst"].post(
        "/reports/new/", _form(report_id="R001"), HTTP_ACCEPT_LANGUAGE="ko"
    )
    errors = str(response.context["form"].errors["report_id"])
    assert "다른 보고에서 쓰지 않는 ID" in errors and "no other report uses" not in errors
