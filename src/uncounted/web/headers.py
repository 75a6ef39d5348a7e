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

JSON answers also get ``<``, ``>`` and ``&`` escaped inside their strings.
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
        "img-src 'self'",
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
        if response.get("Content-Type", "").startswith("application/json"):
            _escape_json_markup(response)
        return response


def _escape_json_markup(response: HttpResponse) -> None:
    """Write ``<``, ``>`` and ``&`` in JSON answers as ``\\u`` escapes.

    They can only occur inside JSON strings, where the escape means the same character;
    markup typed into a testimony field then never appears literally in an API answer,
    even to a client that mistakes the answer for HTML.
    """
    if response.streaming:
        return
    body = response.content
    if not any(c in body for c in (b"<", b">", b"&")):
        return
    response.content = (
        body.replace(b"&", b"\\u0026").replace(b"<", b"\\u003c").replace(b">", b"\\u003e")
    )
    if response.has_header("Content-Length"):
        response.headers["Content-Length"] = str(len(response.content))
