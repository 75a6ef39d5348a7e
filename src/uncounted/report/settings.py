"""Every setting of a published report, as plain data saved in ``summary.json``.

``uncounted rerun summary.json`` rebuilds the settings from that file, so a setting that
changes a figure must live here and nowhere else.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

from uncounted.errors import ConfigurationError

LANGS = ("en", "ko")
LINKAGE_METHODS = ("splink", "store", "truth")


@dataclass(frozen=True)
class LCMCRSettings:
    """The latent-class sampler's settings: LCMCR's documented example settings, in two
    chains run side by side (each keeps ``samples`` draws), so that every published
    figure comes with R-hat and a warning when the chains disagree."""

    K: int = 10
    burnin: int = 10_000
    samples: int = 1_000
    thin: int = 100
    chains: int = 2


@dataclass(frozen=True)
class ReportSettings:
    """How a casebook becomes a report.

    Attributes
    ----------
    period : (int, int)
        First and last year of the accounting.
    level : float
        Level of every interval.
    seed : int
        Seed of every random step (samplers, bootstraps, draws of victim counts).
    min_cell : int
        Disclosure control: a published cell built from fewer reports is suppressed or
        merged.
    lang : {"en", "ko"}
        Language of report.html and its charts.
    main_method : {"lcmcr", "dga"}
        The estimator of the headline, fitted in every stratum.
    density_classes : int
        Witness-density strata (:mod:`uncounted.report.strata`).
    min_stratum_events : int
        Documented events a stratum needs; smaller classes are merged.
    people_min_group : int
        Known victim counts a period needs before its own distribution is used.
    lcmcr : LCMCRSettings
    linkage : {"splink", "store", "truth"}
        Where the events come from: the linker, the events saved in the store, or (for
        simulated worlds) the simulator's truth file ``truth_links``.
    link_threshold, link_replicates
        Linker settings (``splink`` only): the clustering threshold and how many
        redrawn linkages the sensitivity analysis uses.
    link_other_thresholds
        Thresholds the linkage sensitivity also clusters at (``splink`` only; the main
        threshold, if among them, is not repeated).
    link_one_sided
        The linkage sensitivity also shows the linkage with its uncertain joins across
        collections undone and the one with its uncertain lone reports joined
        (``splink`` only; :mod:`uncounted.link.one_sided`).
    truth_links : str or None
        ``report_event.csv`` of a simulated world, for ``linkage="truth"``.
    boundaries, claims : str or None
        GeoJSON of first-level units keyed by ISO 3166-2 code; CSV of claims.
    """

    period: tuple[int, int] = (2000, 2014)
    level: float = 0.95
    seed: int = 1
    min_cell: int = 3
    lang: str = "en"
    main_method: str = "lcmcr"
    density_classes: int = 4
    min_stratum_events: int = 30
    people_min_group: int = 30
    lcmcr: LCMCRSettings = field(default_factory=LCMCRSettings)
    linkage: str = "splink"
    # A report counts on events, and the two kinds of linkage error pull a count in
    # opposite ways: a report wrongly joined to another collection's event makes an
    # overlap that was not there (the estimate of the unseen falls), a report wrongly
    # left alone adds an event seen once (it rises). Clustering at the `link` default
    # (0.3, best pairwise F1) joins too eagerly for counting: on the demo's worlds
    # (seeds 1-10) the events interval contained the truth once, the estimate a median
    # 0.80 of it; at 0.8, 7 times, median 0.93 (docs/report.md, "Linkage and the count").
    link_threshold: float = 0.8
    link_replicates: int = 2
    # How far the count moves with the threshold is the largest linkage uncertainty
    # measured on the demo's worlds (docs/report.md): the report shows it.
    link_other_thresholds: tuple[float, ...] = (0.5, 0.9)
    # The threshold moves both kinds of linkage error together, which partly cancel; these
    # two rows move one kind at a time (docs/report.md, "Linkage and the count").
    link_one_sided: bool = True
    truth_links: str | None = None
    boundaries: str | None = None
    claims: str | None = None

    def __post_init__(self) -> None:
        problems = []
        first, last = self.period
        if first > last:
            problems.append(f"period must run forward, got {first}-{last}")
        if not 0.0 < self.level < 1.0:
            problems.append(f"level must be between 0 and 1, got {self.level}")
        if self.min_cell < 1:
            problems.append(f"--min-cell must be at least 1, got {self.min_cell}")
        if self.lang not in LANGS:
            problems.append(f"--lang must be one of {', '.join(LANGS)}, got {self.lang!r}")
        if self.main_method not in ("lcmcr", "dga"):
            problems.append(f"main_method must be lcmcr or dga, got {self.main_method!r}")
        if self.density_classes < 1:
            problems.append(f"density_classes must be at least 1, got {self.density_classes}")
        if self.linkage not in LINKAGE_METHODS:
            problems.append(f"linkage must be one of {', '.join(LINKAGE_METHODS)}")
        if not 0.0 < self.link_threshold < 1.0:
            problems.append(f"--threshold must be between 0 and 1, got {self.link_threshold}")
        for other in self.link_other_thresholds:
            if not 0.0 < other < 1.0:
                problems.append(f"sensitivity thresholds must be between 0 and 1, got {other}")
        if self.link_replicates < 0:
            problems.append(f"--replicates must be 0 or more, got {self.link_replicates}")
        if self.linkage == "truth" and not self.truth_links:
            problems.append("linkage 'truth' needs truth_links (a report_event.csv)")
        if problems:
            raise ConfigurationError("; ".join(problems) + ".")

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON (``period`` as a list)."""
        out = asdict(self)
        out["period"] = list(self.period)
        out["link_other_thresholds"] = list(self.link_other_thresholds)
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ReportSettings:
        """Rebuild from :meth:`to_dict` output; unknown keys are refused by name."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ConfigurationError(f"unknown report settings: {', '.join(unknown)}")
        values = dict(data)
        if "period" in values:
            values["period"] = tuple(int(y) for y in values["period"])
        # Settings written before a setting existed meant what the code then did, so a
        # rerun of an older summary.json reproduces its figures.
        values.setdefault("link_other_thresholds", ())
        values.setdefault("link_one_sided", False)
        values["link_other_thresholds"] = tuple(float(t) for t in values["link_other_thresholds"])
        if isinstance(values.get("lcmcr"), dict):
            values["lcmcr"] = LCMCRSettings(**{"chains": 1, **values["lcmcr"]})
        return cls(**values)
