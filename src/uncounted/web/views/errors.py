"""Error pages: HTML for people, the one JSON shape under /api/."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from uncounted.web.api_errors import error_response, is_api


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    if is_api(request):
        return error_response(
            403,
            "CSRF check failed: send the csrftoken cookie's value in the X-CSRFToken header",
            code="csrf_failed",
        )
    return render(
        request,
        "uncounted/error.html",
        {
            "status": 403,
            "message": _("The form expired or came from elsewhere. Reload the page and try again."),
        },
        status=403,
    )


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # Reached for a request body over the size limit and other malformed requests.
    if is_api(request):
        return error_response(400, "the request was malformed or too large")
    return render(
        request,
        "uncounted/error.html",
        {
            "status": 400,
            "message": _(
                "The request was too large or malformed and was refused; nothing was saved."
            ),
        },
        status=400,
    )


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api(request):
        return error_response(403, "your role does not allow this")
    return render(
        request,
        "uncounted/error.html",
        {"status": 403, "message": _("Your role does not allow this page.")},
        status=403,
    )


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api(request):
        return error_response(404, "no such resource")
    return render(
        request,
        "uncounted/error.html",
        {"status": 404, "message": _("There is nothing at this address.")},
        status=404,
    )


def server_error(request: HttpRequest) -> HttpResponse:
    if is_api(request):
        return error_response(500, "the server failed; the error was logged")
    return render(
        request,
        "uncounted/error.html",
        {"status": 500, "message": _("Something went wrong on the server. It was logged.")},
        status=500,
    )
