"""The Fellegi–Sunter models of linkage, on Splink: settings, training, scoring, JSON.

Fellegi and Sunter (1969, *JASA* 64:1183) score a pair by the sum over comparisons of
``log2(m / u)`` for the level the pair falls in, ``m`` being the chance of that level
among true matches and ``u`` among non-matches, plus the prior log-odds of a match.

Training
--------
Without labels (Splink's unsupervised route): ``u`` from random pairs (nearly all
non-matches), then ``m`` and the prior by expectation maximisation on pairs from the
training rules of :mod:`uncounted.link.blocking` (each rule leaves out the comparisons
it uses, so the rules together train all of them). With reviewer labels, ``m`` comes
from the pairs reviewers said match, and the decisions also bind the clustering.

The trained model (settings with every ``m`` and ``u``) is plain JSON: it is saved with
every run and loads back into :func:`load_model`.
"""

from __future__ import annotations

import json
import logging
import math
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
import pyarrow as pa
from splink.internals.exceptions import EMTrainingException

from uncounted.link.backend import Backend, database_api
from uncounted.link.blocking import (
    event_blocking_rules,
    event_training_rules,
    victim_blocking_rules,
    victim_training_rules,
)
from uncounted.link.comparisons import (
    event_comparisons,
    settings_for_dialect,
    victim_comparisons,
)

__all__ = [
    "Kind",
    "TrainedModel",
    "TrainingSettings",
    "load_model",
    "model_settings",
    "score_pairs",
    "train_model",
]

Kind = Literal["events", "victims"]

_LIST_COLUMNS = ("name_hangul", "name_roman", "name_keys")
_RETAINED: dict[str, tuple[str, ...]] = {
    "events": ("source_id",),
    "victims": ("report_id", "source_id", "event_id"),
}


@dataclass(frozen=True)
class TrainingSettings:
    """How a model is trained.

    Attributes
    ----------
    seed : int
        Seed of the random sampling of pairs for ``u``.
    u_max_pairs : float
        Random pairs drawn to estimate ``u``.
    em_max_pairs : float or None
        Cap on the pairs of each EM session (None: all blocked pairs).
    sample_records : int
        Train on at most this many records: whole events of mentions (so that pairs of
        one event stay together), random reports. The prior is scaled back to the whole
        data (the chance that two random records match falls as ``1 / n``).
    em_weight_matches : float
        With reviewer matches, ``m`` blends EM's estimate (counted as this many
        labelled matches) with the labels' (0: the labels' alone).
    engine : {"duckdb", "spark"} or None
        Where training runs, whatever the backend that scores: DuckDB by default. The
        training sample is bounded (``sample_records``), so one machine suffices, and
        one engine gives one model: the random pairs behind ``u`` are drawn by each
        engine's own sampler, so the same seed on Spark would give another ``u``, other
        weights and other clusters. None: train on the scoring backend.
    """

    seed: int = 1
    u_max_pairs: float = 1e6
    em_max_pairs: float | None = 1e6
    sample_records: int = 40_000
    em_weight_matches: float = 500.0
    engine: Backend | None = "duckdb"


@dataclass
class TrainedModel:
    """A trained linkage model: Splink settings with every parameter, and how it was made.

    Attributes
    ----------
    kind : {"events", "victims"}
    settings : dict
        Splink settings (comparisons with ``m`` and ``u``, blocking rules, prior).
    training : dict
        What training did: ``method`` (``"em"`` or ``"labels"``), number of labels.
    """

    kind: Kind
    settings: dict[str, Any]
    training: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {"kind": self.kind, "training": self.training, "splink_settings": self.settings}

    def match_weights(self) -> pd.DataFrame:
        """One row per comparison level: comparison, level label, m, u, match weight."""
        rows = []
        for comparison in self.settings["comparisons"]:
            for level in comparison["comparison_levels"]:
                if level.get("is_null_level"):
                    continue
                m = level.get("m_probability")
                u = level.get("u_probability")
                weight = math.log2(m / u) if m and u else float("nan")
                rows.append(
                    {
                        "comparison": comparison["output_column_name"],
                        "level": level.get("label_for_charts", level["sql_condition"]),
                        "m": m,
                        "u": u,
                        "match_weight": weight,
                    }
                )
        return pd.DataFrame(rows)

    @property
    def prior(self) -> float:
        """Probability that two random records match."""
        return float(self.settings["probability_two_random_records_match"])


