"""Korean chart labels: drawn in a font with Hangul when the machine has one."""

from __future__ import annotations

import pytest

from uncounted.report.fonts import configure, hangul_font


def test_korean_charts_use_a_hangul_font_when_one_is_installed() -> None:
    font = hangul_font()
    if font is None:
        pytest.skip("no font with Hangul here: install fonts-nanum (CI does, see .ci/run)")
    assert configure("ko") is True
    import matplotlib

    assert font in matplotlib.rcParams["font.family"]
    from matplotlib.font_manager import FontProperties, findfont
    from matplotlib.ft2font import FT2Font

    face = FT2Font(findfont(FontProperties(family=font)))
    assert face.get_char_index(ord("한")) != 0


def test_english_charts_need_no_hangul_font() -> None:
    assert configure("en") is False
