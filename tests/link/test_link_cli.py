"""``uncounted link`` and ``uncounted review`` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from uncounted.commands import link as link_command
from uncounted.commands import review as review_command
from uncounted.link.backend import spark_available

pytestmark = pytest.mark.slow


def _app() -> typer.Typer:
    """The CLI with the link and review commands (whether or not the registry has them)."""
    from uncounted.cli import app

    names = {c.name for c in app.registered_commands} | {g.name for g in app.registered_groups}
    if "link" not in names:
        link_command.register(app)
    if "review" not in names:
        review_command.register(app)
    return app


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(_app(), list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


def test_file_mode_writes_the_layout_and_evaluates(small_world_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, output = _run(
        "link", str(small_world_dir), "--out", str(out), "--replicates", "2",
        "--evaluate", str(small_world_dir / "truth"), "--json",
    )  # fmt: skip
    assert code == 0, output
    payload = json.loads(output)
    for kind in ("events", "victims"):
        assert {
            "pairwise_precision", "pairwise_recall", "pairwise_f1", "bcubed_f1",
            "n_true", "n_predicted",
        } <= set(payload[kind])  # fmt: skip
    assert payload["events"]["pairwise_f1"] >= 0.8  # measured 0.89 (see test_linkage)
    report_event = pd.read_csv(out / "report_event.csv", dtype=str)
    assert list(report_event.columns) == ["report_id", "event_id"]
    reports = pd.read_csv(small_world_dir / "reports.csv", dtype=str)
    assert sorted(report_event["report_id"]) == sorted(reports["report_id"])
    mention_victim = pd.read_csv(out / "mention_victim.csv", dtype=str)
    assert list(mention_victim.columns) == ["mention_id", "victim_id"]
    model = json.loads((out / "model.json").read_text(encoding="utf-8"))
    assert model["events"]["splink_settings"]["comparisons"]
    for i in (1, 2):
        folder = out / "replicates" / f"r{i}"
        assert pd.read_csv(folder / "report_event.csv").shape == report_event.shape
        assert (folder / "mention_victim.csv").exists()


def test_text_output_prints_both_score_rows(small_world_dir: Path, tmp_path: Path) -> None:
    code, output = _run(
        "link", str(small_world_dir), "--out", str(tmp_path / "o"),
        "--evaluate", str(small_world_dir), "--threshold", "0.4",
    )  # fmt: skip
    assert code == 0, output
    assert "events" in output and "victims" in output and "B-cubed" in output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--threshold", "1.5"], "--threshold"),
        (["--backend", "oracle"], "--backend"),
        (["--replicates", "-1"], "--replicates"),
    ],
)
def test_bad_options_say_what_to_do(
    small_world_dir: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    from uncounted.errors import ConfigurationError

    with pytest.raises(ConfigurationError, match=message):
        _run("link", str(small_world_dir), "--out", str(tmp_path / "o"), *args)


def test_missing_out_is_refused(small_world_dir: Path) -> None:
    from uncounted.errors import ConfigurationError

    with pytest.raises(ConfigurationError, match="--out"):
        _run("link", str(small_world_dir))


@pytest.mark.skipif(not spark_available(), reason="pyspark is not installed (spark backend)")
def test_spark_gives_the_same_events_as_duckdb(small_world_dir: Path, tmp_path: Path) -> None:
    for backend in ("duckdb", "spark"):
        code, output = _run(
            "link", str(small_world_dir), "--out", str(tmp_path / backend), "--backend", backend
        )
        assert code == 0, output
    from uncounted.link.evaluate import score_clustering

    for name, key in (("report_event", "report_id"), ("mention_victim", "mention_id")):
        duck = pd.read_csv(tmp_path / "duckdb" / f"{name}.csv", dtype=str).sort_values(key)
        spark = pd.read_csv(tmp_path / "spark" / f"{name}.csv", dtype=str).sort_values(key)
        assert duck[key].tolist() == spark[key].tolist()
        same = score_clustering(duck.iloc[:, 1].tolist(), spark.iloc[:, 1].tolist())
        assert same.pairwise_f1 == pytest.approx(1.0), name
    # One model: trained once (on DuckDB, see TrainingSettings.engine), scored on each.
    models = [json.loads((tmp_path / b / "model.json").read_text()) for b in ("duckdb", "spark")]
    for kind in ("events", "victims"):
        duck_model, spark_model = (m[kind]["splink_settings"] for m in models)
        assert duck_model["comparisons"] == spark_model["comparisons"]
    links = [pd.read_csv(tmp_path / b / "event_links.csv") for b in ("duckdb", "spark")]
    assert len(links[0]) == len(links[1]) > 0


# Not marked "store": the backend never touches the database, and one Spark run of
# the store path (on SQLite) is enough; the PostgreSQL pass runs the DuckDB one above.
@pytest.mark.skipif(not spark_available(), reason="pyspark is not installed (spark backend)")
@pytest.mark.django_db
def test_store_links_on_spark_as_on_duckdb(small_world_dir: Path) -> None:
    from uncounted.ingest.load import import_path
    from uncounted.link.evaluate import score_clustering
    from uncounted.store.models import Report

    import_path(small_world_dir)
    events = {}
    for backend in ("spark", "duckdb"):
        code, output = _run("link", "--backend", backend, "--json")
        assert code == 0, output
        rows = Report.objects.order_by("report_id").values_list("report_id", "event__event_id")
        events[backend] = dict(rows)
    assert None not in events["spark"].values()
    assert list(events["spark"]) == list(events["duckdb"])
    same = score_clustering(list(events["spark"].values()), list(events["duckdb"].values()))
    assert same.pairwise_f1 == pytest.approx(1.0)


def test_spark_without_pyspark_gives_an_install_hint(
    small_world_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from uncounted.errors import ConfigurationError
    from uncounted.link import backend

    monkeypatch.setattr(backend, "spark_available", lambda: False)
    monkeypatch.setattr(backend, "_SESSION", [])
    with pytest.raises(ConfigurationError, match="pip install"):
        _run("link", str(small_world_dir), "--out", str(tmp_path / "o"), "--backend", "spark")


@pytest.mark.django_db
@pytest.mark.store
def test_store_link_review_and_decide(small_world_dir: Path) -> None:
    from uncounted.ingest.load import import_path
    from uncounted.store.models import Event, LinkDecision, Report, Run, Victim

    import_path(small_world_dir)
    code, output = _run("link", "--json")
    assert code == 0, output
    assert Event.objects.count() == json.loads(output)["summary"]["events"]
    assert Victim.objects.count() > 0
    assert not Report.objects.filter(event__isnull=True).exists()
    run = Run.objects.get(kind=Run.Kind.LINK)
    assert run.results["model"]["events"]["splink_settings"]["comparisons"]

    code, output = _run("review", "--limit", "3", "--json")
    assert code == 0, output
    pairs = json.loads(output)["pairs"]
    assert 0 < len(pairs) <= 3
    assert all(0.1 <= p["match_probability"] <= 0.9 for p in pairs)
    assert any(k.startswith("mw_") for k in pairs[0])
    first = pairs[0]
    decision = "--no-match" if first["match_probability"] >= 0.5 else "--match"
    code, output = _run(
        "review", "decide", first["id_l"], first["id_r"], decision, "--note", "t", "--by", "rev"
    )
    assert code == 0, output
    saved = LinkDecision.objects.get()
    assert saved.decided_by == "rev" and saved.note == "t"

    code, output = _run("link")
    assert code == 0, output
    assert Run.objects.filter(kind=Run.Kind.LINK).count() == 2
    if first["kind"] == "reports":
        left = Report.objects.get(report_id=first["id_l"]).event_id
        right = Report.objects.get(report_id=first["id_r"]).event_id
        assert (left == right) == (decision == "--match")
    code, output = _run("review", "--json")
    assert all(
        (p["id_l"], p["id_r"]) != (first["id_l"], first["id_r"])
        for p in json.loads(output)["pairs"]
    )