def load_model(data: dict[str, Any] | str) -> TrainedModel:
    """A model from :meth:`TrainedModel.to_dict` output (or its JSON text)."""
    raw = json.loads(data) if isinstance(data, str) else data
    return TrainedModel(raw["kind"], raw["splink_settings"], dict(raw.get("training", {})))


def model_settings(kind: Kind, dialect: str = "duckdb") -> dict[str, Any]:
    """Untrained Splink settings of the event or victim model for a SQL dialect."""
    if kind == "events":
        comparisons = event_comparisons(dialect)
        rules = event_blocking_rules()
    else:
        comparisons = victim_comparisons(dialect)
        rules = victim_blocking_rules()
    return {
        "link_type": "dedupe_only",
        "unique_id_column_name": "unique_id",
        "comparisons": comparisons,
        "blocking_rules_to_generate_predictions": rules,
        "retain_matching_columns": False,
        "retain_intermediate_calculation_columns": True,
        "additional_columns_to_retain": list(_RETAINED[kind]),
        "probability_two_random_records_match": 0.001,
        "em_convergence": 0.001,
        "max_iterations": 25,
    }


def _arrow(frame: pd.DataFrame) -> pa.Table:
    """The frame as an Arrow table with explicit types (lists of strings stay lists)."""
    fields = []
    for column in frame.columns:
        if column in _LIST_COLUMNS and _holds_lists(frame[column]):
            fields.append(pa.field(column, pa.list_(pa.string())))
        elif str(frame[column].dtype) in ("Int64", "int64"):
            fields.append(pa.field(column, pa.int64()))
        elif str(frame[column].dtype) in ("float64", "Float64"):
            fields.append(pa.field(column, pa.float64()))
        else:
            fields.append(pa.field(column, pa.string()))
    schema = pa.schema(fields)
    return pa.Table.from_pandas(frame, schema=schema, preserve_index=False)


def _holds_lists(values: pd.Series) -> bool:
    return values.dtype == object and any(isinstance(v, list) for v in values.head(1000))


def _linker(frame: pd.DataFrame, settings: dict[str, Any], backend: Backend) -> Any:
    from splink import Linker

    api = database_api(backend)
    table = api.register(_arrow(frame))
    return Linker(table, settings, log_level=logging.ERROR)


def train_model(
    kind: Kind,
    features: pd.DataFrame,
    *,
    labels: pd.DataFrame | None = None,
    settings: TrainingSettings | None = None,
    backend: Backend = "duckdb",
) -> TrainedModel:
    """Train the event or victim model on a features frame.

    Parameters
    ----------
    kind : {"events", "victims"}
    features : DataFrame
        :func:`uncounted.link.prepare.report_features` or ``mention_features`` output
        (victims also need ``event_victims``).
    labels : DataFrame, optional
        Reviewer decisions ``left_id, right_id, decision`` (``match``/``no_match``).
        When some say ``match``, ``m`` is then estimated from those pairs (EM still
        gives ``u``'s companion prior and any level the labels leave empty).
    settings : TrainingSettings, optional
    backend : {"duckdb", "spark"}

    Returns
    -------
    TrainedModel
    """
    settings = settings or TrainingSettings()
    backend = settings.engine or backend
    dialect = "spark" if backend == "spark" else "duckdb"
    sample = _training_sample(kind, features, labels, settings)
    linker = _linker(sample, model_settings(kind, dialect), backend)
    training = linker.training
    training.estimate_u_using_random_sampling(max_pairs=settings.u_max_pairs, seed=settings.seed)
    rules = event_training_rules() if kind == "events" else victim_training_rules()
    skipped = []
    for rule in rules:
        try:
            training.estimate_parameters_using_expectation_maximisation(
                rule,
                populate_probability_two_random_records_match_from_trained_values=True,
                max_pairs=settings.em_max_pairs,
            )
        except EMTrainingException:
            # No pair meets the rule (no two reports with a date in one county, no two
            # mentions whose names start alike): the comparisons it would train keep
            # what the other rules gave them, or Splink's starting values.
            skipped.append(rule)
    log: dict[str, Any] = {"method": "em", "em_rules": rules, "seed": settings.seed}
    if skipped:
        log["em_rules_without_pairs"] = skipped
    matched = _matched_labels(labels)
    if matched is not None and len(matched) > 0:
        from_em = linker.misc.save_model_to_json()
        api = linker._db_api
        table = api.register(pa.Table.from_pandas(matched, preserve_index=False))
        training.estimate_m_from_pairwise_labels(table)
        trained = _blend_m(from_em, linker.misc.save_model_to_json(), len(matched), settings)
        log = {**log, "method": "em+labels", "labelled_matches": len(matched)}
    else:
        trained = linker.misc.save_model_to_json()
    if backend == "duckdb":
        linker._db_api._con.close()  # its buffers go back now, not at collection
    if len(sample) < len(features):
        scale = (len(sample) - 1) / (len(features) - 1)
        prior = float(trained["probability_two_random_records_match"])
        trained["probability_two_random_records_match"] = prior * scale
        log = {**log, "sampled_records": len(sample), "records": len(features)}
    return TrainedModel(kind, _rounded(trained), log)


_DIGITS = 10
"""Significant digits kept of each trained probability (see :func:`_rounded`)."""


_SMALLEST = 1e-300
"""Splink refuses a probability below this when a model is loaded (EM can train a level
that no pair reached down to 1e-310): it is what such a level means anyway."""


def _round(value: float) -> float:
    if value == 0 or not math.isfinite(value):
        return value
    value = max(value, _SMALLEST)
    return round(value, _DIGITS - 1 - math.floor(math.log10(abs(value))))


def _rounded(trained: dict[str, Any]) -> dict[str, Any]:
    """The trained settings with every probability rounded to ``_DIGITS`` digits.

    DuckDB sums in parallel, so the order of additions, and with it the last bits of
    each EM estimate, changes from run to run (differences of about 1e-17); those bits
    tip the odd pair across a threshold and the clusters of one seeded run would differ
    from the next. Ten significant digits are far finer than anything the data can
    tell, and the same on every run. The saved model is then the same file each run.
    """
    out = dict(trained)
    # A random name Splink gives each linker: it would make two runs' JSON differ.
    out.pop("linker_uid", None)
    key = "probability_two_random_records_match"
    if isinstance(out.get(key), float):
        out[key] = _round(out[key])
    comparisons = []
    for comparison in out.get("comparisons", []):
        levels = []
        for level in comparison.get("comparison_levels", []):
            level = dict(level)
            for name in ("m_probability", "u_probability"):
                if isinstance(level.get(name), float):
                    level[name] = _round(level[name])
            levels.append(level)
        comparisons.append({**comparison, "comparison_levels": levels})
    if comparisons:
        out["comparisons"] = comparisons
    return out


