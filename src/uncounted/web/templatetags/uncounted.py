"""Template filters: vocabulary labels and place names in the active language."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language

from uncounted.errors import Problem
from uncounted.records.places import gazetteer
from uncounted.web.parsing import lang_of, term_label
from uncounted.web.problem_text import problem_text

register = template.Library()


@register.filter
def expected(problem: Problem) -> str:
    """What a validation problem expected, in the active language."""
    return problem_text(problem)


@register.filter
def term(code: str, vocabulary: str) -> str:
    """``{{ report.method|term:"method" }}`` -> the label in the active language."""
    if not code:
        return ""
    return term_label(vocabulary, code, lang_of(get_language()))


@register.filter
def terms(codes: str, vocabulary: str) -> str:
    """Labels of ``;``-joined codes, comma-separated."""
    lang = lang_of(get_language())
    return ", ".join(term_label(vocabulary, c, lang) for c in (codes or "").split(";") if c)


@register.filter
def place(code: Any) -> str:
    """A gazetteer code as ``Province › County`` in the active language."""
    if not code:
        return ""
    lang = lang_of(get_language())
    g = gazetteer()
    try:
        unit = g.get(str(code))
    except KeyError:
        return str(code)
    name = unit.name_ko if lang == "ko" else unit.name_en
    if unit.parent:
        parent = g.get(unit.parent)
        return f"{parent.name_ko if lang == 'ko' else parent.name_en} › {name}"
    return name


@register.filter
def percent(value: float) -> int:
    return round(float(value or 0) * 100)


@register.filter
def percent5(value: float) -> int:
    """A share as a percentage in steps of 5 (0-100), for the chart classes in app.css."""
    return min(100, max(0, 5 * round(float(value or 0) * 20)))
