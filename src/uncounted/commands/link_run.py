"""The work behind ``uncounted link``: read files or the store, link, write, evaluate."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from uncounted.errors import ConfigurationError

if TYPE_CHECKING:
    from uncounted.link.evaluate import LinkageScores
    from uncounted.link.linkage import LinkResult

REPORTS_FILE = "reports.csv"
MENTIONS_FILE = "victim_mentions.csv"
DECISIONS_FILE = "decisions.csv"
EVALUATION_KEYS = (
    "pairwise_precision",
    "pairwise_recall",
    "pairwise_f1",
    "bcubed_precision",
    "bcubed_recall",
    "bcubed_f1",
    "n_true",
    "n_predicted",
)


def read_csv(path: Path) -> pd.DataFrame:
    """A CSV of the data layout, every cell as text (empty cells as "")."""
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except FileNotFoundError:
        raise ConfigurationError(f"file not found: {path}") from None


def read_folder(folder: Path) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame | None]:
    """Reports, mentions (empty if the file is absent) and decisions (if any) of a folder."""
    if not folder.is_dir():
        raise ConfigurationError(
            f"{folder} is not a folder: give the folder that holds {REPORTS_FILE}"
        )
    if not (folder / REPORTS_FILE).exists():
        raise ConfigurationError(
            f"{folder} has no {REPORTS_FILE}: give a folder in the layout of "
            "docs/data-format.md (e.g. written by uncounted simulate)"
        )
    reports = read_csv(folder / REPORTS_FILE)
    mentions_path = folder / MENTIONS_FILE
    if mentions_path.exists():
        mentions = read_csv(mentions_path)
    else:
        mentions = pd.DataFrame(columns=["mention_id", "report_id", "name_as_told", "sex"])
    decisions_path = folder / DECISIONS_FILE
    decisions = read_csv(decisions_path) if decisions_path.exists() else None
    return reports, mentions, decisions


def _write(frame: pd.DataFrame, path: Path) -> None:
    frame.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")


def _links(result: LinkResult, kind: str) -> pd.DataFrame:
    """Scored pairs that ended in one cluster: every link, with its evidence."""
    if kind == "events":
        pairs, table, key, cluster = (
            result.event_pairs,
            result.report_event,
            "report_id",
            "event_id",
        )
    else:
        pairs, table, key, cluster = (
            result.victim_pairs,
            result.mention_victim,
            "mention_id",
            "victim_id",
        )
    if len(pairs) == 0:
        return pairs
    owner = table.set_index(key)[cluster]
    left = owner.reindex(pairs["id_l"].to_numpy()).to_numpy()
    right = owner.reindex(pairs["id_r"].to_numpy()).to_numpy()
    linked = pairs[left == right].copy()
    linked.insert(0, cluster, left[left == right])
    ordered: pd.DataFrame = linked.sort_values([cluster, "id_l", "id_r"])
    return ordered.reset_index(drop=True)


def write_result(result: LinkResult, out: Path) -> list[Path]:
    """Write report_event.csv, mention_victim.csv, model.json, links and replicates."""
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigurationError(f"cannot create output folder {out}: {exc}") from exc
    written = []
    for name, frame in (
        ("report_event.csv", result.report_event),
        ("mention_victim.csv", result.mention_victim),
        ("event_links.csv", _links(result, "events")),
        ("victim_links.csv", _links(result, "victims")),
    ):
        _write(frame, out / name)
        written.append(out / name)
    model_path = out / "model.json"
    model_path.write_text(
        json.dumps(result.model_json(), ensure_ascii=False, indent=2, default=str) + "\n",
        encoding="utf-8",
    )
    written.append(model_path)
    for replicate in result.replicates:
        folder = out / "replicates" / f"r{replicate.number}"
        folder.mkdir(parents=True, exist_ok=True)
        _write(replicate.report_event, folder / "report_event.csv")
        _write(replicate.mention_victim, folder / "mention_victim.csv")
        (folder / "model.json").write_text(
            json.dumps(
                {"replicate": replicate.number, "of": model_path.name},
                indent=2,
            )
            + "\n",
            encoding="utf-8",
        )
        written += [folder / "report_event.csv", folder / "mention_victim.csv"]
    return written


def truth_folder(path: Path) -> Path:
    """The folder holding ``report_event.csv``: ``path`` itself or its ``truth/``."""
    for candidate in (path, path / "truth"):
        if (candidate / "report_event.csv").exists():
            return candidate
    raise ConfigurationError(
        f"{path} has no report_event.csv (nor truth/report_event.csv): give the truth/ "
        "folder of a simulated world"
    )


def evaluate(result: LinkResult, truth_dir: Path) -> dict[str, LinkageScores]:
    """Scores for events and victims against a simulator's truth folder."""
    from uncounted.link.evaluate import score_clustering

    folder = truth_folder(truth_dir)
    true_events = read_csv(folder / "report_event.csv").set_index("report_id")["event_id"]
    scores = {
        "events": score_clustering(
            result.report_event["event_id"].tolist(),
            _truth_labels(true_events, result.report_event["report_id"]),
        )
    }
    victims_path = folder / "mention_victim.csv"
    if victims_path.exists():
        true_victims = read_csv(victims_path).set_index("mention_id")["victim_id"]
        scores["victims"] = score_clustering(
            result.mention_victim["victim_id"].tolist(),
            _truth_labels(true_victims, result.mention_victim["mention_id"]),
        )
    return scores


def _truth_labels(truth: pd.Series, ids: pd.Series) -> list[str]:
    labels = truth.reindex(ids.to_numpy())
    # A record absent from the truth is its own entity: it cannot be credited or blamed.
    return [v if isinstance(v, str) else f"~unknown~{i}" for i, v in zip(ids, labels, strict=True)]


def scores_json(scores: dict[str, LinkageScores]) -> dict[str, Any]:
    """The evaluation as ``{"events": {...}, "victims": {...}}``."""
    return {kind: {k: getattr(s, k) for k in EVALUATION_KEYS} for kind, s in scores.items()}
