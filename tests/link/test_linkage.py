"""Linkage of a simulated world against its truth; decisions bind; the model saves to JSON."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from uncounted.link.evaluate import score_clustering
from uncounted.link.explain import waterfall
from uncounted.link.linkage import LinkResult, LinkSettings, link_records
from uncounted.link.model import load_model
from uncounted.simulate import World

pytestmark = pytest.mark.slow


def _truth(world: World, result: LinkResult) -> tuple[list[str], list[str]]:
    events = world.report_event.set_index("report_id")["event_id"]
    victims = world.mention_victim.set_index("mention_id")["victim_id"]
    return (
        events.reindex(result.report_event["report_id"]).tolist(),
        victims.reindex(result.mention_victim["mention_id"]).tolist(),
    )


def test_events_and_victims_recover_the_truth(small_world: World, linked: LinkResult) -> None:
    true_events, true_victims = _truth(small_world, linked)
    events = score_clustering(linked.report_event["event_id"].tolist(), true_events)
    # Measured 0.89 pairwise F1 and 0.91 B-cubed F1 on this world (seed 11, scale 0.3);
    # plain connected components of Splink's defaults score about 0.6 here. The floors
    # leave room for the seeded training sample, not for a lost comparison or constraint.
    assert events.pairwise_f1 >= 0.80
    assert events.bcubed_f1 >= 0.85
    # Within 25 % of the true number of events (measured: 124 for 97).
    assert abs(events.n_predicted - events.n_true) <= 0.3 * events.n_true
    victims = score_clustering(linked.mention_victim["victim_id"].tolist(), true_victims)
    assert victims.bcubed_precision >= 0.9


def test_no_event_holds_two_reports_of_one_source(linked: LinkResult, small_world: World) -> None:
    sources = small_world.reports.set_index("report_id")["source_id"]
    table = linked.report_event.assign(
        source=sources.reindex(linked.report_event["report_id"]).to_numpy()
    )
    assert not table.duplicated(["event_id", "source"]).any()


def test_mentions_of_one_report_are_different_victims(
    linked: LinkResult, small_world: World
) -> None:
    table = linked.mention_victim.merge(
        small_world.victim_mentions[["mention_id", "report_id"]], on="mention_id"
    )
    assert len(table) == len(small_world.victim_mentions)
    assert not table.duplicated(["report_id", "victim_id"]).any()


def test_model_saves_to_json_and_loads_back(linked: LinkResult) -> None:
    saved = json.loads(json.dumps(linked.model_json()))
    assert saved["events"]["training"]["method"] == "em"
    model = load_model(saved["events"])
    weights = model.match_weights()
    assert set(weights["comparison"]) == {
        "date", "place", "victims", "charges", "method", "site_type", "names",
    }  # fmt: skip
    same_county = weights[weights["level"] == "same county"]["match_weight"].iloc[0]
    other_province = weights[weights["level"] == "other province"]["match_weight"].iloc[0]
    assert same_county > 0 > other_province


def test_every_link_has_a_waterfall(linked: LinkResult) -> None:
    assert linked.event_model is not None
    owner = linked.report_event.set_index("report_id")["event_id"]
    pairs = linked.event_pairs
    linked_pairs = pairs[
        owner.reindex(pairs["id_l"]).to_numpy() == owner.reindex(pairs["id_r"]).to_numpy()
    ]
    assert len(linked_pairs) > 0
    steps = waterfall(linked_pairs.iloc[0], linked.event_model)
    assert steps["step"].iloc[0] == "prior" and steps["step"].iloc[-1] == "total"
    # The prior plus every piece of evidence is the pair's match weight.
    assert steps["cumulative"].iloc[-2] == pytest.approx(linked_pairs.iloc[0]["match_weight"])


def test_replicates_are_clusterings_of_the_same_records(linked: LinkResult) -> None:
    assert [r.number for r in linked.replicates] == [1, 2]
    for replicate in linked.replicates:
        assert replicate.report_event["report_id"].tolist() == (
            linked.report_event["report_id"].tolist()
        )
        assert len(replicate.mention_victim) == len(linked.mention_victim)
    counts = [r.report_event["event_id"].nunique() for r in linked.replicates]
    main = linked.report_event["event_id"].nunique()
    assert all(abs(c - main) <= 0.3 * main for c in counts)


def test_replicates_keep_the_number_of_events_at_a_strict_threshold(
    small_world_dir: Path,
) -> None:
    # The report links at 0.8. Replicates cluster drawn links (0 or 1) at their own
    # threshold, a majority: at the linkage's 0.8 they split events (on this world
    # 117-127 events against 107, and 30 % more on the demo's), which made the report's
    # sensitivity rows read far above its estimate. Within 10 % of the linkage's count;
    # measured 106-113.
    reports = pd.read_csv(small_world_dir / "reports.csv", dtype=str, keep_default_na=False)
    mentions = pd.read_csv(
        small_world_dir / "victim_mentions.csv", dtype=str, keep_default_na=False
    )
    settings = LinkSettings(event_threshold=0.8, replicates=4, seed=3)
    result = link_records(reports, mentions, settings=settings)
    main = result.report_event["event_id"].nunique()
    counts = [r.report_event["event_id"].nunique() for r in result.replicates]
    assert all(abs(c / main - 1) <= 0.10 for c in counts), (main, counts)
    assert result.model_json()["settings"]["replicate_threshold"] == 0.5


def test_other_thresholds_cluster_the_same_pairs(small_world_dir: Path) -> None:
    # The sensitivity clusterings reuse the model and pairs: at the main threshold one
    # is the linkage itself, and a stricter one holds at least as many events.
    reports = pd.read_csv(small_world_dir / "reports.csv", dtype=str, keep_default_na=False)
    settings = LinkSettings(event_threshold=0.8, other_thresholds=(0.8, 0.95), seed=3)
    result = link_records(reports, settings=settings)
    pd.testing.assert_frame_equal(result.by_threshold[0.8], result.report_event)
    strict = result.by_threshold[0.95]
    assert strict["report_id"].tolist() == result.report_event["report_id"].tolist()
    assert strict["event_id"].nunique() > result.report_event["event_id"].nunique()
    assert result.model_json()["settings"]["other_thresholds"] == [0.8, 0.95]


def test_one_sided_linkages_move_one_kind_of_decision_each(small_world_dir: Path) -> None:
    from uncounted.link.one_sided import JOINED, UNDONE

    reports = pd.read_csv(small_world_dir / "reports.csv", dtype=str, keep_default_na=False)
    result = link_records(reports, settings=LinkSettings(event_threshold=0.8, one_sided=True))
    main = result.report_event
    events = main["event_id"].nunique()
    assert list(result.one_sided) == [UNDONE, JOINED]
    moved = result.diagnostics["one_sided_moved"]
    for frame in result.one_sided.values():
        assert frame["report_id"].tolist() == main["report_id"].tolist()
    # Undoing joins only splits reports off (every new event is one report), joining
    # only puts lone reports into events: each moved report is one event more or less.
    undone = result.one_sided[UNDONE]["event_id"]
    joined = result.one_sided[JOINED]["event_id"]
    assert undone.nunique() == events + moved[UNDONE]
    assert joined.nunique() == events - moved[JOINED]
    assert moved[UNDONE] > 0 and moved[JOINED] > 0
    split_off = main.assign(new=undone)
    assert (split_off.groupby("new")["event_id"].nunique() == 1).all()
    assert result.model_json()["settings"]["one_sided"] is True
    assert link_records(reports, settings=LinkSettings(event_threshold=0.8)).one_sided == {}


def test_reviewer_decisions_bind(small_world_dir: Path, linked: LinkResult) -> None:
    reports = pd.read_csv(small_world_dir / "reports.csv", dtype=str, keep_default_na=False)
    mentions = pd.read_csv(
        small_world_dir / "victim_mentions.csv", dtype=str, keep_default_na=False
    )
    owner = linked.report_event.set_index("report_id")["event_id"]
    big = owner.value_counts().index[0]
    together = owner[owner == big].index[:2].tolist()
    apart = [owner[owner != big].index[0], together[0]]
    decisions = pd.DataFrame(
        [
            ("reports", together[0], together[1], "no_match"),
            ("reports", apart[0], apart[1], "match"),
        ],
        columns=["kind", "left_id", "right_id", "decision"],
    )
    result = link_records(reports, mentions, decisions=decisions, settings=LinkSettings(seed=3))
    new = result.report_event.set_index("report_id")["event_id"]
    assert new[together[0]] != new[together[1]]
    assert new[apart[0]] == new[apart[1]]
    assert result.diagnostics["report_decisions"] == 2
    assert np.isfinite(result.event_pairs["match_probability"]).all()


def test_a_seeded_run_gives_the_same_clusters_and_model_every_time(
    small_world_dir: Path, linked: LinkResult
) -> None:
    # DuckDB sums in parallel; without rounding the trained probabilities, the last bits
    # of EM's estimates (and so the odd pair at a threshold) changed from run to run.
    reports = pd.read_csv(small_world_dir / "reports.csv", dtype=str, keep_default_na=False)
    mentions = pd.read_csv(
        small_world_dir / "victim_mentions.csv", dtype=str, keep_default_na=False
    )
    again = link_records(reports, mentions, settings=LinkSettings(replicates=2, seed=3))
    pd.testing.assert_frame_equal(again.report_event, linked.report_event)
    pd.testing.assert_frame_equal(again.mention_victim, linked.mention_victim)
    assert json.dumps(again.model_json()["events"]) == json.dumps(linked.model_json()["events"])
    assert json.dumps(again.model_json()["victims"]) == json.dumps(linked.model_json()["victims"])
    for first, second in zip(again.replicates, linked.replicates, strict=True):
        pd.testing.assert_frame_equal(first.report_event, second.report_event)


def test_data_a_training_rule_finds_no_pair_in_still_links(small_world_dir: Path) -> None:
    # No report has a date the parser reads, and no two victims' names start alike:
    # the EM rules that block on them find no pair. Linkage goes on without them and
    # says so in the model's log.
    reports = pd.read_csv(small_world_dir / "reports.csv", dtype=str, keep_default_na=False)
    mentions = pd.read_csv(
        small_world_dir / "victim_mentions.csv", dtype=str, keep_default_na=False
    )
    reports["date_as_told"] = "sometime"
    named = mentions["name_as_told"] != ""
    mentions.loc[named, "name_as_told"] = [f"Q{i}x{i}" for i in range(int(named.sum()))]
    result = link_records(reports, mentions, settings=LinkSettings(seed=1))
    assert len(result.report_event) == len(reports)
    assert result.diagnostics["events"] >= 1
    assert result.event_model is not None and result.victim_model is not None
    assert result.event_model.training["em_rules_without_pairs"]
    assert result.victim_model.training["em_rules_without_pairs"]
    # The saved model loads back (no probability below what Splink accepts).
    load_model(json.dumps(result.event_model.to_dict()))
