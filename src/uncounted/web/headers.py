"""Security headers that Django's own middleware does not send.

Django's ``SecurityMiddleware`` already sends ``X-Content-Type-Options``,
``Referrer-Policy``, ``Cross-Origin-Opener-Policy`` and (over HTTPS) HSTS, and
``XFrameOptionsMiddleware`` sends ``X-Frame-Options: DENY``. This adds:

* ``Content-Security-Policy``: everything from this site only; no inline script, no
  inline style, no ``eval`` (htmx runs with ``allowEval`` off), no plugins, no framing,
  forms post only back to this site. Templates must therefore keep every script and
  style in ``static/`` files; a test scans them.
* ``Permissions-Policy``: no camera, microphone, location or other device access.
* ``Cross-Origin-Resource-Policy: same-origin``.
* ``Cache-Control: no-store`` on every page and API answer (they may hold testimony and
  identities; a shared laptop's browser cache must not keep them). Static files are
  left cacheable.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        if not request.path.startswith(settings.STATIC_URL):
            response.headers["Cache-Control"] = "no-store"
        return response
