"""Search, filters, sorting and pagination for the lists, shared by pages and the API.

Every filter and sort key is whitelisted here; unknown values are ignored rather than
passed to the database. Search covers free text only for roles allowed to read it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.utils.functional import cached_property

PAGE_SIZES = (25, 50, 100)
DEFAULT_PAGE_SIZE = 50
# A filtered list counts its rows up to this many and then says "more than": an exact
# count of a search over 100,000 reports would read every row on every page view.
COUNT_CAP = 1_000


class CappedPaginator(Paginator):  # type: ignore[type-arg]
    """A paginator whose count stops at ``cap`` (``capped`` tells whether it did)."""

    def __init__(
        self,
        object_list: Any,
        per_page: int,
        cap: int | None,
        order: tuple[str, ...] = (),
        descending: bool = False,
    ) -> None:
        super().__init__(
            object_list.order_by(*[f"-{f}" if descending else f for f in order]), per_page
        )
        self.queryset: QuerySet[Any] = self.object_list  # type: ignore[assignment]
        self.cap = cap
        self.capped = False
        self.order = order
        self.descending = descending

    def page(self, number: Any) -> Page[Any]:
        """The page's rows, fetched in two steps: the keys of the page first (which the
        database can often read from an index), then those rows with their joins."""
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        if self.cap is not None and not self.capped and self.order:
            # Few matches (under the cap): sorting them here is cheaper than letting the
            # database walk the whole sort index looking for them.
            found = list(self.queryset.order_by().values_list("pk", *self.order))
            found.sort(
                key=lambda row: tuple((v is not None, v) for v in row[1:]),
                reverse=self.descending,
            )
            keys = [row[0] for row in found[bottom : bottom + self.per_page]]
        else:
            keys = list(self.queryset.values_list("pk", flat=True)[bottom : bottom + self.per_page])
        rows = {row.pk: row for row in self.queryset.order_by().filter(pk__in=keys)}
        return Page([rows[k] for k in keys if k in rows], number, self)

    @cached_property
    def count(self) -> int:
        if self.cap is None:
            return int(self.queryset.count())
        n = int(self.queryset.order_by()[: self.cap + 1].count())
        self.capped = n > self.cap
        return min(n, self.cap)


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
    per_page = _int(params.get("per_page"), 1, max(PAGE_SIZES)) or DEFAULT_PAGE_SIZE
    if per_page not in PAGE_SIZES:
        per_page = DEFAULT_PAGE_SIZE
    paginator = CappedPaginator(
        queryset, per_page, COUNT_CAP if filters else None, sorts[key], descending
    )
    page = paginator.get_page(params.get("page") or 1)
    return Listing(page=page, sort=sort, filters=filters or {}, sorts=tuple(sorts))


# -- reports --------------------------------------------------------------------

# Ties are broken by the primary key: on SQLite an index on one column also orders by
# rowid, so these sorts walk an index instead of sorting every matching row.
REPORT_SORTS: dict[str, tuple[str, ...]] = {
    "report_id": ("report_id",),
    "date": ("date_start", "id"),
    "province": ("place_iso", "id"),
    "collection": ("collection_id", "id"),
    "updated": ("updated_at", "id"),
}
REPORT_FILTERS = (
    "q",
    "narrative",
    "year",
    "province",
    "charge",
    "how_known",
    "collection",
    "flagged",
)


def filter_reports(
    queryset: QuerySet[Any], params: Mapping[str, str], *, free_text: bool
) -> tuple[QuerySet[Any], dict[str, str]]:
    """Apply the report filters in ``params``; return the queryset and the filters used.

    ``year`` keeps reports whose date range overlaps that year; ``charge`` keeps reports
    naming that charge code; ``q`` searches ids and pseudonyms, and the as-told place and
    date when ``free_text`` is allowed (and the narrative with ``narrative=1``).
    """
    used: dict[str, str] = {}
    q = (params.get("q") or "").strip()[:100]
    if q:
        narrative = free_text and params.get("narrative") == "1"
        queryset = queryset.filter(_report_search(q, free_text, narrative))
        used["q"] = q
        if narrative:
            used["narrative"] = "1"
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


_ID_LIKE = re.compile(r"^[A-Za-z]{1,4}[-_.:]?\d[\w.:-]*$|^[A-Za-z]{1,4}[-_.:]$")


def _prefix(field: str, text: str) -> Q:
    # A range instead of LIKE 'text%': both SQLite and PostgreSQL answer it from the
    # column's index (LIKE is case-insensitive on SQLite and cannot use it).
    return Q(**{f"{field}__gte": text, f"{field}__lt": text + "\uffff"})


def _report_search(q: str, free_text: bool, narrative: bool) -> Q:
    """What ``q`` finds: ids and pseudonyms by prefix; any other text (for roles that may
    read it) in the place and date as told, and in the narrative when asked (reading
    every narrative is the slowest search there is)."""
    from uncounted.store.models import Source

    by_id = _prefix("report_id", q) | Q(
        source__in=Source.objects.filter(_prefix("pseudonym", q)).values("pk")
    )
    if _ID_LIKE.match(q) or not free_text:
        return by_id
    told = by_id | Q(place_as_told__icontains=q) | Q(date_as_told__icontains=q)
    return told | Q(narrative__icontains=q) if narrative else told


# -- collections, sources, interviews, events --------------------------------------

COLLECTION_SORTS = {"collection_id": ("collection_id",), "name": ("name", "collection_id")}
SOURCE_SORTS = {
    "source_id": ("source_id",),
    "pseudonym": ("pseudonym", "source_id"),
    "interview_year": ("interview_year", "source_id"),
    "collection": ("collection_id", "id"),
}
INTERVIEW_SORTS = {"interview_id": ("interview_id",), "date": ("date", "id")}
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
