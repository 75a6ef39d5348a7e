"""Runs the web app starts: a link run fills events, an estimate run gives an interval."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_link_then_estimate_runs_on_the_store(tmp_path: Path) -> None:
    from uncounted.ingest.load import import_path
    from uncounted.pipeline import run_estimate, run_link
    from uncounted.simulate import simulate_world, write_world
    from uncounted.store.models import Event, Report, Run

    world = simulate_world(seed=5, scale=0.2)
    write_world(world, tmp_path / "world")
    import_path(tmp_path / "world", accept_unresolved=True)

    link = run_link(Run.objects.create(kind="link", version="test", seed=3))
    assert Event.objects.count() == link["events"] > 0
    assert Report.objects.filter(event__isnull=True).count() == 0
    assert Run.objects.filter(run_id=link["link_run"]).exists()

    results = run_estimate(Run.objects.create(kind="estimate", version="test", seed=3))
    estimate = results["estimates"][0]
    documented = results["n_events_documented"]
    assert documented == Event.objects.count()
    # Never below what was documented; the interval holds its point.
    assert documented <= estimate["lower"] <= estimate["estimate"] <= estimate["upper"]


def test_estimate_without_links_says_what_to_do() -> None:
    from uncounted.errors import EstimationError
    from uncounted.pipeline import run_estimate
    from uncounted.store.models import Run

    with pytest.raises(EstimationError, match="run a link first"):
        run_estimate(Run.objects.create(kind="estimate", version="test"))


def test_review_queue_follows_the_latest_link_run() -> None:
    from uncounted.store.models import LinkDecision, Run
    from uncounted.web.review_pairs import next_pair

    review = [
        {"kind": "reports", "id_l": "R9", "id_r": "R2", "match_probability": 0.5},
        {"kind": "mentions", "id_l": "M1", "id_r": "M2", "match_probability": 0.5},
        {"kind": "reports", "id_l": "R3", "id_r": "R4", "match_probability": 0.4},
        {"kind": "reports", "id_l": "R5", "id_r": "R6", "match_probability": 0.6},
    ]
    Run.objects.create(kind="link", version="test", status="done", results={"review": review})
    first = next_pair("reports")
    assert first is not None and (first.left_id, first.right_id) == ("R2", "R9")
    skipped = next_pair("reports", after=("R9", "R2"))
    assert skipped is not None and (skipped.left_id, skipped.right_id) == ("R3", "R4")
    LinkDecision.objects.create(
        kind="reports", left_id="R2", right_id="R9", decision="match", decided_by="rev"
    )
    after_decision = next_pair("reports")
    assert after_decision is not None and after_decision.right_id == "R4"
    mention = next_pair("mentions")
    assert mention is not None and (mention.left_id, mention.right_id) == ("M1", "M2")
