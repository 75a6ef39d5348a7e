"""The map by province: a schematic tile map, or a choropleth from a GeoJSON file.

The tile map needs no boundary data: one square per first-level unit, placed roughly
where the unit lies (north up). A choropleth is drawn when ``--boundaries`` gives a
GeoJSON whose features carry ISO 3166-2 codes; files of the 11-unit humanitarian scheme
(Rason inside North Hamgyong, Kaesong inside North Hwanghae) are recognised and the
counts folded into them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from uncounted.errors import ConfigurationError
from uncounted.records.places import gazetteer
from uncounted.records.vocab import Lang
from uncounted.report.i18n import province_name, t

if TYPE_CHECKING:
    from matplotlib.figure import Figure

# (column, row) of each unit; row 0 is the north.
TILES: dict[str, tuple[int, int]] = {
    "KP-03": (0, 0),
    "KP-04": (1, 0),
    "KP-10": (2, 0),
    "KP-09": (3, 0),
    "KP-13": (4, 0),
    "KP-02": (1, 1),
    "KP-08": (2, 1),
    "KP-14": (0, 2),
    "KP-01": (1, 2),
    "KP-07": (2, 2),
    "KP-05": (0, 3),
    "KP-06": (1, 3),
    "KP-15": (1, 4),
}
_ISO_KEYS = ("iso_3166_2", "ISO_3166_2", "shapeISO", "iso", "ISO", "iso_code", "ADM1_PCODE")


def _counts(provinces: pd.DataFrame) -> dict[str, float | None]:
    out: dict[str, float | None] = {}
    for row in provinces.to_dict("records"):
        value = row.get("events")
        out[str(row["province"])] = None if value is None or pd.isna(value) else float(value)
    return out


def _colour(value: float | None, top: float) -> Any:
    import matplotlib

    if value is None:
        return "#d9d9d9"
    return matplotlib.colormaps["Blues"](0.15 + 0.8 * (value / top if top else 0.0))


def tile_map_figure(provinces: pd.DataFrame, lang: Lang, k: int) -> Figure:
    """One tile per province, coloured by documented events; suppressed tiles grey; the
    true number of events below, for simulated worlds."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import Rectangle

    counts = _counts(provinces)
    truth = (
        dict(zip(provinces["province"], provinces["truth_events"], strict=True))
        if "truth_events" in provinces
        else {}
    )
    top = max([v for v in counts.values() if v is not None] or [1.0])
    fig, ax = plt.subplots(figsize=(6.5, 5.2), layout="constrained")
    for code, (col, row) in TILES.items():
        value = counts.get(code)
        shown = counts.get(code, 0.0) if code in counts else 0.0
        ax.add_patch(
            Rectangle(
                (col, -row), 0.94, 0.94, facecolor=_colour(shown, top), edgecolor="white", lw=2
            )
        )
        dark = shown is not None and shown > 0.55 * top
        text = "—" if value is None and code in counts else f"{int(shown or 0):,}"
        ax.text(
            col + 0.47,
            -row + 0.6,
            province_name(code, lang),
            ha="center",
            va="center",
            fontsize=7.5,
            color="white" if dark else "black",
        )
        ax.text(
            col + 0.47,
            -row + 0.32,
            text,
            ha="center",
            va="center",
            fontsize=11,
            weight="bold",
            color="white" if dark else "black",
        )
        true = truth.get(code)
        if true is not None and not pd.isna(true):
            ax.text(
                col + 0.47,
                -row + 0.1,
                f"{t('truth_events', lang)}: {int(true):,}",
                ha="center",
                va="center",
                fontsize=6.5,
                color="white" if dark else "#7a1f2b",
            )
    ax.set_xlim(-0.1, 5.1)
    ax.set_ylim(-4.1, 1.05)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(t("map", lang), loc="left")
    fig.text(0.01, 0.01, t("map_note", lang) + "  —: " + t("suppressed", lang, k=k), fontsize=7)
    return fig


def read_boundaries(path: str | Path) -> list[tuple[str, list[np.ndarray[Any, Any]]]]:
    """``(ISO code, rings)`` for each feature of a GeoJSON of first-level units.

    Raises
    ------
    ConfigurationError
        When the file is missing, not GeoJSON, or no feature has an ISO 3166-2 code.
    """
    file = Path(path)
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigurationError(f"--boundaries: file not found: {file}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ConfigurationError(f"--boundaries: {file} is not GeoJSON ({exc})") from exc
    features = data.get("features", []) if isinstance(data, dict) else []
    out = []
    for feature in features:
        properties = feature.get("properties") or {}
        code = next(
            (
                str(properties[key]).upper().replace("_", "-")
                for key in _ISO_KEYS
                if isinstance(properties.get(key), str)
                and str(properties[key]).upper().startswith("KP-")
            ),
            None,
        )
        geometry = feature.get("geometry") or {}
        polygons = (
            [geometry.get("coordinates", [])]
            if geometry.get("type") == "Polygon"
            else geometry.get("coordinates", [])
            if geometry.get("type") == "MultiPolygon"
            else []
        )
        rings = [np.asarray(ring, dtype=float)[:, :2] for polygon in polygons for ring in polygon]
        if code and rings:
            out.append((code, rings))
    if not out:
        raise ConfigurationError(
            f"--boundaries: no feature of {file} has an ISO 3166-2 code (a property such as "
            f"{', '.join(_ISO_KEYS[:3])} holding KP-01 ... KP-15)"
        )
    return out


def choropleth_figure(
    provinces: pd.DataFrame, boundaries: str | Path, lang: Lang, k: int
) -> Figure:
    """Provinces shaded by documented events, on the boundaries of a GeoJSON file."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import Polygon

    shapes = read_boundaries(boundaries)
    codes = {code for code, _ in shapes}
    counts: dict[str, float | None] = {}
    gaz = gazetteer()
    for code, value in _counts(provinces).items():
        target = code if code in codes else gaz.humanitarian_code(code) if code in TILES else code
        if value is None:
            counts.setdefault(target, None)
        else:
            counts[target] = (counts.get(target) or 0.0) + value
    top = max([v for v in counts.values() if v is not None] or [1.0])
    fig, ax = plt.subplots(figsize=(6.0, 6.0), layout="constrained")
    for code, rings in shapes:
        value = counts.get(code, 0.0)
        for ring in rings:
            ax.add_patch(Polygon(ring, facecolor=_colour(value, top), edgecolor="white", lw=0.8))
        centre = np.vstack(rings).mean(axis=0)
        label = province_name(code, lang) + ("\n—" if value is None else f"\n{int(value):,}")
        ax.text(centre[0], centre[1], label, ha="center", va="center", fontsize=7)
    ax.autoscale_view()
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(t("map", lang), loc="left")
    fig.text(
        0.01, 0.01, t("choropleth_note", lang) + "  —: " + t("suppressed", lang, k=k), fontsize=7
    )
    return fig
