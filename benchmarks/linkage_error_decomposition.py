"""Which of the linker's errors move the count, and how far: the linker's events corrected
from the simulator's truth one kind of error at a time.

For each seed this runs ``uncounted demo --seed S --linkage splink`` (a fresh process and
folder, as ``demo_coverage.py`` does), relinks its casebook with the report's settings, and
estimates the headline (events and people executed 2000-2014, stratified LCMCR as the
report runs it) on five versions of the events:

``linker``
    the linker's events as they are;
``false joins undone``
    every report that is the only one of its collection in an event that other collections
    tell, but whose true event no other report of that event shares, stands alone (the
    overlaps between collections that the linker made up);
``split-offs joined``
    every report the linker left alone joins the linker's event of its execution, where
    there is one (an event of two or more reports, more than half of which tell that
    execution): the events seen once that the linker made up;
``both``
    the two corrections together;
``truth``
    the simulator's events.

It prints one row per seed and version (estimate / truth, whether each 95 % interval
contains the truth, the interval's width / truth) and a summary per version. The counts of
the two errors are printed per seed too. Not part of ``make bench``: about a minute a seed.

Run: ``python benchmarks/linkage_error_decomposition.py [--seeds 1-10]``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import warnings
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

_ROWS = "rows: "
VERSIONS = ("linker", "false joins undone", "split-offs joined", "both", "truth")


def seeds_of(text: str) -> list[int]:
    first, _, last = text.partition("-")
    return list(range(int(first), int(last or first) + 1))


def run_demo(seed: int, out: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "UNCOUNTED_DB"}
    command = [sys.executable, "-m", "uncounted.cli", "demo", "--out", str(out)]
    command += ["--seed", str(seed), "--linkage", "splink"]
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        raise SystemExit(f"demo --seed {seed} failed:\n{done.stderr[-2000:]}")


def corrections(linked: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Masks of the two kinds of error, given ``event``, ``collection`` and ``true_event``
    of each report: reports that make a false overlap, and split-off lone reports."""
    event = linked.groupby("event")
    size = event["true_event"].transform("size")
    collections = event["collection"].transform("nunique")
    of_collection = linked.groupby(["event", "collection"])["true_event"].transform("size")
    sharing = linked.groupby(["event", "true_event"])["collection"].transform("size")
    false_join = (of_collection == 1) & (collections > 1) & (sharing == 1)
    split_off = (size == 1) & linked["true_event"].isin(homes(linked).index)
    return false_join, split_off


def homes(linked: pd.DataFrame) -> pd.Series:
    """For each execution, the linker's event of two or more reports that stands for it:
    one in which more than half of the reports tell it (the largest such, if several)."""
    size = linked.groupby("event")["event"].transform("size")
    sharing = linked.groupby(["event", "true_event"])["event"].transform("size")
    major = linked[(size > 1) & (2 * sharing > size)].assign(size=size)
    major = major.sort_values(["size", "event"], ascending=[False, True], kind="stable")
    return major.drop_duplicates("true_event").set_index("true_event")["event"]


def corrected(linked: pd.DataFrame, version: str) -> pd.Series:
    """The event of each report in one version of the events."""
    if version == "truth":
        return linked["true_event"].map(lambda e: f"T{e}")
    events = linked["event"].map(lambda e: f"L{e}")
    false_join, split_off = corrections(linked)
    if version in ("false joins undone", "both"):
        events = events.where(~false_join, "A" + linked["report_id"])
    if version in ("split-offs joined", "both"):
        target = linked["true_event"].map(homes(linked)).map(lambda e: f"L{e}", na_action="ignore")
        events = events.where(~split_off, target)
    return events


def headline(casebook: Any, report_event: pd.DataFrame, settings: Any) -> tuple[Any, Any]:
    from uncounted.report.accounting import headline_of, stratified_events

    lists = [str(c) for c in casebook.collections["collection_id"]]
    events = stratified_events(casebook.reports, casebook.sources, report_event, lists, settings)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        h = headline_of(events, lists, settings)
    return h.events, h.people


