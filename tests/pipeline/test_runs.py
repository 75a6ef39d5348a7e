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
