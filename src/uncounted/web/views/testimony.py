"""Collections, sources (by pseudonym) and interviews: lists and detail pages."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from uncounted.records import vocab
from uncounted.store.crypto import IdentityLockedError
from uncounted.store.models import Collection, Interview, Report, Source
from uncounted.web import listing
from uncounted.web.access import page
from uncounted.web.forms import IdentityForm
from uncounted.web.identity import identifying_fields, read_identity, write_identity
from uncounted.web.roles import Capability

C = Capability


def _count_reports(result: listing.Listing, key: str) -> None:
    """Set ``n_reports`` on the rows of this page only (one grouped query)."""
    rows = result.items
    counts = dict(
        Report.objects.filter(**{f"{key}__in": [r.pk for r in rows]})
        .values_list(key)
        .annotate(n=Count("id"))
        .values_list(key, "n")
    )
    for row in rows:
        row.n_reports = counts.get(row.pk, 0)
    result.page.object_list = rows


@page(C.VIEW_TESTIMONY)
def collection_list(request: HttpRequest) -> HttpResponse:
    qs, used = listing.filter_simple(
        Collection.objects.all(), request.GET, ("collection_id", "name"), kind="kind"
    )
    result = listing.paginate(qs, request.GET, listing.COLLECTION_SORTS, "collection_id", used)
    _count_reports(result, "collection_id")
    return render(
        request,
        "uncounted/collection_list.html",
        {"listing": result, "kinds": vocab.COLLECTION_KINDS.terms},
    )


@page(C.VIEW_TESTIMONY)
def collection_detail(request: HttpRequest, collection_id: str) -> HttpResponse:
    collection = get_object_or_404(Collection, collection_id=collection_id)
    return render(
        request,
        "uncounted/collection_detail.html",
        {
            "collection": collection,
            "n_sources": collection.sources.count(),
            "n_reports": collection.reports.count(),
        },
    )


@page(C.VIEW_TESTIMONY)
def source_list(request: HttpRequest) -> HttpResponse:
    qs = Source.objects.select_related("collection")
    qs, used = listing.filter_simple(
        qs,
        request.GET,
        ("source_id", "pseudonym"),
        collection="collection__collection_id",
        kind="kind",
        interview_year="interview_year",
    )
    result = listing.paginate(qs, request.GET, listing.SOURCE_SORTS, "source_id", used)
    return render(
        request,
        "uncounted/source_list.html",
        {
            "listing": result,
            "collections": Collection.objects.order_by("collection_id"),
            "kinds": vocab.SOURCE_KINDS.terms,
        },
    )


@page(C.VIEW_TESTIMONY)
def source_detail(request: HttpRequest, source_id: str) -> HttpResponse:
    source = get_object_or_404(Source.objects.select_related("collection"), source_id=source_id)
    identity = read_identity(request.user, source)
    form = None
    if identity is not None and not identity.locked:
        form = IdentityForm(
            initial={
                "real_name": identity.real_name,
                "contact": identity.contact,
                "interview_location": identity.interview_location,
                **{f"identity_{k}": v for k, v in identity.extra.items()},
            },
            identifying=identifying_fields(),
        )
    return render(
        request,
        "uncounted/source_detail.html",
        {
            "source": source,
            "identity": identity,
            "identity_form": form,
            "identity_locked": identity is not None and identity.locked,
            "interviews": source.interviews.order_by("interview_id")[:200],
            "reports": source.reports.order_by("report_id")[:200],
        },
    )


@page(C.VIEW_IDENTITY)
@require_POST
def source_identity(request: HttpRequest, source_id: str) -> HttpResponse:
    source = get_object_or_404(Source, source_id=source_id)
    form = IdentityForm(request.POST, identifying=identifying_fields())
    if form.is_valid():
        data = form.cleaned_data
        try:
            write_identity(
                request.user,
                source,
                data["real_name"],
                data["contact"],
                interview_location=data["interview_location"],
                extra=form.extra_values(),
            )
        except IdentityLockedError:
            messages.error(request, _("The identity was not saved: the key is not available."))
        else:
            messages.success(request, _("Identity saved."))
    else:
        messages.error(request, _("The identity was not saved: a field is too long."))
    return redirect("source-detail", source_id=source.source_id)


@page(C.VIEW_TESTIMONY)
def interview_list(request: HttpRequest) -> HttpResponse:
    qs = Interview.objects.select_related("source")
    qs, used = listing.filter_simple(
        qs,
        request.GET,
        ("interview_id", "source__pseudonym"),
        collection="source__collection__collection_id",
        year="date__year",
    )
    result = listing.paginate(qs, request.GET, listing.INTERVIEW_SORTS, "interview_id", used)
    _count_reports(result, "interview_id")
    return render(
        request,
        "uncounted/interview_list.html",
        {"listing": result, "collections": Collection.objects.order_by("collection_id")},
    )


@page(C.VIEW_TESTIMONY)
def interview_detail(request: HttpRequest, interview_id: str) -> HttpResponse:
    interview = get_object_or_404(
        Interview.objects.select_related("source"), interview_id=interview_id
    )
    return render(
        request,
        "uncounted/interview_detail.html",
        {"interview": interview, "reports": interview.reports.order_by("report_id")},
    )
