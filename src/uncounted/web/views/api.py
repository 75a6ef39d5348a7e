"""The JSON API: reports, events and runs.

Reading follows each role's permissions (the same capabilities as the pages); analysts
and admins write reports. Sessions authenticate (sign in at ``/accounts/login/``);
writes need the CSRF token in ``X-CSRFToken``. Lists take the pages' filters and
``page``/``per_page`` and answer ``{"count", "page", "pages", "per_page", "results"}``.
Every error has the one shape of :mod:`uncounted.web.api_errors`.
"""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from django.http import HttpRequest, HttpResponse, JsonResponse

from uncounted.errors import Problem, ValidationError
from uncounted.store.models import Event, Report, Run
from uncounted.web import listing
from uncounted.web.access import api
from uncounted.web.api_errors import error_response
from uncounted.web.consent import cleared_events, event_withheld, run_results, withheld_count
from uncounted.web.report_edit import ReportConflict, report_values, save_report
from uncounted.web.roles import Capability, capabilities, role_of
from uncounted.web.run_jobs import reap_interrupted
from uncounted.web.serialize import event_dict, report_dict, run_dict

C = Capability
_MAX_BODY = 2 * 1024 * 1024


def _json(data: Any, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})


def _page(result: listing.Listing, items: list[Any]) -> dict[str, Any]:
    return {
        "count": result.page.paginator.count,
        "count_is_exact": not getattr(result.page.paginator, "capped", False),
        "page": result.page.number,
        "pages": result.page.paginator.num_pages,
        "per_page": result.page.paginator.per_page,
        "filters": result.filters,
        "sort": result.sort,
        "results": items,
    }


def _body(request: HttpRequest) -> dict[str, Any]:
    if len(request.body) > _MAX_BODY:
        raise ValidationError([Problem("request", None, None, None, "a body under 2 MB")])
    try:
        data = json.loads(request.body.decode("utf-8") or "{}")
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValidationError(
            [Problem("request", None, None, None, f"a JSON object in UTF-8 ({exc})")]
        ) from None
    if not isinstance(data, dict):
        raise ValidationError([Problem("request", None, None, None, "a JSON object")])
    return data


def _strings(data: dict[str, Any]) -> dict[str, str]:
    return {
        k: "" if v is None else str(v) for k, v in data.items() if not isinstance(v, dict | list)
    }


@api(C.VIEW_FIGURES)
def api_index(request: HttpRequest) -> HttpResponse:
    return _json(
        {
            "reports": "/api/reports",
            "events": "/api/events",
            "runs": "/api/runs",
            "role": role.value if (role := role_of(request.user)) else None,
            "capabilities": sorted(c.value for c in capabilities(request.user)),
        }
    )


@api(C.VIEW_TESTIMONY, write=C.EDIT_TESTIMONY, methods=("POST",))
def api_reports(request: HttpRequest) -> HttpResponse:
    caps = capabilities(request.user)
    if request.method == "POST":
        return _write_report(request, None)
    qs = Report.objects.select_related("source", "collection", "interview", "event")
    qs, used = listing.filter_reports(qs, request.GET, free_text=C.VIEW_TESTIMONY in caps)
    result = listing.paginate(qs, request.GET, listing.REPORT_SORTS, "report_id", used)
    return _json(_page(result, [report_dict(r, caps) for r in result.items]))


@api(C.VIEW_TESTIMONY, write=C.EDIT_TESTIMONY, methods=("PATCH", "PUT"))
def api_report(request: HttpRequest, report_id: str) -> HttpResponse:
    report = (
        Report.objects.select_related("source", "collection", "interview", "event")
        .filter(report_id=report_id)
        .first()
    )
    if report is None:
        return error_response(404, f"no report with id {report_id!r}")
    if request.method in ("PATCH", "PUT"):
        return _write_report(request, report)
    return _json(report_dict(report, capabilities(request.user), mentions=True))


