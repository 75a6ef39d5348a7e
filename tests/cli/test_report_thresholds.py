"""``uncounted report --sensitivity-thresholds``: what the option reads."""

from __future__ import annotations

import pytest

from uncounted.commands.report import _thresholds
from uncounted.errors import ConfigurationError


def test_sensitivity_thresholds_are_read_as_numbers() -> None:
    assert _thresholds("0.5,0.9") == (0.5, 0.9)
    assert _thresholds(" 0.6 , 0.95 ,") == (0.6, 0.95)
    # An empty value turns the extra clusterings off.
    assert _thresholds("") == ()


def test_a_sensitivity_threshold_that_is_not_a_number_is_named() -> None:
    with pytest.raises(ConfigurationError, match="got 'high'"):
        _thresholds("0.5,high")
