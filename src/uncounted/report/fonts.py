"""Fonts for charts: Korean labels need a font with Hangul.

Matplotlib's own font (DejaVu Sans) has no Hangul, and its font cache does not see fonts
installed after it was built, so known Hangul fonts are looked for on disk and registered
directly. Debian's ``fonts-nanum`` or ``fonts-noto-cjk`` provide one. Without any, Korean
charts fall back to English labels and the report says so.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

# Regular weights first; the first one found is used.
_CANDIDATES = (
    "NanumGothic.ttf",
    "NotoSansCJK-Regular.ttc",
    "NotoSansCJKkr-Regular.otf",
    "NotoSansKR-Regular.otf",
    "NotoSansKR-Regular.ttf",
    "UnDotum.ttf",
    "NanumBarunGothic.ttf",
)
_FONT_DIRS = (
    Path("/usr/share/fonts"),
    Path("/usr/local/share/fonts"),
    Path.home() / ".local" / "share" / "fonts",
    Path("/Library/Fonts"),
    Path("C:/Windows/Fonts"),
)


@lru_cache(maxsize=1)
def hangul_font() -> str | None:
    """The family name of a registered font with Hangul, or None when there is none."""
    from matplotlib import font_manager

    for entry in font_manager.fontManager.ttflist:
        if any(key in entry.name for key in ("Nanum", "Noto Sans CJK", "Noto Sans KR")):
            return str(entry.name)
    for name in _CANDIDATES:
        for folder in _FONT_DIRS:
            if not folder.is_dir():
                continue
            for path in sorted(folder.rglob(name)):
                font_manager.fontManager.addfont(str(path))
                # The bold face too, so that bold labels do not fall back to regular.
                stem = path.stem.removesuffix("-Regular")
                for bold in sorted(path.parent.glob(f"{stem}*Bold{path.suffix}"))[:1]:
                    font_manager.fontManager.addfont(str(bold))
                return str(font_manager.FontProperties(fname=str(path)).get_name())
    return None


def configure(lang: str) -> bool:
    """Set matplotlib's fonts and deterministic output; True when Korean can be drawn.

    SVG output is made byte-for-byte reproducible (fixed hash salt, no date); text is
    drawn as paths, so a reader's browser needs no font.
    """
    import matplotlib

    matplotlib.use("Agg")
    families = ["DejaVu Sans"]
    korean = False
    if lang == "ko":
        font = hangul_font()
        if font is not None:
            families.append(font)
            korean = True
    matplotlib.rcParams.update(
        {
            "font.family": families,
            "svg.hashsalt": "uncounted",
            "svg.fonttype": "path",
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.titlesize": 11,
            "axes.labelsize": 9,
            "xtick.labelsize": 8,
            "ytick.labelsize": 8,
            "legend.fontsize": 8,
            "legend.frameon": False,
        }
    )
    return korean
