"""Live feedback for the entry form (htmx partials): how a date or place is read, and
completions for places, vocabulary terms and sources."""

from __future__ import annotations

from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import get_language

from uncounted.store.models import Source
from uncounted.web.access import page
from uncounted.web.parsing import (
    COMPLETABLE,
    Completion,
    complete_place,
    complete_terms,
    lang_of,
    read_date,
    read_place,
)
from uncounted.web.roles import Capability

C = Capability


def _text(request: HttpRequest, *names: str) -> str:
    for name in names:
        if name in request.GET:
            return request.GET[name][:256]
    return ""


def _wants_json(request: HttpRequest) -> bool:
    return request.GET.get("format") == "json"


@page(C.EDIT_TESTIMONY)
def parse_date_view(request: HttpRequest) -> HttpResponse:
    reading = read_date(_text(request, "date_as_told", "q"), lang_of(get_language()))
    if _wants_json(request):
        return JsonResponse(reading.__dict__, json_dumps_params={"ensure_ascii": False})
    return render(request, "uncounted/partials/date_reading.html", {"reading": reading})


@page(C.EDIT_TESTIMONY)
def parse_place_view(request: HttpRequest) -> HttpResponse:
    text = _text(request, "place_as_told", "q")
    lang = lang_of(get_language())
    reading = read_place(text, lang) if text.strip() else None
    return render(
        request,
        "uncounted/partials/place_reading.html",
        {"reading": reading, "options": complete_place(text, lang)},
    )


def _options(request: HttpRequest, options: list[Completion]) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse(
            {"options": [o.__dict__ for o in options]}, json_dumps_params={"ensure_ascii": False}
        )
    return render(request, "uncounted/partials/options.html", {"options": options})


@page(C.EDIT_TESTIMONY)
def complete_places_view(request: HttpRequest) -> HttpResponse:
    text = _text(request, "place_as_told", "q")
    return _options(request, complete_place(text, lang_of(get_language())))


@page(C.EDIT_TESTIMONY)
def complete_terms_view(request: HttpRequest, vocabulary: str) -> HttpResponse:
    if vocabulary not in COMPLETABLE:
        return _options(request, [])
    text = _text(request, vocabulary, "q")
    return _options(request, complete_terms(vocabulary, text, lang_of(get_language())))


@page(C.EDIT_TESTIMONY)
def complete_sources_view(request: HttpRequest) -> HttpResponse:
    text = _text(request, "source_id", "q").strip()[:64]
    options: list[Completion] = []
    if text:
        rows = (
            Source.objects.filter(Q(source_id__istartswith=text) | Q(pseudonym__istartswith=text))
            .order_by("source_id")
            .values_list("source_id", "pseudonym")[:12]
        )
        options = [Completion(sid, f"{sid} · {pseudonym}") for sid, pseudonym in rows]
    return _options(request, options)
