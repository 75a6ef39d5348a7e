"""``report.html``: one self-contained page (styles inline, charts as data URIs).

Nothing is fetched when the page opens: no scripts, fonts or images from elsewhere, so it
reads the same offline. Charts are the SVG files of ``figures/``, embedded as images with
their text drawn as paths, so no font is needed either.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Sequence
from typing import Any

import pandas as pd

from uncounted.records.vocab import Lang
from uncounted.report.accounting import Accounting
from uncounted.report.i18n import stratum_label, t, verdict_label
from uncounted.report.methods import MethodRun

STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans KR","Nanum Gothic",sans-serif;
max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1d2733;line-height:1.5}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2.2rem;
border-bottom:1px solid #d5dbe1;padding-bottom:.2rem}
.banner{background:#fff4e5;border-left:4px solid #e0a800;padding:.5rem .8rem}
.headline{display:flex;flex-wrap:wrap;gap:1rem;margin:1rem 0}
.figure-box{flex:1 1 12rem;background:#f3f6f9;border-radius:6px;padding:.7rem 1rem}
.figure-box .n{font-size:1.6rem;font-weight:700}.figure-box .i{color:#4a5866;font-size:.9rem}
img.chart{width:100%;height:auto;display:block;margin:.6rem 0}
table{border-collapse:collapse;font-size:.85rem;margin:.6rem 0;width:100%}
th,td{border-bottom:1px solid #e3e8ed;padding:.25rem .4rem;text-align:right}
th:first-child,td:first-child{text-align:left}td.text{text-align:left}
.note{color:#4a5866;font-size:.9rem}code{background:#f3f6f9;padding:0 .2rem}
.verdict-consistent{color:#1e7a45}.verdict-below,.verdict-above{color:#b3261e}
"""


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value))


def _num(value: Any, digits: int = 0) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "—"
    if isinstance(value, str):
        return _e(value)
    return f"{float(value):,.{digits}f}"


def chart(svg: str, alt: str) -> str:
    """An SVG chart as an inline image."""
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return f'<img class="chart" alt="{_e(alt)}" src="data:image/svg+xml;base64,{data}">'