def _write_report(request: HttpRequest, existing: Report | None) -> HttpResponse:
    try:
        data = _body(request)
        mentions = data.get("mentions")
        if mentions is not None and not (
            isinstance(mentions, list) and all(isinstance(m, dict) for m in mentions)
        ):
            raise ValidationError(
                [Problem("request", None, "mentions", None, "a list of mention objects")]
            )
        values = _strings(data)
        version: int | None = None
        if existing is not None:
            version = _version(request, data)
            if request.method == "PATCH":
                values = {**report_values(existing), **values}
            if mentions is None:
                mentions = [
                    {
                        "mention_id": m.mention_id,
                        "name_as_told": m.name_as_told,
                        "sex": m.sex,
                        "age_as_told": m.age_as_told,
                        "charges": m.charges,
                    }
                    for m in existing.mentions.all()
                ]
        report, warnings = save_report(
            values,
            [_strings(m) for m in mentions or []],
            existing=existing,
            version=version,
            accept_unresolved=bool(data.get("accept_unresolved")),
            origin="request",
        )
    except ValidationError as exc:
        return error_response(
            400,
            f"{len(exc.problems)} problem(s) found; nothing was written",
            code="invalid",
            problems=exc.problems,
        )
    except ReportConflict as exc:
        return error_response(
            409,
            f"report {exc.current.report_id} was changed by someone else (now version "
            f"{exc.current.version}); fetch it again and reapply your change",
        )
    body = report_dict(report, capabilities(request.user), mentions=True)
    body["warnings"] = [str(w) for w in warnings]
    return _json(body, status=201 if existing is None else 200)


def _version(request: HttpRequest, data: dict[str, Any]) -> int:
    raw = data.get("version", request.headers.get("If-Match", "").strip('"'))
    try:
        return int(raw)
    except (TypeError, ValueError):
        raise ValidationError(
            [
                Problem(
                    "request",
                    None,
                    "version",
                    None,
                    "the version you edited (from GET), in the body or an If-Match header",
                )
            ]
        ) from None


@api(C.VIEW_FIGURES)
def api_events(request: HttpRequest) -> HttpResponse:
    caps = capabilities(request.user)
    qs = cleared_events(Event.objects.select_related("place", "run"), request.user)
    qs, used = listing.filter_events(qs, request.GET)
    result = listing.paginate(qs, request.GET, listing.EVENT_SORTS, "event_id", used)
    body = _page(result, [event_dict(e, caps) for e in result.items])
    # Counted in every figure, listed for the team only (docs/security.md).
    body["withheld"] = withheld_count(request.user)
    return _json(body)


@api(C.VIEW_FIGURES)
def api_event(request: HttpRequest, event_id: str) -> HttpResponse:
    event = Event.objects.select_related("place", "run").filter(event_id=event_id).first()
    if event is None:
        return error_response(404, f"no event with id {event_id!r}")
    withheld = event_withheld(event, request.user)
    return _json(event_dict(event, capabilities(request.user), detail=True, withheld=withheld))


@api(C.VIEW_FIGURES)
def api_runs(request: HttpRequest) -> HttpResponse:
    reap_interrupted()
    qs, used = listing.filter_simple(
        Run.objects.all(), request.GET, (), kind="kind", status="status"
    )
    result = listing.paginate(qs, request.GET, {"created": ("created_at",)}, "-created", used)
    return _json(_page(result, [run_dict(r) for r in result.items]))


@api(C.VIEW_FIGURES)
def api_run(request: HttpRequest, run_id: str) -> HttpResponse:
    try:
        key = UUID(run_id)
    except ValueError:
        return error_response(404, "no run with that id")
    run = Run.objects.filter(run_id=key).first()
    if run is None:
        return error_response(404, "no run with that id")
    body = run_dict(run, detail=True)
    body["results"] = run_results(body["results"], request.user)
    return _json(body)
