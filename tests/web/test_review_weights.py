"""The review page's waterfall: each comparison's level and match weight from the latest
link run's saved queue, adding up from the prior to the total shown, in Korean too."""

from __future__ import annotations

import html
import math
import re
from typing import Any

import pytest

pytestmark = pytest.mark.django_db

PRIOR = 0.01


def _model(kind: str, comparisons: list[dict[str, Any]]) -> dict[str, Any]:
    """A trained model as a link run saves it: level k has match weight 3 - 2k."""
    for comparison in comparisons:
        k = 0
        for level in comparison["comparison_levels"]:
            if level.get("is_null_level"):
                continue
            level["m_probability"] = 0.5
            level["u_probability"] = 0.5 / 2 ** (3 - 2 * k)
            k += 1
    return {
        "kind": kind,
        "training": {"method": "em"},
        "splink_settings": {
            "comparisons": comparisons,
            "probability_two_random_records_match": PRIOR,
        },
    }


def _entry(kind: str, left: str, right: str, levels: dict[str, int | None]) -> dict[str, Any]:
    weights = {f"mw_{name}": 0.0 if k is None else 3.0 - 2 * k for name, k in levels.items()}
    total = math.log2(PRIOR / (1 - PRIOR)) + sum(weights.values())
    return {
        "kind": kind,
        "id_l": right,  # the queue's order need not be the page's
        "id_r": left,
        "match_probability": 1 / (1 + 2**-total),
        "match_weight": total,
        **weights,
    }


@pytest.fixture
def link_run(casebook: Any) -> Any:
    from uncounted.link.comparisons import event_comparisons, victim_comparisons
    from uncounted.store.models import Run

    report_levels = {
        "date": 3,  # overlap, both within a year: -3
        "place": 0,  # same county: +3
        "victims": None,  # count unknown: 0
        "charges": 1,  # a charge in common: +1
        "method": 0,
        "site_type": 1,
        "names": 4,
    }
    mention_levels = {"name": 2, "sex": 0, "age": 3, "event": 1}
    return Run.objects.create(
        kind=Run.Kind.LINK,
        status="done",
        version="test",
        results={
            "model": {
                "events": _model("events", event_comparisons()),
                "victims": _model("victims", victim_comparisons()),
            },
            "review": [
                _entry("reports", "R001", "R002", report_levels),
                _entry("mentions", "M001", "M002", mention_levels),
            ],
        },
    )


def _rows(page: str) -> dict[str, tuple[str, float]]:
    """comparison -> (level shown, match weight shown), from the waterfall table."""
    table = page.split('<table class="list waterfall">', 1)[1].split("</table>", 1)[0]
    rows: dict[str, tuple[str, float]] = {}
    for name, body in re.findall(r'<tr class="[^"]*" data-comparison="([^"]+)">(.*?)</tr>', table):
        cells = [html.unescape(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", body, flags=re.S)]
        rows[name] = (cells[1], float(cells[2]))
    return rows


def test_review_page_shows_each_comparisons_weight_adding_up_to_the_total(
    clients: dict[str, Any], link_run: Any
) -> None:
    page = clients["reviewer"].get("/review/", headers={"Accept-Language": "en"})
    assert (page.context["pair"].left_id, page.context["pair"].right_id) == ("R001", "R002")
    rows = _rows(page.content.decode())
    steps = {k: v for k, v in rows.items() if k not in {"prior", "total"}}
    assert set(steps) == {"date", "place", "victims", "charges", "method", "site_type", "names"}
    assert steps["place"] == ("same county", 3.0)
    assert steps["date"] == ("overlap, both within a year", -3.0)
    assert steps["victims"] == ("not told", 0.0)
    assert steps["names"] == ("different names", -5.0)
    assert steps["charges"] == ("a charge in common", 1.0)
    prior = rows["prior"][1]
    assert prior == pytest.approx(math.log2(PRIOR / (1 - PRIOR)), abs=0.005)
    total = rows["total"][1]
    assert prior + sum(w for _, w in steps.values()) == pytest.approx(total, abs=0.02)
    probability = 1 / (1 + 2**-total)
    assert f"{round(probability * 100)}%" in rows["total"][0]
    # Bars are placed by class, never by inline style (the CSP forbids it).
    html_text = page.content.decode()
    assert "style=" not in html_text.split('<table class="list waterfall">', 1)[1]
    assert re.search(r'class="wf-bar for wf-at-\d+ wf-w-\d+"', html_text)


def test_waterfall_labels_are_in_korean(clients: dict[str, Any], link_run: Any) -> None:
    page = clients["reviewer"].get("/review/", headers={"Accept-Language": "ko"})
    text = html.unescape(page.content.decode())
    for korean in (
        "찬반 증거: 일치 가중치",
        "같은 시·군",
        "겹침, 둘 다 한 해 이내",
        "진술 없음",
        "일치 확률",
    ):
        assert korean in text
    assert "same county" not in text
    # The plain comparison below it is in Korean too.
    assert "날짜 범위가 겹침" in text and "the date ranges overlap" not in text


def test_mention_pairs_get_their_waterfall_too(clients: dict[str, Any], link_run: Any) -> None:
    page = clients["reviewer"].get("/review/?kind=mentions", headers={"Accept-Language": "en"})
    rows = _rows(page.content.decode())
    steps = {k: v for k, v in rows.items() if k not in {"prior", "total"}}
    assert set(steps) == {"name", "sex", "age", "event"}
    assert steps["event"] == ("same event, a few victims", 1.0)
    assert rows["prior"][1] + sum(w for _, w in steps.values()) == pytest.approx(
        rows["total"][1], abs=0.02
    )


def test_no_waterfall_without_a_scored_pair(clients: dict[str, Any], casebook: Any) -> None:
    page = clients["reviewer"].get("/review/")
    assert page.context["pair"] is not None and page.context["waterfall"] is None
    assert "waterfall" not in page.content.decode()


def test_every_level_label_of_the_models_has_a_korean_translation() -> None:
    from tests.web.test_i18n import PO, _po_entries

    from uncounted.link.comparisons import event_comparisons, victim_comparisons
    from uncounted.web.review_weights import PRIOR_LABEL

    entries = _po_entries(PO)
    wanted = {PRIOR_LABEL, "not told"}
    for comparison in event_comparisons() + victim_comparisons():
        wanted.add(comparison["output_column_name"])
        wanted.update(level["label_for_charts"] for level in comparison["comparison_levels"])
    assert not sorted(w for w in wanted if not entries.get(w))