def table(frame: pd.DataFrame, columns: Sequence[tuple[str, str]], text: Sequence[str] = ()) -> str:
    """An HTML table of ``columns`` (key, header); columns in ``text`` are left-aligned."""
    head = "".join(f"<th>{_e(label)}</th>" for _, label in columns)
    rows = []
    for row in frame.to_dict("records"):
        cells = []
        for key, _ in columns:
            value = row.get(key)
            css = ' class="text"' if key in text else ""
            shown = _e(value) if key in text else _num(value, 3 if _small(value) else 0)
            cells.append(f"<td{css}>{shown}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _small(value: Any) -> bool:
    return isinstance(value, float) and 0 < abs(value) < 10 and not value.is_integer()


def trust_note(runs: Sequence[MethodRun], lang: Lang) -> str:
    """Which estimate to trust, and why, in plain words."""
    main = runs[0].method if runs else ""
    if lang == "ko":
        return (
            f"핵심 수치는 <b>{_e(main)}</b>입니다. 면담자는 대부분 국경 지역 출신이어서 사건이 "
            "기록될 확률이 지역마다 크게 다릅니다. 층을 나누지 않은 방법은 모든 사건의 기록 "
            "확률이 같다고 가정하므로 기록이 드문 곳의 사건을 과소 추정합니다. 층화 잠재계층 "
            "모형은 증인 밀도가 비슷한 사건끼리 추정한 뒤 합산하고, 층 안에 남은 이질성도 "
            "잠재계층으로 다룹니다. 로그선형 모형과 closedp는 수집처 사이의 의존을 일부만 "
            "다루며, 면담자 기반 미관측 추정(Chao2 등)은 면담자 집단이 알 수 있었던 사건만 "
            "세므로 하한으로 읽어야 합니다."
        )
    return (
        f"The headline is <b>{_e(main)}</b>. Interviewees come mostly from the border "
        "provinces, so an event's chance of being documented differs enormously from place "
        "to place. Unstratified methods assume every event had the same chances and so "
        "undercount where documentation is thin. The stratified latent-class model "
        "estimates events with similar witness density together, models the heterogeneity "
        "left inside each stratum with latent classes, and adds the strata up. Log-linear "
        "models and closedp capture dependence between collections only in part; the "
        "unseen-event estimators on interviewees (Chao2 and the others) count only events "
        "that the people interviewed could have told, so read them as lower bounds."
    )


def render_html(a: Accounting, charts: dict[str, str], lang: Lang, chart_note: str = "") -> str:
    """The whole page."""
    s = a.settings
    h = a.headline
    pct = f"{s.level * 100:g}"
    parts: list[str] = [
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(t('title', lang))}</title><style>{STYLE}</style></head><body>",
        f"<h1>{_e(t('title', lang))}</h1>",
        f'<p class="note">{s.period[0]}–{s.period[1]} · uncounted {_e(a.provenance.get("version"))}</p>',
    ]
    if a.truth is not None:
        parts.append(f'<p class="banner">{_e(t("demo_banner", lang))}</p>')
    if a.provenance.get("linkage", {}).get("method") == "truth":
        parts.append(f'<p class="banner">{_e(t("stand_in_linkage", lang))}</p>')
    if chart_note:
        parts.append(f'<p class="note">{_e(chart_note)}</p>')

    boxes = [
        (t("reports", lang), f"{a.n_reports:,}", ""),
        (t("documented_events", lang), f"{len(a.events):,}", ""),
        (
            t("estimated_events", lang),
            _num(h.events.point),
            f"{pct} %: {_num(h.events.lower)}–{_num(h.events.upper)}"
            + (
                ""
                if (span := a.linkage_range()) is None
                else f"; {t('linkage_range', lang)}: {_num(span[0])}–{_num(span[1])}"
            ),
        ),
        (
            t("estimated_people", lang),
            _num(h.people.point),
            f"{pct} %: {_num(h.people.lower)}–{_num(h.people.upper)}",
        ),
    ]
    if a.truth is not None:
        boxes.append(
            (
                t("truth", lang),
                f"{a.truth['total']:,}",
                f"{t('people', lang)}: {a.truth['total_people']:,}",
            )
        )
    parts.append(f'<h2>{_e(t("headline", lang))}</h2><div class="headline">')
    for label, number, interval in boxes:
        parts.append(
            f'<div class="figure-box"><div>{_e(label)}</div><div class="n">{number}</div>'
            f'<div class="i">{_e(interval)}</div></div>'
        )
    parts.append("</div>")
    parts.append(
        f"<p>{_e(t('method', lang))}: <code>{_e(h.events.method)}</code>; "
        f"{_e(t('estimated_people', lang))}: <code>{_e(h.people.method)}</code>.</p>"
    )

    def section(key: str, chart_key: str | None, note: str = "", body: str = "") -> None:
        parts.append(f'<h2 id="{_e(chart_key or key)}">{_e(t(key, lang))}</h2>')
        if note:
            parts.append(f'<p class="note">{note}</p>')
        if chart_key and chart_key in charts:
            parts.append(chart(charts[chart_key], t(key, lang)))
        parts.append(body)

    year_cols = [
        ("year", t("year", lang)),
        ("documented", t("documented", lang)),
        ("estimate", t("estimate", lang)),
        ("lower", t("lower", lang)),
        ("upper", t("upper", lang)),
        ("people", t("people", lang)),
        ("people_lower", t("lower", lang)),
        ("people_upper", t("upper", lang)),
    ]
    if "truth_events" in a.tables.by_year:
        year_cols += [
            ("truth_events", t("truth_events", lang)),
            ("truth_people", t("truth_people", lang)),
        ]
    section(
        "events_per_year",
        "events_by_year",
        body=table(a.tables.by_year, year_cols, text=("year",)),
    )
    section("people_per_year", "people_by_year")
    map_note = t("choropleth_note" if s.boundaries else "map_note", lang)
    section("map", "map", _e(map_note))
    section("charges", "charges", _e(t("charges_note", lang)))
    section("how_known", "how_known", _e(t("how_known_note", lang)))
    section(
        "methods",
        "methods",
        _e(t("methods_note", lang)) + " " + trust_note(a.methods, lang),
        _methods_table(a.methods, lang) + _warnings_list(a.methods),
    )
    strata = a.tables.strata.assign(
        label=[stratum_label(x, lang) for x in a.tables.strata["stratum"]]
    )
    section(
        "strata",
        "strata",
        _e(t("strata_note", lang)),
        table(
            strata,
            [
                ("label", t("stratum", lang)),
                ("documented", t("documented", lang)),
                ("estimate", t("estimate", lang)),
                ("lower", t("lower", lang)),
                ("upper", t("upper", lang)),
                ("people", t("people", lang)),
            ],
            text=("label",),
        ),
    )
    sensitivity_note = "" if len(a.sensitivity) > 1 else _e(t("unavailable_linkage", lang))
    if a.settings.linkage == "splink":
        one_sided = "" if a.linkage_range() is None else _e(t("one_sided_note", lang))
        sensitivity_note = " ".join(
            x for x in (_e(t("linker_caveat", lang)), one_sided, sensitivity_note) if x
        )
    section(
        "linkage",
        "linkage_sensitivity",
        sensitivity_note,
        table(
            a.sensitivity,
            [
                ("linkage", t("replicate", lang)),
                ("documented", t("documented", lang)),
                ("estimate", t("estimate", lang)),
                ("lower", t("lower", lang)),
                ("upper", t("upper", lang)),
            ],
            text=("linkage",),
        ),
    )
    section(
        "coverage",
        "coverage",
        _e(t("coverage_note", lang)),
        table(
            a.tables.coverage,
            [
                ("collection", t("collection", lang)),
                ("name", ""),
                ("events", t("events", lang)),
                ("reports", t("reports", lang)),
            ],
            text=("collection", "name"),
        ),
    )
    section("claims", "claims", _e(t("claims_note", lang)), _claims_table(a.claims, lang))
    section("rates", "rates", _e(t("rates_note", lang)) + " " + _e(_population_note(lang)))
    notes = a.tables.disclosure or [t("no_suppression", lang)]
    section(
        "disclosure",
        None,
        _e(t("disclosure_note", lang, k=s.min_cell)),
        "<ul>" + "".join(f"<li>{_e(n)}</li>" for n in notes) + "</ul>",
    )
    caveats = a.headline.warnings + a.notes
    if caveats:
        section(
            "caveats", None, "", "<ul>" + "".join(f"<li>{_e(c)}</li>" for c in caveats) + "</ul>"
        )
    provenance = a.provenance
    section(
        "provenance",
        None,
        _e(t("provenance_note", lang)),
        "<ul>"
        + f"<li>input_sha256: <code>{_e(provenance.get('input_sha256'))}</code></li>"
        + f"<li>seed: <code>{s.seed}</code></li>"
        + f"<li>linkage: <code>{_e(provenance.get('linkage', {}).get('method'))}</code></li>"
        + "".join(
            f"<li>{_e(name)} {_e(version)}</li>"
            for name, version in provenance.get("packages", {}).items()
        )
        + "</ul>",
    )
    parts.append("</body></html>")
    return "\n".join(parts)


