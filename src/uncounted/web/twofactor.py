"""The optional second factor: a TOTP authenticator app (RFC 6238), through django-otp.

A user enrols from the account page: the app makes an unconfirmed device, shows its
secret (as text and as a QR code drawn in SVG on the server, no network) and confirms it
once the user types a code the authenticator shows. From then on, signing in asks for a
code after the password (:mod:`uncounted.web.signin`).

``UNCOUNTED_REQUIRE_2FA=1`` makes the second factor compulsory: a signed-in user without
one can reach only the account page (to enrol), sign-out and the language switch until
they have confirmed a device. A session that was signed in without a code by a user who
has since enrolled (in another session) is signed out.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from uncounted.web.api_errors import error_response, is_api

CODE_FIELD = "otp_token"
DEVICE_NAME = "authenticator"
# Reachable while a required second factor is missing (the account page is under
# /accounts/ too).
EXEMPT_PREFIXES = ("/accounts/", "/static/", "/i18n/")


class CodeForm(forms.Form):
    """One six-digit code from the authenticator app."""

    otp_token = forms.RegexField(
        label=_("Code from your authenticator app"),
        regex=r"^\s*\d{6}\s*$",
        max_length=12,
        error_messages={"invalid": _("Type the six digits your authenticator app shows.")},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
                "pattern": r"\s*\d{6}\s*",
            }
        ),
    )

    def clean_otp_token(self) -> str:
        return str(self.cleaned_data["otp_token"]).strip()


def confirmed_device(user: Any) -> TOTPDevice | None:
    """The user's confirmed authenticator, if they have one."""
    if user is None or not getattr(user, "pk", None):
        return None
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


def required() -> bool:
    return bool(getattr(settings, "UNCOUNTED_REQUIRE_2FA", False))


def secret_text(device: TOTPDevice) -> str:
    """The secret as authenticator apps take it when typed in: base32, in groups of four."""
    b32 = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(b32[i : i + 4] for i in range(0, len(b32), 4))


def qr_svg(uri: str) -> str:
    """The ``otpauth://`` address as an inline SVG QR code (no style attributes)."""
    import segno

    return str(segno.make(uri, error="m").svg_inline(scale=4, border=2, title=""))


class SecondFactorMiddleware:
    """Enforce the second factor on signed-in sessions (after OTPMiddleware)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()  # type: ignore[attr-defined]
            and not request.path.startswith(EXEMPT_PREFIXES)
        ):
            if confirmed_device(user) is not None:
                # Signed in without a code, and the account has an authenticator now.
                logout(request)
                if is_api(request):
                    return error_response(401, "sign in again, with your one-time code")
                return redirect(settings.LOGIN_URL)
            if required():
                if is_api(request):
                    return error_response(
                        403, "a second factor is required: set one up on the account page"
                    )
                return redirect("account-security")
        return self.get_response(request)
