"""Signing in: the password, then (for an account with an authenticator) a one-time code.

The password step is Django's own form behind django-axes, which refuses a user name and
address pair for a cool-off after repeated failures. An account with a confirmed TOTP
device is not signed in by its password alone: the password step remembers the user in
the session for a few minutes and asks for the code; only a correct code signs in. Wrong
codes are throttled by django-otp (growing delays, kept on the device) and a pending
sign-in is dropped after a few of them, so the password must be given again.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login

from uncounted.web.twofactor import CODE_FIELD, CodeForm, confirmed_device

PENDING_KEY = "uncounted_pending_signin"
PENDING_SECONDS = 5 * 60
MAX_CODE_TRIES = 5


def client_str(
    username: str | None, ip_address: Any, user_agent: Any, path_info: Any, request: Any
) -> str:
    """How django-axes names a client in its log lines: the user name only."""
    return f"user {username!r}" if username else "an unnamed user"


def client_ip(request: HttpRequest) -> str:
    """The address a sign-in came from, as django-axes counts it.

    Behind the HTTPS proxy (``UNCOUNTED_HTTPS=1``) every request arrives from the proxy,
    so the address the proxy appended to ``X-Forwarded-For`` (the last one) is used, but
    only when the request really came from a trusted proxy address
    (``UNCOUNTED_FORWARDED_ALLOW_IPS``, as for gunicorn); a client cannot choose it.
    """
    remote = str(request.META.get("REMOTE_ADDR", ""))
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    if forwarded and settings.SECURE_PROXY_SSL_HEADER and remote in settings.UNCOUNTED_PROXY_IPS:
        last = forwarded.split(",")[-1].strip()
        if last:
            return last
    return remote


def locked_out(request: HttpRequest, *args: Any) -> HttpResponse:
    """The sign-in page, saying the account is locked for now (HTTP 429)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(
        request,
        "uncounted/login.html",
        {
            "form": AuthenticationForm(request),
            "locked": _(
                "Too many failed sign-ins for this user name from this address. "
                "Sign-in is blocked for %(minutes)s minutes; try again later "
                "or ask an administrator."
            )
            % {"minutes": minutes},
        },
        status=429,
    )


class SignInView(LoginView):
    """Django's sign-in, with the one-time code step for accounts that have one."""

    template_name = "uncounted/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        user = form.get_user()
        if confirmed_device(user) is None:
            return super().form_valid(form)
        self.request.session.cycle_key()
        self.request.session[PENDING_KEY] = {
            "user": user.pk,
            "backend": getattr(user, "backend", settings.AUTHENTICATION_BACKENDS[-1]),
            "at": time.time(),
            "next": self.get_success_url(),
            "tries": 0,
        }
        return redirect("login-code")


def _pending(request: HttpRequest) -> dict[str, Any] | None:
    pending = request.session.get(PENDING_KEY)
    if not isinstance(pending, dict):
        return None
    if time.time() - float(pending.get("at", 0)) > PENDING_SECONDS:
        del request.session[PENDING_KEY]
        return None
    return pending


@sensitive_post_parameters(CODE_FIELD)
@csrf_protect
@never_cache
def login_code(request: HttpRequest) -> HttpResponse:
    """The second step: the code from the authenticator app."""
    pending = _pending(request)
    user = None
    if pending is not None:
        user = get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
    device = confirmed_device(user) if user is not None else None
    if pending is None or user is None or device is None:
        request.session.pop(PENDING_KEY, None)
        return redirect("login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data[CODE_FIELD]):
            del request.session[PENDING_KEY]
            user.backend = pending["backend"]  # type: ignore[attr-defined]
            auth_login(request, user)
            otp_login(request, device)
            target = pending["next"]
            if not url_has_allowed_host_and_scheme(
                target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
            ):
                target = settings.LOGIN_REDIRECT_URL
            return redirect(target)
        pending["tries"] = int(pending["tries"]) + 1
        if pending["tries"] >= MAX_CODE_TRIES:
            del request.session[PENDING_KEY]
            return render(
                request,
                "uncounted/login.html",
                {
                    "form": AuthenticationForm(request),
                    "locked": _("Too many wrong codes. Sign in again with your password."),
                },
                status=429,
            )
        request.session[PENDING_KEY] = pending
        form.add_error(
            CODE_FIELD,
            _("That code is wrong or has expired. Wait for a new code and try again."),
        )
    return render(request, "uncounted/login_code.html", {"form": form})
