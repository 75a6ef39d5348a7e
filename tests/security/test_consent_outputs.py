"""Nothing confidential or without consent appears in the published report, in any API
answer or in any page a viewer or an anonymous visitor can reach, while every figure
still counts it (issue 7; the rule is in docs/security.md "Consent and confidentiality").

One simulated world of ~1,000 sources is imported and linked; half the sources consent,
every fifth report is confidential, half the victim mentions consent. Each report that
may not be published gets a unique marker in its narrative and place as told; each
mention that may not be published gets a marker after its name and age. The report is
written by :func:`uncounted.pipeline.publish.run_report` (the linker reads the marked
text), then every address of the web app is fetched as a viewer and anonymously, and
every file and every response body is scanned for every marker and every identity
(real names, contacts and the values of a field an administrator marked as identifying).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.slow, pytest.mark.store]

PASSWORD = "a-long-test-password-9"


def _mark_withheld() -> dict[str, str]:
    """Put a marker into what each withheld report and mention says; report_id -> marker."""
    from django.db.models import Q

    from uncounted.store.models import Report, VictimMention

    by_report: dict[str, str] = {}
    withheld = Report.objects.filter(Q(confidential=True) | Q(source__publication_consent=False))
    for report in withheld.only("pk", "report_id", "narrative", "place_as_told"):
        mark = f"qzrep{report.pk:05d}x"
        by_report[report.report_id] = mark
        report.narrative = f"{report.narrative} {mark}"
        report.place_as_told = f"{report.place_as_told} {mark}"
        report.save(update_fields=["narrative", "place_as_told"])
    mentions = VictimMention.objects.exclude(
        publication_consent=True,
        report__confidential=False,
        report__source__publication_consent=True,
    )
    for mention in mentions.only("pk", "name_as_told", "age_as_told"):
        # The name as told is kept in front (the linker blocks on its first letters).
        mention.name_as_told = f"{mention.name_as_told} Qzname{mention.pk:05d}x"
        mention.age_as_told = f"{mention.age_as_told} qzmen{mention.pk:05d}x"
        mention.save(update_fields=["name_as_told", "age_as_told"])
    return by_report


def _world(tmp_path: Path) -> tuple[Any, dict[str, str]]:
    from uncounted.ingest.load import import_path
    from uncounted.simulate import simulate_world, write_world
    from uncounted.store.models import Report, Source, VictimMention

    world = simulate_world(seed=7, scale=0.26)
    assert len(world.sources) >= 1_000
    write_world(world, tmp_path / "world")
    import_path(tmp_path / "world", accept_unresolved=True)
    sources = list(Source.objects.order_by("pk").values_list("pk", flat=True))
    Source.objects.filter(pk__in=sources[::2]).update(publication_consent=True)
    reports = list(Report.objects.order_by("pk").values_list("pk", flat=True))
    Report.objects.filter(pk__in=reports[::5]).update(confidential=True)
    mentions = list(VictimMention.objects.order_by("pk").values_list("pk", flat=True))
    VictimMention.objects.filter(pk__in=mentions[::2]).update(publication_consent=True)
    return world, _mark_withheld()


def _identities(world: Any) -> set[str]:
    """Contacts and real names of sources (a real name also told as testimony excepted)."""
    told = " ".join(
        str(v)
        for column in (world.victim_mentions["name_as_told"], world.reports["narrative"])
        for v in column
        if isinstance(v, str)
    )
    out = {v for v in world.sources["contact"] if isinstance(v, str) and v}
    out |= {v for v in world.sources["real_name"] if isinstance(v, str) and v and v not in told}
    return out


def _mark_identifying_fields() -> set[str]:
    """A field an administrator marked as identifying, with a unique value per identity."""
    from uncounted.store.identifying import define_field, encode_extra
    from uncounted.store.models import SourceIdentity

    define_field("hometown", "Hometown", "고향")
    rows = list(SourceIdentity.objects.all())
    for row in rows:
        row.extra = encode_extra({"hometown": f"qzhome{row.pk:05d}x"})
    SourceIdentity.objects.bulk_update(rows, ["extra"])
    assert rows
    return {f"qzhome{row.pk:05d}x" for row in rows}


def _report_text(folder: Path) -> str:
    texts = []
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            texts.append(data.decode("utf-8", errors="replace"))
            texts.append(data.decode("latin-1"))  # PNG text chunks, whatever their coding
    return "\n".join(texts)


def _body(response: Any) -> str:
    if not response.streaming:
        return str(response.content.decode("utf-8", errors="replace"))
    from django.core.signals import request_finished
    from django.db import close_old_connections

    data = b"".join(response.streaming_content)
    # Close the file without closing the test's database connection (as the test client
    # itself does around a response's end).
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)
    return data.decode("utf-8", errors="replace")


def _addresses() -> dict[str, list[str]]:
    """Every address of the web app with real ids in it (each pattern, one list)."""
    from django.urls import URLPattern, reverse

    from uncounted.store.models import Collection, Event, Interview, Report, Run, Source
    from uncounted.web.urls import urlpatterns

    withheld = list(
        Report.objects.filter(confidential=True).values_list("report_id", flat=True)[:5]
    ) + list(
        Report.objects.filter(source__publication_consent=False).values_list(
            "report_id", flat=True
        )[:5]
    )
    values: dict[str, list[Any]] = {
        "collection_id": list(Collection.objects.values_list("collection_id", flat=True)),
        "source_id": list(
            Source.objects.filter(publication_consent=False).values_list("source_id", flat=True)[:5]
        ),
        "interview_id": list(Interview.objects.values_list("interview_id", flat=True)[:5]),
        "report_id": withheld,
        "event_id": list(Event.objects.values_list("event_id", flat=True)),
        "run_id": [str(r) for r in Run.objects.values_list("run_id", flat=True)],
        "user_id": [1],
        "token": ["A" * 24],
        "vocabulary": ["charges"],
        "path": ["uncounted/app.css"],
    }
    out: dict[str, list[str]] = {}
    for pattern in urlpatterns:
        assert isinstance(pattern, URLPattern)
        names = list(pattern.pattern.regex.groupindex)
        name = str(pattern.name)
        if not names:
            out[name] = [reverse(name)]
            continue
        assert len(names) == 1, f"{name}: teach this test the address's parameters"
        out[name] = [reverse(name, kwargs={names[0]: v}) for v in values[names[0]]]
        assert out[name], f"{name}: no record to fill {names[0]} with"
    return out


def test_nothing_withheld_reaches_any_public_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    from django.test import Client

    from uncounted.link.linkage import LinkSettings
    from uncounted.link_store import link_and_save
    from uncounted.pipeline import publish
    from uncounted.report.settings import LCMCRSettings, ReportSettings
    from uncounted.store import connect
    from uncounted.store.models import Event, Report, Run, VictimMention
    from uncounted.web.accounts import create_user
    from uncounted.web.roles import Role

    world, marks = _world(tmp_path)
    n_reports = Report.objects.count()
    publishable = Report.objects.filter(
        confidential=False, source__publication_consent=True
    ).count()
    assert 0 < publishable < n_reports and len(marks) == n_reports - publishable
    mention_marks = [
        f"Qzname{pk:05d}x"
        for pk in VictimMention.objects.filter(name_as_told__contains="Qzname").values_list(
            "pk", flat=True
        )
    ]
    assert mention_marks
    secrets = set(marks.values()) | set(mention_marks) | _identities(world)
    secrets |= _mark_identifying_fields()
    link_and_save(LinkSettings(seed=3))  # events for the web app, from the marked text

    # The published report: the linker reads the marked text, nothing published may.
    monkeypatch.setattr(connect, "open_store", lambda db=None, **_: "test store")
    out = tmp_path / "report"
    run = publish.run_report(
        None,
        out,
        ReportSettings(lcmcr=LCMCRSettings(burnin=2_000, samples=200, thin=20), link_replicates=0),
    )
    report_text = _report_text(out)
    leaked = sorted(s for s in secrets if s in report_text)
    assert leaked == [], f"{len(leaked)} withheld values in the report, e.g. {leaked[:3]}"
    # ... and still counts them: more reports than publishable ones stand behind the figures.
    assert publishable < run.summary["n_reports"] <= n_reports
    assert f"{len(marks):,} report(s) are confidential" in (out / "report.html").read_text(
        encoding="utf-8"
    )

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    clients = {"anonymous": Client()}
    for role in ("viewer", "analyst"):
        clients[role] = Client()
        clients[role].force_login(create_user(role, Role(role), PASSWORD))
    addresses = _addresses()
    bodies: list[str] = []
    for who in ("viewer", "anonymous"):
        for paths in addresses.values():
            for path in paths:
                response = clients[who].get(path)
                assert response.status_code < 500, (who, path)
                body = _body(response)
                bodies.append(body)
                found = [s for s in secrets if s in body]
                assert found == [], f"{who} GET {path}: {len(found)} withheld values"
    assert bodies

    # The viewer's aggregates still count everything.
    viewer = clients["viewer"]
    dashboard = viewer.get("/").content.decode()
    assert re.search(rf'data-figure="reports">\s*{n_reports}\s*<', dashboard)
    events = viewer.get("/api/events?per_page=100").json()
    assert events["withheld"] > 0
    assert events["count"] + events["withheld"] == Event.objects.count()
    # An event resting on withheld testimony: counted, its details null for the viewer.
    hidden = Event.objects.filter(reports__confidential=True).first()
    assert hidden is not None
    detail = viewer.get(f"/api/events/{hidden.event_id}").json()
    assert detail["withheld"] is True and detail["date"]["start"] is None
    assert hidden.event_id not in {e["event_id"] for e in events["results"]}
    # The scan can see: the team reads the marked testimony through the same API.
    report_id, mark = next(iter(marks.items()))
    assert mark in clients["analyst"].get(f"/api/reports/{report_id}").content.decode()
    team_detail = clients["analyst"].get(f"/api/events/{hidden.event_id}").json()
    assert team_detail["withheld"] is False and team_detail["date"]["start"] is not None
    # A link run's review queue lists pairs of reports: the team's, not the viewer's.
    link_run = Run.objects.get(kind="link").run_id
    assert "review" not in viewer.get(f"/api/runs/{link_run}").json()["results"]
    assert "review" in clients["analyst"].get(f"/api/runs/{link_run}").json()["results"]
