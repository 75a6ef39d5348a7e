"""The benchmark that corrects the linker's events from the truth one kind of error at a
time (benchmarks/linkage_error_decomposition.py) must find exactly the errors it names,
and benchmarks/compare_r_lcmcr.py must skip, not fail, where R is absent."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pandas as pd
import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def _module(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, BENCHMARKS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def decomposition() -> ModuleType:
    return _module("linkage_error_decomposition")


@pytest.fixture
def linked() -> pd.DataFrame:
    # event L1: A and B tell T1 (a true overlap) and a second A report of T8 (wrong, but
    # its collection is already there: no overlap made up); event L2: A tells T2 and B's
    # only report there is of T3 (a made-up overlap); R6 is alone but T1 is L1's event
    # (split off); R7 is alone and nobody else told T9 (rightly alone); R5 is alone and
    # is the only report of T3 (B's report of T3 sits in L2: not an event built of it).
    return pd.DataFrame(
        {
            "report_id": ["R1", "R2", "R8", "R3", "R4", "R5", "R6", "R7"],
            "collection": ["A", "B", "A", "A", "B", "A", "A", "C"],
            "event": ["L1", "L1", "L1", "L2", "L2", "L3", "L4", "L5"],
            "true_event": ["T1", "T1", "T8", "T2", "T3", "T3", "T1", "T9"],
        }
    )


def test_the_two_kinds_of_error_are_found_and_nothing_else(
    decomposition: ModuleType, linked: pd.DataFrame
) -> None:
    false_join, split_off = decomposition.corrections(linked)
    # In L2 neither report tells the other's execution: both are flagged, and undoing
    # either gives the same two events.
    assert linked.loc[false_join, "report_id"].tolist() == ["R3", "R4"]
    assert linked.loc[split_off, "report_id"].tolist() == ["R6"]


def test_each_version_moves_only_its_reports(
    decomposition: ModuleType, linked: pd.DataFrame
) -> None:
    def groups(version: str) -> set[frozenset[str]]:
        events = decomposition.corrected(linked, version)
        return {frozenset(part) for _, part in linked.groupby(events)["report_id"]}

    as_linked = groups("linker")
    undone = groups("false joins undone")
    joined = groups("split-offs joined")
    both = groups("both")
    assert frozenset({"R1", "R2", "R8"}) in as_linked
    assert undone == (as_linked - {frozenset({"R3", "R4"})}) | {
        frozenset({"R3"}),
        frozenset({"R4"}),
    }
    assert frozenset({"R1", "R2", "R8", "R6"}) in joined and frozenset({"R6"}) not in joined
    assert frozenset({"R4"}) in both and frozenset({"R1", "R2", "R8", "R6"}) in both
    assert groups("truth") == {
        frozenset({"R1", "R2", "R6"}),
        frozenset({"R8"}),
        frozenset({"R3"}),
        frozenset({"R4", "R5"}),
        frozenset({"R7"}),
    }


def test_the_comparison_with_r_skips_where_r_is_absent(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    compare = _module("compare_r_lcmcr")
    monkeypatch.setattr(compare.shutil, "which", lambda name: None)
    assert compare.main([]) == 0
    assert "skipped: Rscript is not on the PATH" in capsys.readouterr().out
