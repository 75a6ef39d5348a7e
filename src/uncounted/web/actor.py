"""Every change made while answering a request is attributed to the signed-in user.

The audit log's *who* (:mod:`uncounted.store.audit`) is the actor in force when a row
changes; without this the web app's changes would carry the server's own login name.
Accounts are named ``web:<user name>`` (a user name, never a witness).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from uncounted.store.audit import acting_as


class ActorMiddleware:
    """Runs each request inside :func:`~uncounted.store.audit.acting_as` its user."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        name = user.get_username() if user is not None and user.is_authenticated else ""
        with acting_as(f"web:{name}" if name else "web:anonymous"):
            return self.get_response(request)
