"""Link reports into events and mentions into victims: the whole of linkage in one call.

:func:`link_records` takes the frames of ``reports.csv`` and ``victim_mentions.csv`` (and
reviewer decisions, if any) and returns a :class:`LinkResult`:

1. Events. Report features (:mod:`~uncounted.link.prepare`); the event model trained
   (EM, or EM then ``m`` from reviewer matches) and scored on the blocked pairs;
   constrained average-linkage clustering (:mod:`~uncounted.link.cluster`; reports of
   one source apart, decisions binding); refinement against each cluster's consensus
   (:mod:`~uncounted.link.refine`).
2. Victims. Mention features, with the event each mention's report was linked to and
   that event's told number of victims; the victim model trained and scored; clustering
   with mentions of one report apart (a report names each victim once).
3. Replicates (optional): clusterings redrawn from the match probabilities.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from uncounted.link.backend import Backend
from uncounted.link.blocking import blocking_recall
from uncounted.link.cluster import ClusterSettings, cluster_pairs
from uncounted.link.constraints import Constraints, constraints_from_decisions
from uncounted.link.model import TrainedModel, TrainingSettings, score_pairs, train_model
from uncounted.link.one_sided import one_sided_linkages
from uncounted.link.prepare import mention_features, report_features
from uncounted.link.refine import RefineSettings, alternatives, fit_table, refine_clusters
from uncounted.link.replicates import sampled_pairs
from uncounted.link.review import event_review_queue
from uncounted.link.single_victim import join_single_victim_events, report_fit

__all__ = ["LinkResult", "LinkSettings", "Replicate", "link_mentions", "link_records"]

IntArray = npt.NDArray[np.int64]
VICTIM_PAIRS_KEPT = 0.01
"""Scored mention pairs below this probability are not kept."""


@dataclass(frozen=True)
class LinkSettings:
    """Settings of a linkage run (saved with its results).

    Attributes
    ----------
    event_threshold : float
        Clusters of reports merge when the mean match probability between them is at
        least this.
    victim_threshold : float
        The same for mentions.
    replicates : int
        Number of linkage replicates to draw (0: none).
    replicate_threshold : float
        The event threshold of a replicate. A replicate's pairs are drawn links (0 or
        1), so a threshold is the share of the pairs between two groups that must be
        drawn for them to merge; at 0.5, a majority.
    seed : int
        Seed of training samples and replicate draws.
    other_thresholds : tuple of float
        Event thresholds to cluster at as well, from the same model and pairs, for a
        sensitivity analysis (``LinkResult.by_threshold``).
    one_sided : bool
        Also make the two linkages of :mod:`uncounted.link.one_sided` (uncertain joins
        across collections undone; uncertain lone reports joined) for a sensitivity
        analysis (``LinkResult.one_sided``).
    backend : {"duckdb", "spark"}
    separate_sources : bool
        Reports of one source are never one event (unless a reviewer says so).
    refine : RefineSettings
    training : TrainingSettings
    """

    event_threshold: float = 0.3
    # 0.98 keeps pairwise precision at 0.98 or more on simulated worlds (seeds 1-3:
    # 0.990-0.998); at 0.95 one world in three fell to 0.966.
    victim_threshold: float = 0.98
    replicates: int = 0
    # A replicate clusters drawn links (0 or 1): at a threshold t two groups merge when
    # a share t of the pairs between them was drawn. Early merges weigh few pairs, so a
    # high t splits what the probabilities join (at 0.8 the demo's replicates had 30 %
    # more events than its linkage) and a low one chains. A majority is neutral.
    replicate_threshold: float = 0.5
    seed: int = 1
    other_thresholds: tuple[float, ...] = ()
    one_sided: bool = False
    backend: Backend = "duckdb"
    separate_sources: bool = True
    refine: RefineSettings = field(default_factory=RefineSettings)
    training: TrainingSettings = field(default_factory=TrainingSettings)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "event_threshold": self.event_threshold,
            "victim_threshold": self.victim_threshold,
            "replicates": self.replicates,
            "replicate_threshold": self.replicate_threshold,
            "seed": self.seed,
            "other_thresholds": list(self.other_thresholds),
            "one_sided": self.one_sided,
            "backend": self.backend,
            "separate_sources": self.separate_sources,
            "refine": vars(self.refine),
            "training": vars(self.training),
        }


@dataclass
class Replicate:
    """One redrawn linkage: ``report_event`` and ``mention_victim`` frames."""

    number: int
    report_event: pd.DataFrame
    mention_victim: pd.DataFrame


@dataclass
class LinkResult:
    """The outcome of :func:`link_records`.

    Attributes
    ----------
    report_event : DataFrame
        ``report_id, event_id``.
    mention_victim : DataFrame
        ``mention_id, victim_id``.
    event_model, victim_model : TrainedModel or None
        The trained models (None when there was nothing to train on).
    event_pairs, victim_pairs : DataFrame
        Scored candidate pairs with their evidence (``mw_*`` columns).
    event_review : DataFrame
        Questions for a reviewer, most valuable first: a report and the most typical
        report of the other event it may belong to, scored like ``event_pairs``
        (:func:`uncounted.link.review.event_review_queue`).
    replicates : list of Replicate
    by_threshold : dict of float to DataFrame
        ``report_id, event_id`` clustered at each of ``settings.other_thresholds``.
    one_sided : dict of str to DataFrame
        With ``settings.one_sided``: ``report_id, event_id`` of the linkage with its
        uncertain cross-collection joins undone and of the one with its uncertain lone
        reports joined (:mod:`uncounted.link.one_sided`).
    diagnostics : dict
        Sizes, candidate pairs per record, numbers of constraints.
    settings : LinkSettings
    """

    report_event: pd.DataFrame
    mention_victim: pd.DataFrame
    event_model: TrainedModel | None
    victim_model: TrainedModel | None
    event_pairs: pd.DataFrame
    victim_pairs: pd.DataFrame
    replicates: list[Replicate]
    diagnostics: dict[str, Any]
    settings: LinkSettings
    event_review: pd.DataFrame = field(default_factory=pd.DataFrame)
    by_threshold: dict[float, pd.DataFrame] = field(default_factory=dict)
    one_sided: dict[str, pd.DataFrame] = field(default_factory=dict)

    def model_json(self) -> dict[str, Any]:
        """The trained models, settings and diagnostics as one JSON-ready dictionary."""
        return {
            "settings": self.settings.to_dict(),
            "events": None if self.event_model is None else self.event_model.to_dict(),
            "victims": None if self.victim_model is None else self.victim_model.to_dict(),
            "diagnostics": self.diagnostics,
        }


def _ids(prefix: str, labels: IntArray, width: int) -> list[str]:
    return [f"{prefix}{int(label) + 1:0{width}d}" for label in labels]


def _empty_pairs() -> pd.DataFrame:
    return pd.DataFrame({"id_l": pd.Series(dtype=str), "id_r": pd.Series(dtype=str)}).assign(
        match_weight=np.zeros(0), match_probability=np.zeros(0)
    )


def _event_victims(features: pd.DataFrame, labels: IntArray) -> pd.Series:
    """The told number of victims of each event: the commonest exact count of its reports."""
    exact = (
        features["victims_min"]
        .astype("float64")
        .where(features["victims_min"] == features["victims_max"])
    )
    frame = pd.DataFrame({"event": labels, "count": exact.to_numpy()}).dropna()
    if len(frame) == 0:
        return pd.Series(dtype="float64")
    counts = frame.groupby(["event", "count"]).size().reset_index(name="n")
    counts = counts.sort_values(["event", "n", "count"], ascending=[True, False, True])
    return counts.drop_duplicates("event").set_index("event")["count"]


class _EventLinker:
    """Scoring, clustering and refinement of reports, reusable for replicates."""

    def __init__(
        self,
        features: pd.DataFrame,
        model: TrainedModel,
        pairs: pd.DataFrame,
        constraints: Constraints,
        settings: LinkSettings,
    ) -> None:
        self.features = features
        self.model = model
        self.pairs = pairs
        self.constraints = constraints
        self.settings = settings
        # Reports a reviewer joined stay put; those kept apart may move, never together.
        joined = {x for pair in constraints.must_link for x in pair}
        self.fixed = features["unique_id"].isin(joined).to_numpy()

    def cluster(
        self,
        pairs: pd.DataFrame,
        refine: RefineSettings,
        clock: _Clock | None = None,
        threshold: float | None = None,
    ) -> IntArray:
        settings = self.settings
        labels = cluster_pairs(
            self.features["unique_id"].tolist(),
            pairs,
            ClusterSettings(
                threshold=settings.event_threshold if threshold is None else threshold,
                separate_groups=settings.separate_sources,
            ),
            groups=self.features["source_id"].tolist(),
            must_link=self.constraints.must_link,
            cannot_link=self.constraints.cannot_link,
        )
        if clock is not None:
            clock.lap("event_clustering")
        if refine.rounds == 0 or len(self.pairs) == 0:
            return labels
        refined = refine_clusters(
            self.features,
            labels,
            self.pairs,
            self._score,
            refine,
            fixed=self.fixed,
            cannot_link=self.constraints.cannot_link,
        )
        if clock is not None:
            clock.lap("event_refinement")
        return refined

    def _score(self, frame: pd.DataFrame, request: pd.DataFrame) -> pd.DataFrame:
        return score_pairs(self.model, frame, backend=self.settings.backend, pairs=request)

    def fits(self, labels: IntArray) -> pd.DataFrame:
        """Each report weighed against its own event and those it could join
        (:func:`uncounted.link.refine.fit_table`)."""
        return fit_table(
            self.features, labels, self.pairs, self._score, self.settings.refine, fixed=self.fixed
        )

    def review(self, labels: IntArray, fits: pd.DataFrame) -> pd.DataFrame:
        """Reports that may belong to another event, as questions for a reviewer."""
        ids = self.features["unique_id"].astype(str).to_numpy()
        options = alternatives(fits, labels)
        typical = report_fit(ids.tolist(), labels, self.pairs)
        return event_review_queue(
            options,
            ids,
            labels,
            typical,
            lambda pairs: self._score(self.features, pairs),
            decided=self.constraints.labels(),
        )


def link_records(
    reports: pd.DataFrame,
    mentions: pd.DataFrame | None = None,
    *,
    decisions: pd.DataFrame | None = None,
    settings: LinkSettings | None = None,
) -> LinkResult:
    """Link reports into events and victim mentions into victims.

    Parameters
    ----------
    reports : DataFrame
        Columns of ``reports.csv`` (``docs/data-format.md``).
    mentions : DataFrame, optional
        Columns of ``victim_mentions.csv``.
    decisions : DataFrame, optional
        Reviewer decisions: ``kind`` (``reports``/``mentions``), ``left_id``,
        ``right_id``, ``decision`` (``match``/``no_match``/``unsure``).
    settings : LinkSettings, optional

    Returns
    -------
    LinkResult
    """
    settings = settings or LinkSettings()
    clock = _Clock()
    mentions = mentions if mentions is not None else _no_mentions()
    features = report_features(reports, mentions)
    clock.lap("report_features")
    report_constraints = constraints_from_decisions(decisions, "reports")
    event_model, event_pairs, event_labels, event_linker = _link_events(
        features, report_constraints, settings, clock
    )
    fits = event_review = None
    if event_linker is not None:
        fits = event_linker.fits(event_labels)
        event_review = event_linker.review(event_labels, fits)
    clock.lap("event_review")
    report_event = pd.DataFrame(
        {"report_id": features["unique_id"].to_numpy(), "event_id": _ids("EV", event_labels, 6)}
    )
    mention_constraints = constraints_from_decisions(decisions, "mentions")
    fit = report_fit(features["unique_id"].tolist(), event_labels, event_pairs)
    victim_model, victim_pairs, victim_labels, mention_table = _link_victims(
        mentions, features, event_labels, mention_constraints, settings, clock, fit
    )
    mention_victim = pd.DataFrame(
        {
            "mention_id": mention_table["unique_id"].to_numpy(),
            "victim_id": _ids("VI", victim_labels, 7),
        }
    )
    replicates = _replicates(
        event_linker, features, mention_table, victim_pairs, mention_constraints, settings
    )
    clock.lap("replicates")
    by_threshold = _by_threshold(event_linker, features, settings)
    clock.lap("other_thresholds")
    one_sided: dict[str, pd.DataFrame] = {}
    moved: dict[str, int] = {}
    if settings.one_sided and event_linker is not None and fits is not None:
        for label, labels in one_sided_linkages(
            features,
            event_labels,
            fits,
            fixed=event_linker.fixed,
            cannot_link=report_constraints.cannot_link,
        ).items():
            one_sided[label] = pd.DataFrame(
                {"report_id": features["unique_id"].to_numpy(), "event_id": _ids("EV", labels, 6)}
            )
            # Each moved report adds (undone) or removes (joined) one event.
            moved[label] = abs(len(set(labels.tolist())) - len(set(event_labels.tolist())))
    diagnostics = {
        "reports": len(features),
        "mentions": len(mention_table),
        "events": int(len(set(event_labels.tolist()))),
        "victims": int(len(set(victim_labels.tolist()))),
        "event_candidate_pairs": len(event_pairs),
        "event_pairs_per_report": len(event_pairs) / max(len(features), 1),
        "victim_candidate_pairs": len(victim_pairs),
        "report_decisions": len(report_constraints),
        "mention_decisions": len(mention_constraints),
        "one_sided_moved": moved,
        "seconds": clock.laps,
    }
    return LinkResult(
        report_event=report_event,
        mention_victim=mention_victim,
        event_model=event_model,
        victim_model=victim_model,
        event_pairs=event_pairs,
        victim_pairs=victim_pairs,
        replicates=replicates,
        diagnostics=diagnostics,
        settings=settings,
        event_review=event_review if event_review is not None else pd.DataFrame(),
        by_threshold=by_threshold,
        one_sided=one_sided,
    )


def link_mentions(
    mentions: pd.DataFrame,
    reports: pd.DataFrame,
    report_event: pd.DataFrame,
    *,
    decisions: pd.DataFrame | None = None,
    settings: LinkSettings | None = None,
) -> tuple[pd.DataFrame, TrainedModel | None, pd.DataFrame]:
    """Link victim mentions alone, given the event of each report.

    Parameters
    ----------
    mentions, reports : DataFrame
        Columns of ``victim_mentions.csv`` and ``reports.csv``.
    report_event : DataFrame
        ``report_id, event_id``: events from an earlier linkage (or the truth, to study
        victim linkage on its own).
    decisions : DataFrame, optional
        Reviewer decisions (those of kind ``mentions`` are used).
    settings : LinkSettings, optional

    Returns
    -------
    (mention_victim, model, pairs)
        ``mention_id, victim_id``; the trained victim model; the scored pairs.
    """
    settings = settings or LinkSettings()
    # Only the reports that mention someone matter here (a fraction of them at scale).
    mentioned = reports["report_id"].astype(str).isin(set(mentions["report_id"].astype(str)))
    features = report_features(reports[mentioned.to_numpy()].reset_index(drop=True))
    events = report_event.set_index("report_id")["event_id"].astype(str)
    known = events.reindex(features["unique_id"].to_numpy())
    codes = pd.factorize(known.fillna(features["unique_id"]).to_numpy())[0].astype(np.int64)
    constraints = constraints_from_decisions(decisions, "mentions")
    model, pairs, labels, table = _link_victims(
        mentions, features, codes, constraints, settings, _Clock()
    )
    mention_victim = pd.DataFrame(
        {"mention_id": table["unique_id"].to_numpy(), "victim_id": _ids("VI", labels, 7)}
    )
    return mention_victim, model, pairs


def _no_mentions() -> pd.DataFrame:
    columns = ["mention_id", "report_id", "name_as_told", "sex", "age_as_told", "charges"]
    return pd.DataFrame({c: pd.Series(dtype=str) for c in columns})


class _Clock:
    """Seconds spent in each stage, for the diagnostics."""

    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.laps[stage] = round(now - self._last, 3)
        self._last = now


def _link_events(
    features: pd.DataFrame, constraints: Constraints, settings: LinkSettings, clock: _Clock
) -> tuple[TrainedModel | None, pd.DataFrame, IntArray, _EventLinker | None]:
    if len(features) < 2:
        return None, _empty_pairs(), np.arange(len(features), dtype=np.int64), None
    model = train_model(
        "events",
        features,
        labels=constraints.labels(),
        settings=settings.training,
        backend=settings.backend,
    )
    clock.lap("event_training")
    pairs = score_pairs(model, features, backend=settings.backend)
    decided = constraints.pairs()
    if len(decided) > 0:
        extra = score_pairs(model, features, backend=settings.backend, pairs=decided)
        pairs = pd.concat([pairs, extra], ignore_index=True).drop_duplicates(["id_l", "id_r"])
    clock.lap("event_scoring")
    linker = _EventLinker(features, model, pairs, constraints, settings)
    labels = linker.cluster(pairs, settings.refine, clock)
    return model, pairs, labels, linker


def _link_victims(
    mentions: pd.DataFrame,
    features: pd.DataFrame,
    event_labels: IntArray,
    constraints: Constraints,
    settings: LinkSettings,
    clock: _Clock,
    fit: npt.NDArray[np.float64] | None = None,
) -> tuple[TrainedModel | None, pd.DataFrame, IntArray, pd.DataFrame]:
    report_event = pd.DataFrame(
        {"report_id": features["unique_id"].to_numpy(), "event_id": event_labels.astype(str)}
    )
    table = mention_features(mentions, features, report_event)
    victims = _event_victims(features, event_labels)
    table["event_victims"] = (
        table["event_id"].astype(np.int64).map(victims).astype("Float64").round().astype("Int64")
    )
    if fit is not None:
        # How firmly each mention's report sits in its event (see single_victim).
        fits = pd.Series(fit, index=features["unique_id"].astype(str).to_numpy())
        table["event_fit"] = fits.reindex(table["report_id"].astype(str).to_numpy()).to_numpy()
    clock.lap("mention_features")
    if len(table) < 2:
        return None, _empty_pairs(), np.arange(len(table), dtype=np.int64), table
    model = train_model(
        "victims",
        table,
        labels=constraints.labels(),
        settings=settings.training,
        backend=settings.backend,
    )
    clock.lap("victim_training")
    # Pairs below the review band matter to nothing downstream: the clustering needs pairs
    # at its threshold, the review queue those from 0.1 up.
    pairs = score_pairs(model, table, backend=settings.backend, min_probability=VICTIM_PAIRS_KEPT)
    clock.lap("victim_scoring")
    labels = _cluster_victims(table, pairs, constraints, settings)
    clock.lap("victim_clustering")
    return model, pairs, labels, table


def _cluster_victims(
    table: pd.DataFrame, pairs: pd.DataFrame, constraints: Constraints, settings: LinkSettings
) -> IntArray:
    labels = cluster_pairs(
        table["unique_id"].tolist(),
        pairs,
        ClusterSettings(threshold=settings.victim_threshold, separate_groups=True),
        groups=table["report_id"].tolist(),
        must_link=constraints.must_link,
        cannot_link=constraints.cannot_link,
    )
    return join_single_victim_events(table, labels, constraints.cannot_link)


def _by_threshold(
    event_linker: _EventLinker | None, features: pd.DataFrame, settings: LinkSettings
) -> dict[float, pd.DataFrame]:
    out = {}
    for threshold in settings.other_thresholds:
        if event_linker is None:
            labels = np.arange(len(features), dtype=np.int64)
        else:
            labels = event_linker.cluster(event_linker.pairs, settings.refine, threshold=threshold)
        out[float(threshold)] = pd.DataFrame(
            {"report_id": features["unique_id"].to_numpy(), "event_id": _ids("EV", labels, 6)}
        )
    return out


def _replicates(
    event_linker: _EventLinker | None,
    features: pd.DataFrame,
    mention_table: pd.DataFrame,
    victim_pairs: pd.DataFrame,
    mention_constraints: Constraints,
    settings: LinkSettings,
) -> list[Replicate]:
    out = []
    for number in range(1, settings.replicates + 1):
        seed = settings.seed * 1000 + number
        if event_linker is not None:
            drawn = sampled_pairs(event_linker.pairs, seed)
            refine = replace(settings.refine, rounds=1)
            labels = event_linker.cluster(
                drawn,
                refine if settings.refine.rounds else RefineSettings(rounds=0),
                threshold=settings.replicate_threshold,
            )
        else:
            labels = np.arange(len(features), dtype=np.int64)
        victim_labels = _cluster_victims(
            mention_table, sampled_pairs(victim_pairs, seed + 1), mention_constraints, settings
        )
        out.append(
            Replicate(
                number=number,
                report_event=pd.DataFrame(
                    {
                        "report_id": features["unique_id"].to_numpy(),
                        "event_id": _ids("EV", labels, 6),
                    }
                ),
                mention_victim=pd.DataFrame(
                    {
                        "mention_id": mention_table["unique_id"].to_numpy(),
                        "victim_id": _ids("VI", victim_labels, 7),
                    }
                ),
            )
        )
    return out


def evaluate_blocking(result: LinkResult, truth: pd.Series) -> dict[str, float]:
    """Blocking recall of the event pairs against true events (``report_id -> event_id``)."""
    ids = result.report_event["report_id"]
    return blocking_recall(result.event_pairs, ids, truth)
