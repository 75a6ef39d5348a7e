"""The exception and warning tree of uncounted.

Every error says what went wrong, where, and what to do. Statistical caveats are
warnings of their own classes so that callers can filter or escalate them.

Errors
------
UncountedError
    ValidationError      one or more problems in input data (all of them, at once)
    ConfigurationError   a setting, path or database URL that cannot be used
    EstimationError      an estimator that cannot give a meaningful number
    StoreError           the case store refused or failed an operation

Warnings
--------
UncountedWarning
    ParseWarning         a value kept as told but not understood
    StatisticalWarning   a caveat about an estimate (subclassed in ``uncounted.estimate``)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class UncountedError(Exception):
    """Base class of every error uncounted raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One problem found in input data: where it is, what was found, what was expected.

    ``code`` and ``params``, when set, name the message (see
    :mod:`uncounted.ingest.messages`) so that it can be shown in another language;
    ``expected`` is always its English text.
    """

    file: str
    row: int | None
    column: str | None
    value: str | None
    expected: str
    code: str = field(default="", compare=False)
    params: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column is not None:
            where += f", column {self.column!r}"
        shown = ""
        if self.value is not None:
            text = self.value if len(self.value) <= 60 else self.value[:57] + "..."
            shown = f": found {text!r}"
        return f"{where}{shown}; expected {self.expected}"


class ValidationError(UncountedError):
    """Input data failed validation. ``problems`` lists every problem found."""

    def __init__(
        self, problems: list[Problem], hint: str = "", outcome: str = "nothing was written"
    ) -> None:
        self.problems = list(problems)
        self.hint = hint
        lines = [f"{len(self.problems)} problem(s) found; {outcome}."]
        lines += [f"  - {p}" for p in self.problems[:200]]
        if len(self.problems) > 200:
            lines.append(f"  ... and {len(self.problems) - 200} more")
        if hint:
            lines.append(hint)
        super().__init__("\n".join(lines))


class ConfigurationError(UncountedError):
    """A setting, path or database URL that cannot be used."""


class EstimationError(UncountedError):
    """An estimator cannot give a meaningful number for these data."""


class StoreError(UncountedError):
    """The case store refused or failed an operation."""


class UncountedWarning(UserWarning):
    """Base class of uncounted's warnings."""


class ParseWarning(UncountedWarning):
    """A value was kept as told but could not be read."""


class StatisticalWarning(UncountedWarning):
    """A caveat about a statistical result."""
