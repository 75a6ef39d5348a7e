"""Simulated worlds with known truth, for testing linkage and estimation.

A world is a set of public executions (the truth) and what several documentation
projects recorded of them: an interview programme, an NGO site-mapping project, a press
archive of informant reports and official announcements, each with realistic, degraded
testimony. See ``docs/data-format.md`` for the files and ``uncounted simulate`` for the
command.

>>> world = simulate_world(seed=1, scale=0.1)  # doctest: +SKIP
>>> write_world(world, "world-1")  # doctest: +SKIP
"""

from uncounted.simulate.presets import PRESETS, Preset, get_preset
from uncounted.simulate.simulation import ProgressCallback, World, simulate_world
from uncounted.simulate.writer import write_world

__all__ = [
    "PRESETS",
    "Preset",
    "ProgressCallback",
    "World",
    "get_preset",
    "simulate_world",
    "write_world",
]
