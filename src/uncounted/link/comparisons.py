"""Comparisons built for testimony, as Splink comparisons with SQL ``CASE`` levels.

Each comparison orders its levels from the strongest agreement to the strongest
disagreement; the first level whose condition holds is the pair's level, and its
match weight (``log2(m / u)``, trained on the data) is the evidence. A level's
condition reads the features of :mod:`uncounted.link.prepare` with ``_l`` and ``_r``
suffixes. The SQL is written for one *dialect* (``"duckdb"`` or ``"spark"``): the few
functions that differ (list overlap, Jaro-Winkler) are looked up in :data:`FUNCTIONS`.

Names are one comparison with nested levels (Hangul equal > same romanization > a shared
match key > similar spelling > different), never several comparisons: two comparisons
that both fire on one shared name would count the same evidence twice.
"""

from __future__ import annotations

import copy
import re
from typing import Any

__all__ = [
    "FUNCTIONS",
    "charges_comparison",
    "count_comparison",
    "date_comparison",
    "event_comparisons",
    "event_place_comparison",
    "mention_age_comparison",
    "mention_name_comparison",
    "name_comparison",
    "place_comparison",
    "settings_for_dialect",
    "sex_comparison",
    "value_comparison",
    "victim_comparisons",
]

FUNCTIONS: dict[str, dict[str, str]] = {
    "duckdb": {"overlap": "list_has_any", "jaro_winkler": "jaro_winkler_similarity"},
    "spark": {"overlap": "arrays_overlap", "jaro_winkler": "uncounted_jaro_winkler"},
}
"""SQL function names by dialect: list overlap and Jaro-Winkler similarity.

On Spark, Jaro-Winkler is :data:`uncounted.link.backend.SPARK_JARO_WINKLER`, which
scores as DuckDB does (Splink's own ``jaro_winkler`` does not).
"""

# Widths (days) that separate precise, seasonal and yearly dates: a month is at most 31
# days, a season or a third of a year at most 123, a year 366.
_WEEK, _MONTH, _SEASON, _YEAR = 7, 31, 123, 366
_FUZZY_NAME = 0.9  # Jaro-Winkler on match keys: one typing slip in a 10-letter key


def _level(sql: str, label: str, *, null: bool = False) -> dict[str, Any]:
    level: dict[str, Any] = {"sql_condition": sql, "label_for_charts": label}
    if null:
        level["is_null_level"] = True
    return level


def _comparison(name: str, description: str, levels: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "output_column_name": name,
        "comparison_description": description,
        "comparison_levels": levels,
    }


def _functions(dialect: str) -> dict[str, str]:
    try:
        return FUNCTIONS[dialect]
    except KeyError:
        raise ValueError(
            f"unknown SQL dialect {dialect!r}; use one of {sorted(FUNCTIONS)}"
        ) from None


def settings_for_dialect(settings: dict[str, Any], dialect: str) -> dict[str, Any]:
    """A copy of Splink settings (trained or not) with their SQL in another dialect.

    A model trained on one engine scores on the other with its parameters untouched:
    only the names of the functions of :data:`FUNCTIONS` change in each level's
    condition, and the ``sql_dialect`` tags of the settings and blocking rules.
    """
    target = _functions(dialect)
    renames = {
        name: target[role]
        for source, functions in FUNCTIONS.items()
        if source != dialect
        for role, name in functions.items()
        if name != target[role]
    }
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, renames)) + r")\s*\(")
    out = copy.deepcopy(settings)
    if "sql_dialect" in out:
        out["sql_dialect"] = dialect
    for comparison in out.get("comparisons", []):
        for level in comparison["comparison_levels"]:
            level["sql_condition"] = pattern.sub(
                lambda m: f"{renames[m.group(1)]}(", level["sql_condition"]
            )
    for rule in out.get("blocking_rules_to_generate_predictions", []):
        if isinstance(rule, dict) and "sql_dialect" in rule:
            rule["sql_dialect"] = dialect
    return out