def _methods_table(runs: Sequence[MethodRun], lang: Lang) -> str:
    rows = []
    for run in runs:
        e = run.estimate
        rows.append(
            {
                "method": run.method,
                "data": run.data,
                "estimate": None if e is None else e.point,
                "lower": None if e is None else e.lower,
                "upper": None if e is None else e.upper,
                "diagnostics": "" if e is None else diagnostics_text(e.diagnostics),
                "warnings": len(run.warnings),
                "error": run.error or "",
            }
        )
    return table(
        pd.DataFrame(rows),
        [
            ("method", t("method", lang)),
            ("data", ""),
            ("estimate", t("estimate", lang)),
            ("lower", t("lower", lang)),
            ("upper", t("upper", lang)),
            ("diagnostics", ""),
            ("warnings", "⚠"),
            ("error", ""),
        ],
        text=("method", "data", "diagnostics", "error"),
    )


# The diagnostics a reader can use to judge a fit, by the names the estimators give them.
_SHOWN_DIAGNOSTICS = (
    "combination",
    "ess",
    "rhat",
    "saturated_prob",
    "interactions",
    "aic",
    "model",
    "coverage_rare",
    "cv_rare",
    "sample_coverage",
)


def diagnostics_text(diagnostics: dict[str, Any]) -> str:
    """A few of an estimate's diagnostics, as ``name value`` pairs."""
    shown = []
    for key in _SHOWN_DIAGNOSTICS:
        value = diagnostics.get(key)
        if value is None:
            continue
        if isinstance(value, float):
            shown.append(f"{key} {value:.3g}")
        elif isinstance(value, list | tuple):
            shown.append(f"{key} {', '.join(map(str, value)) or 'none'}")
        else:
            shown.append(f"{key} {value}")
    return "; ".join(shown)


def _warnings_list(runs: Sequence[MethodRun]) -> str:
    items = [f"<li><b>{_e(r.method)}</b>: {_e(w)}</li>" for r in runs for w in r.warnings]
    return f'<ul class="note">{"".join(items)}</ul>' if items else ""


def _claims_table(claims: pd.DataFrame, lang: Lang) -> str:
    rows = []
    for row in claims.to_dict("records"):
        verdict = str(row["verdict"])
        css = verdict.split()[0]
        rows.append(
            "<tr>"
            f'<td class="text">{_e(row["claim_id"])}</td>'
            f'<td class="text">{_e(row["citation"])}</td>'
            f"<td>{_num(row['value'], 3 if row['kind'] == 'rate' else 0)}</td>"
            f"<td>{_num(row['ours'], 3 if row['kind'] == 'rate' else 0)} "
            f"({_num(row['our_lower'], 3 if row['kind'] == 'rate' else 0)}–"
            f"{_num(row['our_upper'], 3 if row['kind'] == 'rate' else 0)})</td>"
            f'<td class="text verdict-{_e(css)}">{_e(verdict_label(verdict, lang))}</td>'
            f'<td class="text">{_e(row["reason"])}</td>'
            "</tr>"
        )
    head = "".join(
        f"<th>{_e(t(k, lang))}</th>"
        for k in ("claim", "source", "value", "ours", "verdict", "reason")
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _population_note(lang: Lang) -> str:
    from uncounted.report.claims import reference_rates

    sources = [
        source
        for region in reference_rates()["populations"].values()
        for source in region["sources"]
    ]
    return t("population", lang) + ": " + "; ".join(sources) + "."
