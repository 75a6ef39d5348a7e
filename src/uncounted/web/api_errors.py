"""The one JSON error shape of the API, and the middleware that keeps every error in it.

Every error under ``/api/`` is answered as::

    {"error": {"status": 409, "code": "conflict", "message": "...", "problems": [...]}}

``problems`` lists what to fix, one object per problem with ``field`` (or null),
``row`` (or null), ``value`` (or null) and ``expected``; it is empty when there is
nothing more specific to say. Messages never quote identity fields.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse

from uncounted.errors import Problem

API_PREFIX = "/api/"

CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    422: "invalid",
    500: "server_error",
}


def problem_dict(problem: Problem) -> dict[str, Any]:
    """A validation problem as the API reports it."""
    return {
        "field": problem.column,
        "row": problem.row,
        "value": problem.value,
        "expected": problem.expected,
    }


def error_response(
    status: int,
    message: str,
    *,
    code: str | None = None,
    problems: Iterable[Problem] = (),
) -> JsonResponse:
    """An API error in the one shape (see the module docstring)."""
    body = {
        "error": {
            "status": status,
            "code": code or CODES.get(status, "error"),
            "message": message,
            "problems": [problem_dict(p) for p in problems],
        }
    }
    response = JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    if status == 401:
        response["WWW-Authenticate"] = 'Session realm="uncounted", login="/accounts/login/"'
    return response


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


class ApiErrorMiddleware:
    """Turn Django's HTML error pages and unhandled exceptions under /api/ into the shape."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not is_api(request) or response.status_code < 400:
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        status = response.status_code
        messages = {
            404: "no such resource; see /api/ for what exists",
            405: "this method is not allowed here",
        }
        new = error_response(status, messages.get(status, "the request failed"))
        if "Allow" in response:
            new["Allow"] = response["Allow"]
        return new

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from django.core.exceptions import (
            PermissionDenied,
            RequestDataTooBig,
            SuspiciousOperation,
        )
        from django.http import Http404

        if not is_api(request):
            return None
        if isinstance(exception, Http404):
            return error_response(404, "no such resource")
        if isinstance(exception, PermissionDenied):
            return error_response(403, "your role does not allow this")
        if isinstance(exception, RequestDataTooBig):
            return error_response(413, "the request body is larger than the server accepts")
        if isinstance(exception, SuspiciousOperation):
            return error_response(400, "the request was malformed")
        import logging

        logging.getLogger("django.request").error("API error: %s", request.path, exc_info=exception)
        return error_response(500, "the server failed; the error was logged")
