"""The claims ledger: published figures set beside what the data support.

A claim is one row of a CSV with the columns ``claim_id, source, citation, quantity,
period_start, period_end, region, value, kind``: ``quantity`` is ``people`` or
``events``; ``kind`` is ``total`` (the claim is the number), ``at_least`` (a floor) or
``rate`` (per million population per year). The matching quantity is computed from the
same posterior replicates as the headline (the years of the claim summed replicate by
replicate), so a claim about 2008 meets the 2008 interval, not a share of the total.

Verdicts: *consistent with our interval*, *below our lower bound*, *above our upper
bound* or *not comparable*, each with the reason in words.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from uncounted.errors import ConfigurationError, Problem, ValidationError
from uncounted.report.headline import Replicates

CLAIM_COLUMNS = (
    "claim_id",
    "source",
    "citation",
    "quantity",
    "period_start",
    "period_end",
    "region",
    "value",
    "kind",
)
QUANTITIES = ("people", "events")
KINDS = ("total", "at_least", "rate")
CONSISTENT = "consistent with our interval"
BELOW = "below our lower bound"
ABOVE = "above our upper bound"
NOT_COMPARABLE = "not comparable"
# The accounting covers one country; claims about it may name it or leave region empty.
WHOLE_COUNTRY = {"", "KP", "DPRK", "all"}

FloatArray = np.ndarray[Any, np.dtype[np.float64]]


def seed_claims_path() -> Path:
    """The claims the demo ships (KINU, Amnesty International, DPIC), as a package file."""
    return Path(str(resources.files("uncounted.report") / "data" / "claims_seed.csv"))


@lru_cache(maxsize=1)
def reference_rates() -> dict[str, Any]:
    """Populations and reference execution counts, with their sources."""
    text = (resources.files("uncounted.report") / "data" / "reference_rates.json").read_text(
        encoding="utf-8"
    )
    data: dict[str, Any] = json.loads(text)
    return data


def population(region: str, year: float) -> float:
    """Population of ``region`` in ``year``: linear between (and beyond) its two censuses."""
    censuses = reference_rates()["populations"][region]["censuses"]
    (y0, p0), (y1, p1) = sorted((int(y), float(p)) for y, p in censuses.items())
    return p0 + (p1 - p0) * (year - y0) / (y1 - y0)


def mean_population(region: str, first: int, last: int) -> float:
    """Average population over the years ``first`` to ``last``."""
    return float(np.mean([population(region, y) for y in range(first, last + 1)]))


def read_claims(path: str | Path) -> pd.DataFrame:
    """Read and validate a claims CSV; every problem of the file is reported at once."""
    file = Path(path)
    try:
        frame = pd.read_csv(file, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except FileNotFoundError:
        raise ConfigurationError(f"claims file not found: {file}") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise ValidationError(
            [Problem(str(file), None, None, None, f"a readable CSV ({exc})")]
        ) from exc
    missing = [c for c in CLAIM_COLUMNS if c not in frame.columns]
    if missing:
        raise ValidationError(
            [Problem(str(file), 1, c, None, "a column with this name") for c in missing]
        )
    problems: list[Problem] = []
    rows = []
    for i, record in enumerate(frame.to_dict(orient="records"), start=2):
        row: dict[str, Any] = {c: str(record[c]).strip() for c in CLAIM_COLUMNS}
        if not row["claim_id"]:
            problems.append(Problem(str(file), i, "claim_id", "", "an id for the claim"))
        if row["quantity"] not in QUANTITIES:
            problems.append(Problem(str(file), i, "quantity", row["quantity"], "people or events"))
        if row["kind"] not in KINDS:
            problems.append(Problem(str(file), i, "kind", row["kind"], "total, at_least or rate"))
        for column in ("period_start", "period_end"):
            try:
                row[column] = int(row[column])
            except ValueError:
                problems.append(Problem(str(file), i, column, row[column], "a year"))
        try:
            row["value"] = float(row["value"].replace(",", ""))
        except ValueError:
            problems.append(Problem(str(file), i, "value", row["value"], "a number"))
        rows.append(row)
    if problems:
        raise ValidationError(problems)
    ids = [r["claim_id"] for r in rows]
    dupes = sorted({x for x in ids if ids.count(x) > 1})
    if dupes:
        raise ValidationError(
            [Problem(str(file), None, "claim_id", ", ".join(dupes), "distinct claim ids")]
        )
    return pd.DataFrame(rows, columns=list(CLAIM_COLUMNS))


def judge_claims(
    claims: pd.DataFrame, replicates: Replicates, level: float, country: str = "KP"
) -> pd.DataFrame:
    """Each claim with the matching interval, its verdict and the reason."""
    alpha = 1.0 - level
    first, last = replicates.years[0], replicates.years[-1]
    out = []
    for claim in claims.to_dict(orient="records"):
        start, end = int(claim["period_start"]), int(claim["period_end"])
        region = str(claim["region"]).strip()
        row: dict[str, Any] = {
            **{str(k): v for k, v in claim.items()},
            "ours": None,
            "our_lower": None,
            "our_upper": None,
            "unit": "",
        }
        if start > end:
            row.update(verdict=NOT_COMPARABLE, reason="the claim's period runs backwards")
            out.append(row)
            continue
        years = end - start + 1
        in_period = first <= start and end <= last
        if claim["kind"] == "rate":
            row["unit"] = "per million people per year"
        if region not in WHOLE_COUNTRY:
            reason = (
                f"about {region}, not the country this report accounts for"
                if claim["kind"] != "rate"
                else f"a rate for {region}, shown for scale beside ours"
            )
            if claim["kind"] == "rate":
                span = (max(start, first), min(end, last)) if in_period else (first, last)
                draws = replicates.over(claim["quantity"], *span)
                draws = draws / (span[1] - span[0] + 1) / (mean_population(country, *span) / 1e6)
                _fill(row, draws, alpha, digits=3)
                reason += f" ({span[0]}-{span[1]})"
            row.update(verdict=NOT_COMPARABLE, reason=reason)
            out.append(row)
            continue
        if not in_period:
            row.update(
                verdict=NOT_COMPARABLE,
                reason=f"the claim covers {start}-{end}; this report covers {first}-{last}",
            )
            out.append(row)
            continue
        draws = replicates.over(claim["quantity"], start, end)
        if claim["kind"] == "rate":
            draws = draws / years / (mean_population(country, start, end) / 1e6)
        _fill(row, draws, alpha, digits=3 if claim["kind"] == "rate" else 0)
        value = float(claim["value"])
        low, high = float(row["our_lower"]), float(row["our_upper"])
        if claim["kind"] == "at_least":
            verdict = ABOVE if value > high else CONSISTENT
            reason = (
                f"a floor of {value:,.0f} is above every value our interval allows"
                if verdict == ABOVE
                else f"our interval ({low:,.0f} to {high:,.0f}) allows at least {value:,.0f}"
            )
        elif value < low:
            verdict, reason = (
                BELOW,
                f"{value:,.4g} is below our interval ({low:,.4g} to {high:,.4g})",
            )
        elif value > high:
            verdict, reason = (
                ABOVE,
                f"{value:,.4g} is above our interval ({low:,.4g} to {high:,.4g})",
            )
        else:
            verdict, reason = (
                CONSISTENT,
                f"{value:,.4g} lies in our interval ({low:,.4g} to {high:,.4g})",
            )
        row.update(verdict=verdict, reason=reason)
        out.append(row)
    return pd.DataFrame(out)


def _fill(row: dict[str, Any], draws: FloatArray, alpha: float, digits: int) -> None:
    low, mid, high = np.quantile(draws, [alpha / 2, 0.5, 1 - alpha / 2])
    row["ours"] = round(float(mid), digits)
    row["our_lower"] = round(float(low), digits)
    row["our_upper"] = round(float(high), digits)
