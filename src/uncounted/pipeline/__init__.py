"""Orchestration: store -> link -> estimate -> publish. Calls the layers, owns no maths."""

from uncounted.pipeline.demo import DemoResult, run_demo

__all__ = ["DemoResult", "run_demo"]
