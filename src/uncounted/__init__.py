"""uncounted: from witness testimony to a defensible count of state killings."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("uncounted")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
