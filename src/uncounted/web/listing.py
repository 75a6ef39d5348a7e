"""Search, filters, sorting and pagination for the lists, shared by pages and the API.

Every filter and sort key is whitelisted here; unknown values are ignored rather than
passed to the database. Search covers free text only for roles allowed to read it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet

PAGE_SIZES = (25, 50, 100)
DEFAULT_PAGE_SIZE = 50


@dataclass
class Listing:
    """One page of a list, with the filters and sort that produced it."""

    page: Page[Any]
    sort: str
    filters: dict[str, str] = field(default_factory=dict)
    sorts: tuple[str, ...] = ()

    @property
    def items(self) -> list[Any]:
        return list(self.page.object_list)


def _int(value: str | None, low: int, high: int) -> int | None:
    try:
        number = int(value or "")
    except ValueError:
        return None
    return number if low <= number <= high else None


def paginate(
    queryset: QuerySet[Any],
    params: Mapping[str, str],
    sorts: Mapping[str, tuple[str, ...]],
    default_sort: str,
    filters: dict[str, str] | None = None,
) -> Listing:
    """Sort ``queryset`` by ``params['sort']`` (a key of ``sorts``, ``-`` for descending)
    and cut out ``params['page']`` of ``params['per_page']`` rows."""
    sort = params.get("sort", "") or default_sort
    key = sort.removeprefix("-")
    if key not in sorts:
        sort, key = default_sort, default_sort.removeprefix("-")
    descending = sort.startswith("-")
    order = [f"-{f}" if descending else f for f in sorts[key]]
    per_page = _int(params.get("per_page"), 1, max(PAGE_SIZES)) or DEFAULT_PAGE_SIZE
    if per_page not in PAGE_SIZES:
        per_page = DEFAULT_PAGE_SIZE
    paginator = Paginator(queryset.order_by(*order), per_page)
    page = paginator.get_page(params.get("page") or 1)
    return Listing(page=page, sort=sort, filters=filters or {}, sorts=tuple(sorts))


# -- reports --------------------------------------------------------------------

REPORT_SORTS: dict[str, tuple[str, ...]] = {
    "report_id": ("report_id",),
    "date": ("date_start", "report_id"),
    "province": ("place_iso", "report_id"),
    "collection": ("collection__collection_id", "report_id"),
    "updated": ("updated_at", "report_id"),
}
REPORT_FILTERS = ("q", "year", "province", "charge", "how_known", "collection", "flagged")


def filter_reports(
    queryset: QuerySet[Any], params: Mapping[str, str], *, free_text: bool
) -> tuple[QuerySet[Any], dict[str, str]]:
    """Apply the report filters in ``params``; return the queryset and the filters used.

    ``year`` keeps reports whose date range overlaps that year; ``charge`` keeps reports
    naming that charge code; ``q`` searches ids and pseudonyms, and the as-told place,
    date and narrative when ``free_text`` is allowed.
    """
    used: dict[str, str] = {}
    q = (params.get("q") or "").strip()[:100]
    if q:
        cond = Q(report_id__istartswith=q) | Q(source__pseudonym__istartswith=q)
        if free_text:
            cond |= (
                Q(place_as_told__icontains=q)
                | Q(date_as_told__icontains=q)
                | Q(narrative__icontains=q)
            )
        queryset = queryset.filter(cond)
        used["q"] = q
    year = _int(params.get("year"), 1900, 2999)
    if year is not None:
        queryset = queryset.filter(
            date_start__lte=dt.date(year, 12, 31), date_end__gte=dt.date(year, 1, 1)
        )
        used["year"] = str(year)
    province = (params.get("province") or "").strip()
    if province:
        queryset = queryset.filter(place_iso=province)
        used["province"] = province
    charge = (params.get("charge") or "").strip()
    if charge and charge.replace("_", "").isalnum():
        # Codes are stored ";"-joined: match a whole code, not a substring of another.
        queryset = queryset.filter(
            Q(charges=charge)
            | Q(charges__startswith=f"{charge};")
            | Q(charges__endswith=f";{charge}")
            | Q(charges__contains=f";{charge};")
        )
        used["charge"] = charge
    how_known = (params.get("how_known") or "").strip()
    if how_known:
        queryset = queryset.filter(how_known=how_known)
        used["how_known"] = how_known
    collection = (params.get("collection") or "").strip()
    if collection:
        queryset = queryset.filter(collection__collection_id=collection)
        used["collection"] = collection
    if params.get("flagged") == "1":
        queryset = queryset.filter(place_flagged=True)
        used["flagged"] = "1"
    return queryset, used


# -- collections, sources, interviews, events --------------------------------------

COLLECTION_SORTS = {"collection_id": ("collection_id",), "name": ("name", "collection_id")}
SOURCE_SORTS = {
    "source_id": ("source_id",),
    "pseudonym": ("pseudonym", "source_id"),
    "interview_year": ("interview_year", "source_id"),
    "collection": ("collection__collection_id", "source_id"),
}
INTERVIEW_SORTS = {"interview_id": ("interview_id",), "date": ("date", "interview_id")}
EVENT_SORTS = {
    "event_id": ("event_id",),
    "date": ("date_start", "event_id"),
    "victims": ("victims_estimate", "event_id"),
}


def filter_simple(
    queryset: QuerySet[Any], params: Mapping[str, str], search: tuple[str, ...], **exact: str
) -> tuple[QuerySet[Any], dict[str, str]]:
    """Search ``search`` fields (prefix match) and filter exact ``param -> lookup`` pairs."""
    used: dict[str, str] = {}
    q = (params.get("q") or "").strip()[:100]
    if q:
        cond = Q()
        for name in search:
            cond |= Q(**{f"{name}__istartswith": q})
        queryset = queryset.filter(cond)
        used["q"] = q
    for param, lookup in exact.items():
        value = (params.get(param) or "").strip()[:64]
        if lookup.endswith("year") and not value.isdigit():
            continue
        if value:
            queryset = queryset.filter(**{lookup: value})
            used[param] = value
    return queryset, used


def filter_events(
    queryset: QuerySet[Any], params: Mapping[str, str]
) -> tuple[QuerySet[Any], dict[str, str]]:
    """Events by id prefix, year (range overlaps), province and charge."""
    queryset, used = filter_simple(queryset, params, ("event_id",))
    year = _int(params.get("year"), 1900, 2999)
    if year is not None:
        queryset = queryset.filter(
            date_start__lte=dt.date(year, 12, 31), date_end__gte=dt.date(year, 1, 1)
        )
        used["year"] = str(year)
    province = (params.get("province") or "").strip()
    if province:
        queryset = queryset.filter(Q(place__iso_3166_2=province))
        used["province"] = province
    charge = (params.get("charge") or "").strip()
    if charge and charge.replace("_", "").isalnum():
        queryset = queryset.filter(charges__contains=charge)
        used["charge"] = charge
    return queryset, used
