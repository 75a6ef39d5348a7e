"""Runs: start a link or estimate run; saved runs with their settings and results."""

from __future__ import annotations

import json
from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from uncounted.store.models import Run
from uncounted.web import listing
from uncounted.web.access import page
from uncounted.web.consent import run_results
from uncounted.web.forms import RunForm
from uncounted.web.roles import Capability
from uncounted.web.run_jobs import reap_interrupted, start_run

C = Capability
RUN_SORTS = {"created": ("created_at",), "kind": ("kind", "created_at")}


@page(C.VIEW_FIGURES)
def run_list(request: HttpRequest) -> HttpResponse:
    reap_interrupted()
    qs, used = listing.filter_simple(
        Run.objects.all(), request.GET, (), kind="kind", status="status"
    )
    result = listing.paginate(qs, request.GET, RUN_SORTS, "-created", used)
    return render(request, "uncounted/run_list.html", {"listing": result, "form": RunForm()})


@page(C.VIEW_FIGURES)
def run_detail(request: HttpRequest, run_id: UUID) -> HttpResponse:
    run = get_object_or_404(Run, run_id=run_id)
    return render(
        request,
        "uncounted/run_detail.html",
        {
            "run": run,
            "settings_json": json.dumps(run.settings, indent=2, ensure_ascii=False),
            "results_json": json.dumps(
                run_results(run.results, request.user), indent=2, ensure_ascii=False
            )[:200_000],
        },
    )


@page(C.START_RUNS)
@require_POST
def run_start(request: HttpRequest) -> HttpResponse:
    form = RunForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a link or an estimate run."))
        return redirect("run-list")
    run = start_run(form.cleaned_data["kind"], request.user.get_username())
    messages.info(request, _("Run started."))
    return redirect("run-detail", run_id=str(run.run_id))