def date_comparison() -> dict[str, Any]:
    """Fuzzy date ranges by overlap, gap and the width (precision) of both ranges.

    Two narrow ranges that overlap are strong evidence; two wide ones ("around 2008")
    overlap whatever happened, so they are weak; two narrow ranges a month or more apart
    are strong evidence against. ``gap`` is negative when the ranges overlap.
    """
    gap = "greatest(date_start_l - date_end_r, date_start_r - date_end_l)"
    widest = "greatest(date_width_l, date_width_r)"
    return _comparison(
        "date",
        "Told dates: overlap or gap, by the width of the wider range",
        [
            _level("date_start_l IS NULL OR date_start_r IS NULL", "date unknown", null=True),
            _level(f"{gap} <= 0 AND {widest} <= {_WEEK}", "same week, both precise"),
            _level(f"{gap} <= 0 AND {widest} <= {_MONTH}", "overlap, both within a month"),
            _level(f"{gap} <= 0 AND {widest} <= {_SEASON}", "overlap, both within a season"),
            _level(f"{gap} <= 0 AND {widest} <= {_YEAR}", "overlap, both within a year"),
            _level(f"{gap} <= 0", "overlap, a wide range"),
            _level(f"{gap} <= {_MONTH} AND {widest} <= {_SEASON}", "precise, under a month apart"),
            _level(f"{gap} <= {_YEAR + 31}", "within a year"),
            _level("ELSE", "more than a year apart"),
        ],
    )


def place_comparison() -> dict[str, Any]:
    """Place hierarchy: same county, same province with one or both counties unknown, ...

    A report known only to its province is compatible with any county of it, which is
    weaker evidence than the same county and no evidence against.
    """
    return _comparison(
        "place",
        "Told places in the gazetteer hierarchy (county within province)",
        [
            _level("province_l IS NULL OR province_r IS NULL", "place unknown", null=True),
            _level("county_l = county_r", "same county"),
            _level(
                "province_l = province_r AND (county_l IS NULL) <> (county_r IS NULL)",
                "same province, one county unknown",
            ),
            _level(
                "province_l = province_r AND county_l IS NULL AND county_r IS NULL",
                "same province, both counties unknown",
            ),
            _level("province_l = province_r", "same province, other county"),
            _level("ELSE", "other province"),
        ],
    )


def count_comparison() -> dict[str, Any]:
    """Number of victims as ranges: the same exact number, compatible, off by one, apart."""
    apart = "greatest(victims_min_l - victims_max_r, victims_min_r - victims_max_l)"
    exact = (
        "victims_min_l = victims_max_l AND victims_min_r = victims_max_r "
        "AND victims_min_l = victims_min_r"
    )
    return _comparison(
        "victims",
        "Number of victims told (exact, range or vague)",
        [
            _level("victims_min_l IS NULL OR victims_min_r IS NULL", "count unknown", null=True),
            _level(exact, "same exact number"),
            _level(f"{apart} <= 0", "ranges compatible"),
            _level(f"{apart} <= 1", "off by one"),
            _level("ELSE", "different numbers"),
        ],
    )


def charges_comparison() -> dict[str, Any]:
    """Charges as sets (bit masks): equal, sharing a charge, disjoint."""
    return _comparison(
        "charges",
        "Charges told, compared as sets",
        [
            _level("charges_l = 0 OR charges_r = 0", "charges unknown", null=True),
            _level("charges_l = charges_r", "same charges"),
            _level("(charges_l & charges_r) <> 0", "a charge in common"),
            _level("ELSE", "no charge in common"),
        ],
    )


def value_comparison(column: str, description: str) -> dict[str, Any]:
    """A coded value (method, site type): equal, different, or unknown on either side."""
    return _comparison(
        column,
        description,
        [
            _level(f"{column}_l IS NULL OR {column}_r IS NULL", f"{column} unknown", null=True),
            _level(f"{column}_l = {column}_r", f"same {column}"),
            _level("ELSE", f"different {column}"),
        ],
    )


