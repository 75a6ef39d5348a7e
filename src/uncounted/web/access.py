"""Permission checks for pages and API endpoints: every view names the capability it needs.

Pages send anonymous visitors to the sign-in page and answer 403 to signed-in users whose
role lacks the capability; API endpoints answer 401 and 403 in the one JSON error shape.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from uncounted.web.api_errors import error_response
from uncounted.web.roles import Capability, can, role_of

View = TypeVar("View", bound=Callable[..., HttpResponse])


def page(capability: Capability) -> Callable[[View], View]:
    """Decorate a page view: sign-in required, then ``capability``."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not can(request.user, capability):
                raise PermissionDenied(capability.value)
            return view(request, *args, **kwargs)

        wrapped.required_capability = capability  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorate


def api(
    read: Capability, write: Capability | None = None, methods: tuple[str, ...] = ("GET",)
) -> Callable[[View], View]:
    """Decorate an API view: 401 when not signed in, 403 without the capability.

    ``read`` guards GET and HEAD; ``write`` guards every other allowed method.
    """

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return error_response(
                    401, "sign in first: POST username and password to /accounts/login/"
                )
            if role_of(request.user) is None:
                return error_response(403, "your account has no role; ask an administrator")
            allowed = ("GET", "HEAD", *methods)
            if request.method not in allowed:
                response = error_response(405, f"{request.method} is not allowed here")
                response["Allow"] = ", ".join(sorted(set(allowed)))
                return response
            needed = read if request.method in ("GET", "HEAD") else write
            if needed is None or not can(request.user, needed):
                return error_response(403, "your role does not allow this")
            return view(request, *args, **kwargs)

        wrapped.required_capability = read  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorate
