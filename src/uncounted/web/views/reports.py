"""Reports: the list with search and filters, the detail page, entry and editing."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from uncounted.errors import ValidationError
from uncounted.records import vocab
from uncounted.records.places import Level, gazetteer
from uncounted.store.models import Collection, Report
from uncounted.web import listing
from uncounted.web.access import page
from uncounted.web.forms import MentionFormSet, ReportForm
from uncounted.web.parsing import lang_of, read_date, read_place
from uncounted.web.report_edit import (
    ReportConflict,
    new_report_id,
    report_values,
    save_report,
)
from uncounted.web.roles import Capability, can

C = Capability


def filter_choices() -> dict[str, Any]:
    lang = lang_of(get_language())
    return {
        "provinces": [
            (u.code, u.name_ko if lang == "ko" else u.name_en)
            for u in gazetteer().units(Level.PROVINCE)
        ],
        "charges": [(t.code, t.label(lang)) for t in vocab.CHARGES.terms],
        "how_known": [(t.code, t.label(lang)) for t in vocab.HOW_KNOWN.terms],
        "collections": list(
            Collection.objects.order_by("collection_id").values_list("collection_id", "name")
        ),
    }


def _rows(reports: list[Report]) -> list[dict[str, Any]]:
    """Display values of a page of reports, labelled in Python: a template filter per
    cell costs more than the database on a 50-row page."""
    lang = lang_of(get_language())
    g = gazetteer()
    charges = {t.code: t.label(lang) for t in vocab.CHARGES.terms}
    known = {t.code: t.label(lang) for t in vocab.HOW_KNOWN.terms}
    out = []
    for r in reports:
        place = ""
        if r.place_id:
            unit = g.get(r.place_id)
            place = unit.name_ko if lang == "ko" else unit.name_en
            if unit.parent:
                parent = g.get(unit.parent)
                place = f"{parent.name_ko if lang == 'ko' else parent.name_en} › {place}"
        out.append(
            {
                "report_id": r.report_id,
                "date_as_told": r.date_as_told,
                "date_range": f"{r.date_start or ''} – {r.date_end or ''} ({r.date_precision})",
                "place_as_told": r.place_as_told,
                "place": place,
                "flagged": r.place_flagged,
                "victims": r.victims_as_told,
                "charges": ", ".join(charges.get(c, c) for c in r.charge_list),
                "how_known": known.get(r.how_known, r.how_known),
                "collection_id": r.collection.collection_id,
                "source_id": r.source.source_id,
                "pseudonym": r.source.pseudonym,
            }
        )
    return out


@page(C.VIEW_TESTIMONY)
def report_list(request: HttpRequest) -> HttpResponse:
    qs = Report.objects.select_related("source", "collection")
    qs, used = listing.filter_reports(qs, request.GET, free_text=True)
    result = listing.paginate(qs, request.GET, listing.REPORT_SORTS, "report_id", used)
    context = {"listing": result, "rows": _rows(result.items), **filter_choices()}
    template = "uncounted/report_list.html"
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "report-table":
        template = "uncounted/partials/report_table.html"
    return render(request, template, context)


@page(C.VIEW_TESTIMONY)
def report_detail(request: HttpRequest, report_id: str) -> HttpResponse:
    report = get_object_or_404(
        Report.objects.select_related("source", "collection", "interview", "place", "event"),
        report_id=report_id,
    )
    lang = lang_of(get_language())
    return render(
        request,
        "uncounted/report_detail.html",
        {
            "report": report,
            "date_reading": read_date(report.date_as_told, lang),
            "place_reading": read_place(report.place_as_told, lang)
            if report.place_as_told
            else None,
            "mentions": report.mentions.order_by("mention_id"),
            "show_names": can(request.user, C.VIEW_VICTIM_NAMES),
        },
    )


def _mention_rows(formset: Any) -> list[dict[str, str]]:
    rows = []
    for form in formset.forms:
        data = form.cleaned_data if form.is_valid() else {}
        rows.append({k: str(v or "") for k, v in data.items()})
    return rows


@page(C.EDIT_TESTIMONY)
def report_new(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = ReportForm(request.POST)
        mentions = MentionFormSet(request.POST, prefix="mentions")
        if form.is_valid() and mentions.is_valid():
            try:
                report, warnings = save_report(
                    form.cleaned_data,
                    _mention_rows(mentions),
                    accept_unresolved=form.cleaned_data["accept_unresolved"],
                )
            except ValidationError as exc:
                form.add_problems(exc.problems)
            else:
                _saved(request, report, warnings)
                return redirect("report-detail", report_id=report.report_id)
    else:
        initial = {"report_id": new_report_id(), "violation": "public_execution"}
        for key in ("source_id", "collection_id", "interview_id"):
            if request.GET.get(key):
                initial[key] = request.GET[key][:64]
        form = ReportForm(initial=initial)
        mentions = MentionFormSet(prefix="mentions")
    return render(
        request, "uncounted/report_form.html", {"form": form, "mentions": mentions, "report": None}
    )


@page(C.EDIT_TESTIMONY)
def report_edit(request: HttpRequest, report_id: str) -> HttpResponse:
    report = get_object_or_404(
        Report.objects.select_related("source", "collection", "interview"), report_id=report_id
    )
    conflict = None
    if request.method == "POST":
        form = ReportForm(request.POST, editing=True, initial={"report_id": report.report_id})
        mentions = MentionFormSet(request.POST, prefix="mentions")
        if form.is_valid() and mentions.is_valid():
            try:
                saved, warnings = save_report(
                    form.cleaned_data,
                    _mention_rows(mentions),
                    existing=report,
                    version=form.cleaned_data["version"],
                    accept_unresolved=form.cleaned_data["accept_unresolved"],
                )
            except ValidationError as exc:
                form.add_problems(exc.problems)
            except ReportConflict as exc:
                conflict = exc.current
                # Keep what this editor typed, now based on the stored version: saving
                # again is a deliberate choice made with the other version in view.
                data = request.POST.copy()
                data["version"] = str(conflict.version)
                form = ReportForm(data, editing=True, initial={"report_id": report.report_id})
                form.is_valid()
                form.add_error(
                    None,
                    _(
                        "Conflict: someone else saved this report (now version %(version)s) "
                        "after you opened it. Your changes were NOT saved. Their version is "
                        "shown below; save again to replace it with yours, or open the report "
                        "to keep theirs."
                    )
                    % {"version": conflict.version},
                )
            else:
                _saved(request, saved, warnings)
                return redirect("report-detail", report_id=saved.report_id)
    else:
        form = ReportForm(
            initial={**report_values(report), "version": report.version}, editing=True
        )
        mentions = MentionFormSet(
            prefix="mentions",
            initial=[
                {
                    "mention_id": m.mention_id,
                    "name_as_told": m.name_as_told,
                    "sex": m.sex,
                    "age_as_told": m.age_as_told,
                    "charges": m.charges,
                }
                for m in report.mentions.order_by("mention_id")
            ],
        )
    return render(
        request,
        "uncounted/report_form.html",
        {
            "form": form,
            "mentions": mentions,
            "report": report,
            "conflict": conflict,
            "conflict_values": report_values(conflict) if conflict is not None else None,
        },
        status=409 if conflict is not None else 200,
    )


def _saved(request: HttpRequest, report: Report, warnings: list[Any]) -> None:
    messages.success(request, _("Report %(id)s saved.") % {"id": report.report_id})
    for w in warnings[:10]:
        messages.warning(request, f"{w.column}: {w.expected}")


@page(C.EDIT_TESTIMONY)
def mention_row(request: HttpRequest) -> HttpResponse:
    """One more empty mention row for the inline formset (htmx)."""
    try:
        index = max(0, min(int(request.GET.get("index", "0")), 199))
    except ValueError:
        index = 0
    formset = MentionFormSet(prefix="mentions")
    form = formset.empty_form
    form.prefix = f"mentions-{index}"
    return render(request, "uncounted/partials/mention_row.html", {"mform": form})