def name_comparison(dialect: str = "duckdb") -> dict[str, Any]:
    """Victim names of two reports: one hierarchical comparison over their name sets.

    Hangul equal > same romanized spelling > a shared match key (spellings of one name,
    :func:`uncounted.records.names.name_keys`) > first keys spelled alike (a typing
    slip) > named but no name in common.
    """
    f = _functions(dialect)
    overlap, jw = f["overlap"], f["jaro_winkler"]
    return _comparison(
        "names",
        "Names of the victims told in each report",
        [
            _level("name_first_key_l IS NULL OR name_first_key_r IS NULL", "no name", null=True),
            _level(f"{overlap}(name_hangul_l, name_hangul_r)", "same Hangul name"),
            _level(f"{overlap}(name_roman_l, name_roman_r)", "same romanized name"),
            _level(f"{overlap}(name_keys_l, name_keys_r)", "same name key"),
            _level(f"{jw}(name_first_key_l, name_first_key_r) >= {_FUZZY_NAME}", "similar names"),
            _level("ELSE", "different names"),
        ],
    )


def event_comparisons(dialect: str = "duckdb") -> list[dict[str, Any]]:
    """The comparisons of the report (event) model, in order."""
    return [
        date_comparison(),
        place_comparison(),
        count_comparison(),
        charges_comparison(),
        value_comparison("method", "Method of execution"),
        value_comparison("site_type", "Type of site"),
        name_comparison(dialect),
    ]


def mention_name_comparison(dialect: str = "duckdb") -> dict[str, Any]:
    """One victim name against another: the same hierarchy as :func:`name_comparison`."""
    f = _functions(dialect)
    overlap, jw = f["overlap"], f["jaro_winkler"]
    return _comparison(
        "name",
        "Name of the victim as told",
        [
            _level("name_first_key_l IS NULL OR name_first_key_r IS NULL", "no name", null=True),
            _level("name_hangul_l = name_hangul_r", "same Hangul name"),
            _level(f"{overlap}(name_roman_l, name_roman_r)", "same romanized name"),
            _level(f"{overlap}(name_keys_l, name_keys_r)", "same name key"),
            _level(f"{jw}(name_first_key_l, name_first_key_r) >= {_FUZZY_NAME}", "similar names"),
            _level("ELSE", "different names"),
        ],
    )


def sex_comparison() -> dict[str, Any]:
    """Sex as told."""
    return value_comparison("sex", "Sex of the victim as told")


def mention_age_comparison() -> dict[str, Any]:
    """Birth years implied by the told age and the report's date, as ranges."""
    apart = "greatest(birth_min_l - birth_max_r, birth_min_r - birth_max_l)"
    widest = "greatest(birth_max_l - birth_min_l, birth_max_r - birth_min_r)"
    return _comparison(
        "age",
        "Birth year from the told age and the date of the event",
        [
            _level("birth_min_l IS NULL OR birth_min_r IS NULL", "age unknown", null=True),
            _level(f"{apart} <= 0 AND {widest} <= 4", "close ages, both precise"),
            _level(f"{apart} <= 0", "compatible ages"),
            _level(f"{apart} <= 5", "ages a few years apart"),
            _level("ELSE", "different ages"),
        ],
    )


def event_place_comparison() -> dict[str, Any]:
    """The event each mention's report was linked to, and else its place.

    One comparison, because the place of a mention is the place of its event: the same
    event in a one-victim event > the same event > same county > same province > apart.
    ``event_victims`` is the event's number of victims as its reports tell it.
    """
    return _comparison(
        "event",
        "Event of the mention (from report linkage), else its place",
        [
            _level(
                "event_id_l = event_id_r AND event_victims_l = 1", "same event, one victim told"
            ),
            _level("event_id_l = event_id_r AND event_victims_l <= 3", "same event, a few victims"),
            _level("event_id_l = event_id_r", "same event"),
            _level("county_l = county_r", "other event, same county"),
            _level("province_l = province_r", "other event, same province"),
            _level("ELSE", "other event elsewhere"),
        ],
    )


def victim_comparisons(dialect: str = "duckdb") -> list[dict[str, Any]]:
    """The comparisons of the mention (victim) model, in order."""
    return [
        mention_name_comparison(dialect),
        sex_comparison(),
        mention_age_comparison(),
        event_place_comparison(),
    ]
