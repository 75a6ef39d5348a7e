"""Write a report folder: ``report.html``, ``figures/``, ``tables/`` and ``summary.json``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, cast

import pandas as pd

from uncounted.records.vocab import Lang
from uncounted.report import figures, tilemap
from uncounted.report.accounting import Accounting
from uncounted.report.fonts import configure
from uncounted.report.html import render_html
from uncounted.report.i18n import t
from uncounted.report.methods import comparison_table
from uncounted.report.summary import build_summary

FIGURES = "figures"
TABLES = "tables"


def draw_charts(a: Accounting, folder: Path, lang: Lang) -> dict[str, str]:
    """Draw and save every chart; returns the SVG text of each, by name."""
    k = a.settings.min_cell
    truth_total = None if a.truth is None else float(a.truth["total"])
    drawn: dict[str, Any] = {
        "events_by_year": lambda: figures.by_year_figure(a.tables.by_year, "events", lang),
        "people_by_year": lambda: figures.by_year_figure(
            a.tables.by_year, "people", lang, claims=a.claims
        ),
        "map": lambda: (
            tilemap.choropleth_figure(a.tables.provinces, a.settings.boundaries, lang, k)
            if a.settings.boundaries
            else tilemap.tile_map_figure(a.tables.provinces, lang, k)
        ),
        "charges": lambda: figures.charges_figure(a.tables.charges, lang),
        "how_known": lambda: figures.how_known_figure(a.tables.how_known, lang),
        "methods": lambda: figures.interval_figure(
            comparison_table(a.methods),
            "method",
            t("methods", lang),
            lang,
            truth=truth_total,
            documented=float(len(a.events)),
        ),
        "strata": lambda: figures.strata_figure(a.tables.strata, lang),
        "linkage_sensitivity": lambda: figures.interval_figure(
            a.sensitivity, "linkage", t("linkage", lang), lang, truth=truth_total
        ),
        "coverage": lambda: figures.coverage_figure(a.tables.coverage, a.tables.patterns, lang),
        "claims": lambda: _claims_figure(a, lang),
        "rates": lambda: figures.rates_figure(a.tables.rates, lang),
    }
    return {name: figures.save(make(), folder, name) for name, make in drawn.items()}


def _claims_figure(a: Accounting, lang: Lang) -> Any:
    counts = a.claims[(a.claims["kind"] != "rate") & a.claims["ours"].notna()].reset_index(
        drop=True
    )
    rows = pd.DataFrame(
        {
            "claim": counts["claim_id"],
            "estimate": counts["ours"],
            "lower": counts["our_lower"],
            "upper": counts["our_upper"],
        }
    )
    return figures.interval_figure(
        rows, "claim", t("claims", lang), lang, values=counts["value"].astype(float)
    )


def write_tables(a: Accounting, folder: Path) -> None:
    """One CSV per table (UTF-8, ``\\n`` line ends, so reruns compare byte for byte)."""
    folder.mkdir(parents=True, exist_ok=True)
    named = {
        **a.tables.named(),
        "methods": comparison_table(
            a.methods, None if a.truth is None else float(a.truth["total"])
        ),
        "claims": a.claims,
        "linkage_sensitivity": a.sensitivity,
    }
    for name, frame in named.items():
        frame.to_csv(folder / f"{name}.csv", index=False, lineterminator="\n")


def write_report(a: Accounting, out: Path) -> dict[str, Any]:
    """Write everything into ``out`` (created if needed); return the summary."""
    out.mkdir(parents=True, exist_ok=True)
    lang = cast(Lang, a.settings.lang)
    korean = configure(lang)
    chart_lang: Lang = lang if lang == "en" or korean else "en"
    note = ""
    if lang == "ko" and not korean:
        note = "차트에 한글 글꼴이 없어 영어로 표시했습니다 (fonts-nanum 또는 fonts-noto-cjk 설치)."
        a.notes.append("No font with Hangul was found: charts are labelled in English.")
    charts = draw_charts(a, out / FIGURES, chart_lang)
    write_tables(a, out / TABLES)
    (out / "report.html").write_text(render_html(a, charts, lang, note), encoding="utf-8")
    summary = build_summary(a)
    (out / "summary.json").write_text(
        json.dumps(summary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return summary
