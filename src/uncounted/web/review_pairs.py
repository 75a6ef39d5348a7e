"""Which pair the review queue shows next, and the evidence for and against a match.

:func:`next_pair` is the one function the queue calls. After a link run it follows that
run's review queue: the pairs in the uncertain band, most informative first, as
``uncounted review`` lists them. Before any link run it proposes pairs by a simple
blocking: two reports from different sources that name the same place and whose dates
start in the same year (victim mentions: the same name key in two different reports).
Pairs a reviewer has already decided are skipped. The evidence is a plain comparison of
the two records.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from django.db.models import Count, Q
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _

from uncounted.store.models import LinkDecision, Report, Run, VictimMention

Kind = Literal["reports", "mentions"]
Weight = Literal["for", "against", "neutral"]
_SCAN_GROUPS = 500


@dataclass(frozen=True)
class Evidence:
    """One comparison: what it is, which way it points, and the values compared."""

    label: str
    weight: Weight
    detail: str


@dataclass(frozen=True)
class Pair:
    kind: Kind
    left_id: str
    right_id: str


def decided(kind: Kind, ids: list[str]) -> set[tuple[str, str]]:
    rows = LinkDecision.objects.filter(kind=kind).filter(Q(left_id__in=ids) | Q(right_id__in=ids))
    return {(d.left_id, d.right_id) for d in rows}


def next_pair(kind: Kind = "reports", after: tuple[str, str] | None = None) -> Pair | None:
    """The next undecided candidate pair (in a stable order), or None when none is left.

    ``after`` skips pairs up to and including that one, so a reviewer can pass over a
    pair without deciding it.
    """
    scored = _next_scored_pair(kind, after)
    if scored is not None:
        return scored
    if kind == "mentions":
        return _next_mention_pair(after)
    groups = (
        Report.objects.filter(place__isnull=False, date_start__isnull=False)
        .annotate(year=ExtractYear("date_start"))
        .values("place_id", "year")
        .annotate(n=Count("id"))
        .filter(n__gte=2)
        .order_by("year", "place_id")
    )
    for group in groups[:_SCAN_GROUPS]:
        rows = list(
            Report.objects.filter(
                place_id=group["place_id"], date_start__year=group["year"]
            ).values_list("report_id", "source_id")
        )
        pair = _first_open("reports", sorted(rows), lambda a, b: a[1] != b[1], after)
        if pair is not None:
            return pair
    return None


def _next_scored_pair(kind: Kind, after: tuple[str, str] | None) -> Pair | None:
    """The next undecided pair of the latest link run's review queue, if there is one."""
    run = Run.objects.filter(kind=Run.Kind.LINK, status="done").order_by("-created_at").first()
    if run is None or not isinstance(run.results, dict):
        return None
    queue = [
        tuple(sorted((str(e["id_l"]), str(e["id_r"]))))
        for e in run.results.get("review", [])
        if isinstance(e, dict) and e.get("kind") == kind and "id_l" in e and "id_r" in e
    ]
    done = decided(kind, sorted({i for pair in queue for i in pair}))
    skipping = after is not None and tuple(sorted(after)) in queue
    for left, right in queue:
        if skipping:
            skipping = (left, right) != tuple(sorted(after or ()))
            continue
        if (left, right) not in done:
            return Pair(kind, left, right)
    return None


def _next_mention_pair(after: tuple[str, str] | None) -> Pair | None:
    groups = (
        VictimMention.objects.exclude(name_keys="")
        .values("name_keys")
        .annotate(n=Count("id"))
        .filter(n__gte=2)
        .order_by("name_keys")
    )
    for group in groups[:_SCAN_GROUPS]:
        rows = list(
            VictimMention.objects.filter(name_keys=group["name_keys"]).values_list(
                "mention_id", "report_id"
            )
        )
        pair = _first_open("mentions", sorted(rows), lambda a, b: a[1] != b[1], after)
        if pair is not None:
            return pair
    return None


