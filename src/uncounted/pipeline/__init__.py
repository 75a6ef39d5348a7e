"""Orchestration: store -> link -> estimate -> publish. Calls the layers, owns no maths.

- :func:`run_demo` (``uncounted demo``): simulate, import, link, estimate, publish.
- :func:`run_report` (``uncounted report``) and :func:`rerun` (``uncounted rerun``).
- :func:`uncounted.pipeline.linking.link_reports`: the one boundary with linkage.
- :func:`uncounted.pipeline.casebook.read_casebook`: the store as frames, no identities.
"""

from uncounted.pipeline.demo import DemoResult, run_demo
from uncounted.pipeline.publish import ReportRun, rerun, run_report
from uncounted.pipeline.runs import run_estimate, run_link

__all__ = [
    "DemoResult",
    "ReportRun",
    "rerun",
    "run_demo",
    "run_estimate",
    "run_link",
    "run_report",
]