def _blend_m(
    from_em: dict[str, Any], from_labels: dict[str, Any], matches: int, settings: TrainingSettings
) -> dict[str, Any]:
    """``m`` of each level: EM's and the labels', weighted by how many matches each stands for.

    Reviewers are asked about the pairs the model is least sure of, which disagree more
    than matches at large: their ``m`` alone would be biased toward disagreement. EM's
    estimate counts as ``settings.em_weight_matches`` labelled matches (a Dirichlet prior
    on each comparison's ``m``); a few dozen decisions nudge it, thousands replace it.
    """
    prior = settings.em_weight_matches
    share = matches / (matches + prior) if matches + prior > 0 else 1.0
    for old, new in zip(from_em["comparisons"], from_labels["comparisons"], strict=True):
        levels = zip(old["comparison_levels"], new["comparison_levels"], strict=True)
        for em_level, label_level in levels:
            m_em = em_level.get("m_probability")
            m_label = label_level.get("m_probability")
            if isinstance(m_em, float) and isinstance(m_label, float):
                label_level["m_probability"] = (1 - share) * m_em + share * m_label
            elif isinstance(m_em, float):
                label_level["m_probability"] = m_em
    return from_labels


def _training_sample(
    kind: Kind, features: pd.DataFrame, labels: pd.DataFrame | None, settings: TrainingSettings
) -> pd.DataFrame:
    """At most ``sample_records`` records to train on, keeping every labelled record."""
    if len(features) <= settings.sample_records:
        return features
    rng = np.random.default_rng(settings.seed)
    labelled = set()
    if labels is not None and len(labels) > 0:
        labelled = set(labels["left_id"].astype(str)) | set(labels["right_id"].astype(str))
    if kind == "victims" and "event_id" in features.columns:
        # Integer codes, not strings: set membership on a million object strings is slow.
        codes, unique = pd.factorize(features["event_id"].astype(str))
        order = rng.permutation(len(unique))
        per_event = np.bincount(codes, minlength=len(unique))[order]
        chosen = np.zeros(len(unique), dtype=bool)
        chosen[order[np.cumsum(per_event) <= settings.sample_records]] = True
        keep = chosen[codes]
    else:
        keep = np.zeros(len(features), dtype=bool)
        keep[rng.choice(len(features), settings.sample_records, replace=False)] = True
    keep |= features["unique_id"].astype(str).isin(labelled).to_numpy()
    return features[keep].reset_index(drop=True)


def _matched_labels(labels: pd.DataFrame | None) -> pd.DataFrame | None:
    if labels is None or len(labels) == 0:
        return None
    matched = labels[labels["decision"] == "match"]
    return pd.DataFrame(
        {
            "unique_id_l": matched["left_id"].astype(str).to_numpy(),
            "unique_id_r": matched["right_id"].astype(str).to_numpy(),
        }
    )


def score_pairs(
    model: TrainedModel,
    features: pd.DataFrame,
    *,
    backend: Backend = "duckdb",
    pairs: pd.DataFrame | None = None,
    min_probability: float | None = None,
) -> pd.DataFrame:
    """Score pairs of records with a trained model.

    Parameters
    ----------
    model : TrainedModel
    features : DataFrame
    backend : {"duckdb", "spark"}
    pairs : DataFrame, optional
        ``id_l, id_r``: score exactly these pairs instead of the pairs the model's
        blocking rules make.
    min_probability : float, optional
        Keep only pairs at or above this match probability (smaller output).

    Returns
    -------
    DataFrame
        ``id_l``, ``id_r`` (``id_l < id_r``), ``match_weight``, ``match_probability``
        and one ``mw_<comparison>`` column per comparison: the match weight
        (``log2(m / u)``) of the pair's level, its evidence.
    """
    linker = _linker(features, settings_for_dialect(model.settings, backend), backend)
    if pairs is not None:
        api = linker._db_api
        left = pairs["id_l"].astype(str).to_numpy()
        right = pairs["id_r"].astype(str).to_numpy()
        table = pa.table(
            {
                "match_key": pa.array(["0"] * len(pairs), pa.string()),
                "join_key_l": pa.array(left, pa.string()),
                "join_key_r": pa.array(right, pa.string()),
            }
        )
        linker.table_management.register_blocked_pairs_for_predict(api.register(table))
    predicted = linker.inference.predict(
        threshold_match_probability=min_probability, warning_mode="never"
    )
    if backend == "duckdb":
        return _fetch_pairs(linker, predicted.physical_name, model)
    return _tidy_pairs(_spark_pairs(predicted.as_spark_dataframe(), model), model)


