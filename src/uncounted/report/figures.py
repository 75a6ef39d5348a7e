"""The report's charts, drawn with matplotlib and saved as PNG and SVG.

Each ``*_figure`` function takes published tables (already under disclosure control) and
returns a figure; :func:`save` writes it reproducibly. matplotlib is imported inside the
functions, so importing this module stays cheap.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from uncounted.records.vocab import Lang
from uncounted.report.i18n import charge_label, how_known_label, stratum_label, t

if TYPE_CHECKING:
    from matplotlib.figure import Figure

DOCUMENTED = "#9aa5b1"
ESTIMATE = "#1f5fa8"
TRUTH = "#d1495b"
CLAIM = "#2a9d5c"
OTHER = "#e0a800"
WIDE = (7.5, 3.6)


def save(fig: Figure, folder: Path, name: str) -> str:
    """Write ``name.png`` and ``name.svg`` into ``folder``; return the SVG text."""
    import matplotlib.pyplot as plt

    folder.mkdir(parents=True, exist_ok=True)
    fig.savefig(folder / f"{name}.png", dpi=110, metadata={"Software": None})
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    svg = buffer.getvalue()
    (folder / f"{name}.svg").write_text(svg, encoding="utf-8")
    plt.close(fig)
    return svg


def _new(size: tuple[float, float] = WIDE) -> tuple[Figure, Any]:
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=size, layout="constrained")
    return fig, ax


def by_year_figure(
    by_year: pd.DataFrame, quantity: str, lang: Lang, claims: pd.DataFrame | None = None
) -> Figure:
    """Documented (bars), estimated (line and 95 % band), truth and claims by year."""
    fig, ax = _new()
    years = by_year["year"].to_numpy(dtype=int)
    if quantity == "events":
        mid, low, high = "estimate", "lower", "upper"
        documented = pd.to_numeric(by_year["documented"], errors="coerce")
        title, truth_col = t("events_per_year", lang), "truth_events"
    else:
        mid, low, high = "people", "people_lower", "people_upper"
        documented = None
        title, truth_col = t("people_per_year", lang), "truth_people"
    if documented is not None:
        ax.bar(years, documented.fillna(0), color=DOCUMENTED, label=t("documented", lang))
    ax.fill_between(
        years, by_year[low], by_year[high], color=ESTIMATE, alpha=0.18, label=t("band", lang)
    )
    ax.plot(years, by_year[mid], color=ESTIMATE, marker="o", ms=3, label=t("estimate", lang))
    if truth_col in by_year and by_year[truth_col].notna().any():
        ax.plot(
            years,
            pd.to_numeric(by_year[truth_col]),
            ls="none",
            marker="D",
            ms=4,
            color=TRUTH,
            label=t("truth", lang),
        )
    if claims is not None and not claims.empty:
        single = claims[
            (claims["period_start"] == claims["period_end"])
            & (claims["quantity"] == quantity)
            & (claims["kind"] != "rate")
        ]
        if not single.empty:
            ax.plot(
                single["period_start"],
                single["value"],
                ls="none",
                marker="*",
                ms=8,
                color=CLAIM,
                label=t("claims", lang),
            )
    ax.set_title(title, loc="left")
    ax.set_xlabel(t("year", lang))
    ax.set_ylabel(t(quantity, lang))
    ax.set_xticks(years[:: max(1, len(years) // 15)])
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper left", ncols=3)
    return fig


def charges_figure(charges: pd.DataFrame, lang: Lang) -> Figure:
    """Share of documented events by charge, stacked per period."""
    fig, ax = _new()
    # Events of unknown year stay in the table; a share of them says nothing over time.
    frame = charges.dropna(subset=["events"])
    frame = frame[frame["period"] != "unknown"]
    table = frame.pivot_table(index="period", columns="charge", values="events", aggfunc="sum")
    table = table.fillna(0).astype(float)
    shares = table.div(table.sum(axis=1).replace(0, np.nan), axis=0).fillna(0)
    order = shares.sum().sort_values(ascending=False).index
    import matplotlib

    colours = matplotlib.colormaps["tab20"](np.linspace(0, 1, 20))
    bottom = np.zeros(len(shares))
    for i, charge in enumerate(order):
        ax.bar(
            shares.index,
            shares[charge],
            bottom=bottom,
            color=colours[i % 20],
            label=charge_label(str(charge), lang),
        )
        bottom += shares[charge].to_numpy()
    ax.set_title(t("charges", lang), loc="left")
    ax.set_ylabel(t("share", lang))
    ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5))
    return fig


def how_known_figure(how_known: pd.DataFrame, lang: Lang) -> Figure:
    """Reports by how the source knew, stacked per period."""
    fig, ax = _new()
    frame = how_known.dropna(subset=["reports"])
    frame = frame[frame["period"] != "unknown"]
    table = frame.pivot_table(index="period", columns="how_known", values="reports", aggfunc="sum")
    table = table.fillna(0).astype(float)
    palette = {"saw": ESTIMATE, "heard": OTHER, "announcement": CLAIM, "document": TRUTH}
    bottom = np.zeros(len(table))
    for how in table.columns:
        ax.bar(
            table.index,
            table[how],
            bottom=bottom,
            color=palette.get(str(how), DOCUMENTED),
            label=how_known_label(str(how), lang),
        )
        bottom += table[how].to_numpy()
    ax.set_title(t("how_known", lang), loc="left")
    ax.set_ylabel(t("reports", lang))
    ax.legend(loc="upper right")
    return fig


def interval_figure(
    rows: pd.DataFrame,
    label: str,
    title: str,
    lang: Lang,
    *,
    truth: float | None = None,
    documented: float | None = None,
    values: pd.Series | None = None,
) -> Figure:
    """Estimates with intervals, one row each (method comparison, sensitivity, claims)."""
    shown = rows.dropna(subset=["estimate"]).reset_index(drop=True)
    fig, ax = _new((7.5, 0.9 + 0.32 * max(len(shown), 1)))
    y = np.arange(len(shown))[::-1]
    est = shown["estimate"].to_numpy(dtype=float)
    low = shown["lower"].to_numpy(dtype=float)
    high = shown["upper"].to_numpy(dtype=float)
    ax.errorbar(
        est,
        y,
        xerr=[np.maximum(est - low, 0), np.maximum(high - est, 0)],
        fmt="o",
        color=ESTIMATE,
        ms=4,
        capsize=3,
        label=t("estimate", lang),
    )
    if values is not None:
        shown_values = values.reindex(shown.index)
        ax.plot(shown_values, y, "*", color=CLAIM, ms=9, label=t("claim", lang))
    if documented is not None:
        ax.axvline(documented, color=DOCUMENTED, ls="--", lw=1, label=t("documented", lang))
    if truth is not None:
        ax.axvline(truth, color=TRUTH, lw=1.5, label=t("truth", lang))
    ax.set_yticks(y, [str(v) for v in shown[label]])
    ax.set_title(title, loc="left")
    ax.legend(loc="lower right")
    return fig


def coverage_figure(coverage: pd.DataFrame, patterns: pd.DataFrame, lang: Lang) -> Figure:
    """Events per collection, and per combination of collections."""
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(
        1, 2, figsize=(7.5, 3.4), layout="constrained", width_ratios=[1, 1.6]
    )
    shown = coverage.dropna(subset=["events"])
    left.barh(shown["collection"][::-1], shown["events"][::-1].astype(float), color=ESTIMATE)
    left.set_title(t("collection", lang), loc="left")
    left.set_xlabel(t("events", lang))
    combos = patterns.dropna(subset=["events"])
    right.barh(combos["combination"][::-1], combos["events"][::-1].astype(float), color=OTHER)
    right.set_title(t("combination", lang), loc="left")
    right.set_xlabel(t("events", lang))
    return fig


def rates_figure(rates: pd.DataFrame, lang: Lang) -> Figure:
    """People executed per million per year: the DPRK estimate beside the United States."""
    fig, ax = _new()
    years = rates["year"].to_numpy(dtype=int)
    ax.fill_between(years, rates["kp_lower"], rates["kp_upper"], color=ESTIMATE, alpha=0.18)
    ax.plot(years, rates["kp_per_million"], color=ESTIMATE, marker="o", ms=3, label="DPRK")
    if "truth_per_million" in rates:
        ax.plot(
            years,
            rates["truth_per_million"],
            ls="none",
            marker="D",
            ms=4,
            color=TRUTH,
            label="DPRK: " + t("truth", lang),
        )
    us = pd.to_numeric(rates["us_per_million"], errors="coerce")
    ax.plot(years, us, color=OTHER, marker="s", ms=3, label="United States")
    ax.set_title(t("rates", lang), loc="left")
    ax.set_ylabel(t("per_million", lang))
    ax.set_yscale("log")
    ax.legend(loc="best")
    return fig


def strata_figure(strata: pd.DataFrame, lang: Lang) -> Figure:
    """Documented and estimated events in each witness-density stratum."""
    rows = strata.assign(label=[stratum_label(s, lang) for s in strata["stratum"]])
    return interval_figure(
        rows,
        "label",
        t("strata", lang),
        lang,
        values=None,
    )
