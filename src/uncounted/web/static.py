"""Serve the app's own static files (CSS, a little JS, vendored htmx) from the package.

The files are few and small, so the app serves them itself with long cache lifetimes
(their names carry versions) and needs no extra server; a proxy may serve
``collectstatic`` output instead (see docs/deploy.md).
"""

from __future__ import annotations

from pathlib import Path

from django.http import FileResponse, HttpRequest, HttpResponse
from django.views.static import serve

ROOT = Path(__file__).resolve().parent / "static"


def serve_static(request: HttpRequest, path: str) -> HttpResponse | FileResponse:
    response = serve(request, path, document_root=str(ROOT))
    response["Cache-Control"] = "public, max-age=86400"
    return response