def _first_open(
    kind: Kind,
    rows: list[tuple[str, int]],
    compatible: object,
    after: tuple[str, str] | None,
) -> Pair | None:
    done = decided(kind, [r[0] for r in rows])
    for i, left in enumerate(rows):
        for right in rows[i + 1 :]:
            key = tuple(sorted((left[0], right[0])))
            if key in done or not compatible(left, right):  # type: ignore[operator]
                continue
            if after is not None and key <= tuple(sorted(after)):
                continue
            return Pair(kind, key[0], key[1])
    return None


def report_evidence(left: Report, right: Report) -> list[Evidence]:
    """Plain comparisons of two reports, each marked for, against or neutral."""
    out: list[Evidence] = []
    if left.date_start and right.date_start and left.date_end and right.date_end:
        if left.date_start <= right.date_end and right.date_start <= left.date_end:
            out.append(Evidence("date", "for", _("the date ranges overlap")))
        else:
            gap = min(
                abs((right.date_start - left.date_end).days),
                abs((left.date_start - right.date_end).days),
            )
            out.append(
                Evidence(
                    "date",
                    "against",
                    _("the date ranges are %(gap)s days apart") % {"gap": gap},
                )
            )
    else:
        out.append(Evidence("date", "neutral", _("a date is unknown")))
    if left.place_id and left.place_id == right.place_id:
        out.append(Evidence("place", "for", _("same place (%(place)s)") % {"place": left.place_id}))
    elif left.place_iso and left.place_iso == right.place_iso:
        out.append(
            Evidence("place", "neutral", _("same province (%(iso)s)") % {"iso": left.place_iso})
        )
    elif left.place_iso and right.place_iso:
        out.append(Evidence("place", "against", f"{left.place_iso} vs {right.place_iso}"))
    lc, rc = set(left.charge_list), set(right.charge_list)
    if lc and rc:
        common = lc & rc
        out.append(
            Evidence(
                "charges",
                "for" if common else "against",
                ", ".join(sorted(common)) if common else _("no charge in common"),
            )
        )
    if None not in (left.victims_min, left.victims_max, right.victims_min, right.victims_max):
        fits = left.victims_min <= right.victims_max and right.victims_min <= left.victims_max  # type: ignore[operator]
        out.append(
            Evidence(
                "victims",
                "for" if fits else "against",
                f"{left.victims_as_told or '?'} vs {right.victims_as_told or '?'}",
            )
        )
    if left.method and right.method:
        same = left.method == right.method
        out.append(
            Evidence("method", "for" if same else "against", f"{left.method} / {right.method}")
        )
    if left.site_type and right.site_type:
        same = left.site_type == right.site_type
        out.append(
            Evidence("site", "for" if same else "against", f"{left.site_type} / {right.site_type}")
        )
    if left.source_id == right.source_id:
        out.append(
            Evidence("source", "against", _("the same source (a witness tells an event once)"))
        )
    lk = _keys(left)
    rk = _keys(right)
    if lk and rk:
        out.append(
            Evidence(
                "victim names",
                "for" if lk & rk else "neutral",
                _("a name in common") if lk & rk else _("no name in common"),
            )
        )
    return out


def _keys(report: Report) -> set[str]:
    keys: set[str] = set()
    for m in report.mentions.all():
        keys.update(k for k in m.name_keys.split(";") if k)
    return keys


def mention_evidence(left: VictimMention, right: VictimMention) -> list[Evidence]:
    """Plain comparisons of two victim mentions."""
    out: list[Evidence] = []
    lk = {k for k in left.name_keys.split(";") if k}
    rk = {k for k in right.name_keys.split(";") if k}
    out.append(
        Evidence(
            "name", "for" if lk & rk else "against", _("a name key in common") if lk & rk else ""
        )
    )
    if left.sex and right.sex:
        out.append(Evidence("sex", "for" if left.sex == right.sex else "against", ""))
    if None not in (left.age_min, left.age_max, right.age_min, right.age_max):
        fits = left.age_min <= right.age_max and right.age_min <= left.age_max  # type: ignore[operator]
        out.append(Evidence("age", "for" if fits else "against", ""))
    out += [e for e in report_evidence(left.report, right.report) if e.label in {"date", "place"}]
    return out
