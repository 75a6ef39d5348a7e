"""The review queue: two records side by side with the evidence, a decision, the next pair."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from uncounted.store.models import LinkDecision, Report, VictimMention
from uncounted.web import listing
from uncounted.web.access import page
from uncounted.web.forms import DecisionForm
from uncounted.web.review_pairs import Kind, mention_evidence, next_pair, report_evidence
from uncounted.web.review_weights import waterfall_for
from uncounted.web.roles import Capability

C = Capability


def _kind(value: str | None) -> Kind:
    return "mentions" if value == "mentions" else "reports"


@page(C.REVIEW_LINKS)
def review_queue(request: HttpRequest) -> HttpResponse:
    kind = _kind(request.GET.get("kind"))
    after = None
    if request.GET.get("after_left") and request.GET.get("after_right"):
        after = (request.GET["after_left"][:64], request.GET["after_right"][:64])
    pair = next_pair(kind, after)
    context: dict[str, object] = {"kind": kind, "pair": pair}
    if pair is not None:
        left: Report | VictimMention
        right: Report | VictimMention
        if kind == "reports":
            qs = Report.objects.select_related("source", "collection", "place")
            left_report = get_object_or_404(qs, report_id=pair.left_id)
            right_report = get_object_or_404(qs, report_id=pair.right_id)
            evidence = report_evidence(left_report, right_report)
            left, right = left_report, right_report
        else:
            qs2 = VictimMention.objects.select_related("report", "report__source")
            left_mention = get_object_or_404(qs2, mention_id=pair.left_id)
            right_mention = get_object_or_404(qs2, mention_id=pair.right_id)
            evidence = mention_evidence(left_mention, right_mention)
            left, right = left_mention, right_mention
        context.update(
            left=left,
            right=right,
            evidence=evidence,
            waterfall=waterfall_for(pair),
            form=DecisionForm(
                initial={"kind": kind, "left_id": pair.left_id, "right_id": pair.right_id}
            ),
        )
    return render(request, "uncounted/review.html", context)


@page(C.REVIEW_LINKS)
@require_POST
def review_decide(request: HttpRequest) -> HttpResponse:
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, _("The decision was not saved: choose match, not a match or unsure.")
        )
        return redirect(reverse("review") + f"?kind={_kind(request.POST.get('kind'))}")
    data = form.cleaned_data
    model = Report if data["kind"] == "reports" else VictimMention
    key = "report_id" if data["kind"] == "reports" else "mention_id"
    for ident in (data["left_id"], data["right_id"]):
        get_object_or_404(model, **{key: ident})
    LinkDecision.objects.create(
        kind=data["kind"],
        left_id=data["left_id"],
        right_id=data["right_id"],
        decision=data["decision"],
        note=data["note"],
        decided_by=request.user.get_username(),
    )
    messages.success(request, _("Decision saved. Next pair:"))
    return redirect(reverse("review") + f"?kind={data['kind']}")


@page(C.REVIEW_LINKS)
def decision_list(request: HttpRequest) -> HttpResponse:
    qs, used = listing.filter_simple(
        LinkDecision.objects.all(),
        request.GET,
        ("left_id", "right_id"),
        kind="kind",
        decision="decision",
    )
    sorts = {"decided_at": ("decided_at",), "left_id": ("left_id", "right_id")}
    result = listing.paginate(qs, request.GET, sorts, "-decided_at", used)
    return render(request, "uncounted/decision_list.html", {"listing": result})