def _spark_pairs(frame: Any, model: TrainedModel) -> pd.DataFrame:
    """The scored pairs from Spark: only the columns kept, through Arrow (as from DuckDB)."""
    names = [c["output_column_name"] for c in model.settings["comparisons"]]
    columns = [
        "CAST(unique_id_l AS STRING) AS unique_id_l",
        "CAST(unique_id_r AS STRING) AS unique_id_r",
        "CAST(match_weight AS DOUBLE) AS match_weight",
        "CAST(match_probability AS DOUBLE) AS match_probability",
        *(f"CAST(mw_{name} AS DOUBLE) AS mw_{name}" for name in names),
    ]
    out: pd.DataFrame = frame.selectExpr(*columns).toArrow().to_pandas()
    return out


def _fetch_pairs(linker: Any, table: str, model: TrainedModel) -> pd.DataFrame:
    """The scored pairs from DuckDB: only the columns kept, ids ordered, through Arrow.

    Splink's own export copies every intermediate column (levels, Bayes factors) into
    pandas one string at a time; at a million pairs that costs more than the scoring.
    """
    names = [c["output_column_name"] for c in model.settings["comparisons"]]
    weights = ", ".join(f"mw_{name}::DOUBLE AS mw_{name}" for name in names)
    sql = (
        "SELECT DISTINCT ON (id_l, id_r) * FROM ("
        "SELECT least(unique_id_l::VARCHAR, unique_id_r::VARCHAR) AS id_l, "
        "greatest(unique_id_l::VARCHAR, unique_id_r::VARCHAR) AS id_r, "
        "match_weight::DOUBLE AS match_weight, match_probability::DOUBLE AS match_probability, "
        f"{weights} FROM {table}) ORDER BY id_l, id_r"
    )
    api = linker._db_api
    arrow = api._execute_sql_against_backend(sql).to_arrow_table()
    # The connection is this call's own: closing it now hands DuckDB's buffers back
    # before the caller builds on the pairs (a third of the peak memory at 100,000
    # mentions), instead of whenever the linker is collected.
    api._con.close()
    # Ids stay Arrow strings in pandas: a million pairs as Python strings cost ~150 MB.
    out: pd.DataFrame = arrow.to_pandas(types_mapper=_arrow_strings)
    return out.reset_index(drop=True)


def _arrow_strings(kind: pa.DataType) -> Any:
    return pd.StringDtype("pyarrow") if pa.types.is_string(kind) else None


def _tidy_pairs(frame: pd.DataFrame, model: TrainedModel) -> pd.DataFrame:
    names = [c["output_column_name"] for c in model.settings["comparisons"]]
    left = frame["unique_id_l"].astype(str).to_numpy()
    right = frame["unique_id_r"].astype(str).to_numpy()
    swap = left > right
    out = pd.DataFrame(
        {
            "id_l": pd.Series(left).where(~swap, right).to_numpy(),
            "id_r": pd.Series(right).where(~swap, left).to_numpy(),
            "match_weight": frame["match_weight"].to_numpy(dtype=float),
            "match_probability": frame["match_probability"].to_numpy(dtype=float),
        }
    )
    for name in names:
        out[f"mw_{name}"] = frame[f"mw_{name}"].to_numpy(dtype=float)
    # The order of DuckDB's pairs: clustering breaks ties by it.
    out = out.sort_values(["id_l", "id_r"], kind="stable")
    return out.drop_duplicates(["id_l", "id_r"]).reset_index(drop=True)