def one_seed(seed: int) -> list[dict[str, Any]]:
    """The five versions' estimates for one seed (run in a process of its own: a process
    opens one store)."""
    from uncounted.pipeline.casebook import read_casebook
    from uncounted.pipeline.linking import link_reports
    from uncounted.report.settings import ReportSettings
    from uncounted.store.connect import open_store

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "demo"
        run_demo(seed, out)
        summary = json.loads((out / "report" / "summary.json").read_text(encoding="utf-8"))
        settings = replace(
            ReportSettings.from_dict(summary["settings"]),
            link_replicates=0,
            link_other_thresholds=(),
        )
        open_store(str(out / "casebook.sqlite3"))
        casebook = read_casebook()
        truth_links = pd.read_csv(out / "world" / "truth" / "report_event.csv", dtype=str)
        linkage = link_reports(casebook, settings)
    counted = casebook.without_text()
    linked = linkage.report_event.merge(
        casebook.reports[["report_id", "collection_id"]], on="report_id"
    ).merge(truth_links.rename(columns={"event_id": "true_event"}), on="report_id")
    linked = linked.rename(columns={"event_id": "event", "collection_id": "collection"})
    false_join, split_off = corrections(linked)
    truth = summary["truth"]
    rows = []
    for version in VERSIONS:
        report_event = pd.DataFrame(
            {"report_id": linked["report_id"], "event_id": corrected(linked, version)}
        )
        events, people = headline(counted, report_event, settings)
        row: dict[str, Any] = {"seed": seed, "version": version}
        for name, est, true in (
            ("events", events, truth["total"]),
            ("people", people, truth["total_people"]),
        ):
            row[f"{name}_ratio"] = est.point / true
            row[f"{name}_in"] = bool(est.lower <= true <= est.upper)
            row[f"{name}_width"] = (est.upper - est.lower) / true
        rows.append(row)
    print(
        f"seed {seed}: {len(linked):,} reports; {int(false_join.sum())} are their "
        "collection's only report in an event that tells another execution, "
        f"{int(split_off.sum())} are alone though the linker built their execution's event",
        flush=True,
    )
    for row in rows:
        print(
            f"  {row['version']:<20} events {row['events_ratio']:.2f} "
            f"{'in' if row['events_in'] else 'OUT':<3} (width {row['events_width']:.2f})  "
            f"people {row['people_ratio']:.2f} {'in' if row['people_in'] else 'OUT'}",
            flush=True,
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default="1-10")
    parser.add_argument("--one-seed", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one_seed is not None:
        print(_ROWS + json.dumps(one_seed(args.one_seed)), flush=True)
        return 0
    rows: list[dict[str, Any]] = []
    for seed in seeds_of(args.seeds):
        done = subprocess.run(
            [sys.executable, __file__, "--one-seed", str(seed)],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise SystemExit(f"seed {seed} failed:\n{done.stderr[-2000:]}")
        for line in done.stdout.splitlines():
            if line.startswith(_ROWS):
                rows += json.loads(line.removeprefix(_ROWS))
            else:
                print(line, flush=True)
    table = pd.DataFrame(rows)
    print(
        f"{'version':<20} {'seeds':>5} {'events in':>9} {'people in':>9} "
        f"{'median est/truth (range)':>26} {'median width':>12}"
    )
    for version in VERSIONS:
        part = table[table["version"] == version]
        ratio = part["events_ratio"]
        print(
            f"{version:<20} {len(part):>5} {int(part['events_in'].sum()):>9} "
            f"{int(part['people_in'].sum()):>9} "
            f"{statistics.median(ratio):>11.2f} ({ratio.min():.2f}-{ratio.max():.2f})"
            f"{float(np.median(part['events_width'])):>19.2f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
