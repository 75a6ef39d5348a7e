"""Validation problems in the reader's language.

A problem from the importer names its message (``code``, ``params``; see
:mod:`uncounted.ingest.messages`). Its English template is the gettext message id, so the
page shows the Korean text from ``locale/ko`` with the same parameters filled in. A
problem without a code (or with a code the catalogue does not know) shows its English
``expected`` text as it is.
"""

from __future__ import annotations

from django.utils.translation import gettext

from uncounted.errors import Problem
from uncounted.ingest.messages import MESSAGES

__all__ = ["problem_text"]


def problem_text(problem: Problem) -> str:
    """What ``problem`` expected, translated into the active language."""
    template = MESSAGES.get(problem.code)
    if template is None:
        return problem.expected
    try:
        return gettext(template) % problem.params
    except (KeyError, TypeError, ValueError):
        # A translation that does not fit its parameters must not break the page.
        return problem.expected
