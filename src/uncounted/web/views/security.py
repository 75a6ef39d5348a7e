"""The account page: set up, confirm or remove the second factor."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from uncounted.web.access import page
from uncounted.web.roles import Capability
from uncounted.web.twofactor import (
    CODE_FIELD,
    DEVICE_NAME,
    CodeForm,
    confirmed_device,
    qr_svg,
    required,
    secret_text,
)

C = Capability


def _unconfirmed(request: HttpRequest) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=request.user, confirmed=False).order_by("-id").first()


@sensitive_post_parameters(CODE_FIELD)
@never_cache
@page(C.VIEW_FIGURES)
def account_security(request: HttpRequest) -> HttpResponse:
    user = request.user
    device = confirmed_device(user)
    pending = None if device else _unconfirmed(request)
    form = CodeForm(request.POST if request.method == "POST" else None)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if action == "start" and device is None:
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
        return redirect("account-security")
    if action == "confirm" and pending is not None and form.is_valid():
        if pending.verify_token(form.cleaned_data[CODE_FIELD]):
            pending.confirmed = True
            pending.save(update_fields=["confirmed"])
            otp_login(request, pending)
            messages.success(
                request, _("Two-step sign-in is on. Signing in will ask for a code from now on.")
            )
            return redirect("account-security")
        form.add_error(CODE_FIELD, _("That code is wrong. Check the clock of your device."))
    if action == "remove" and device is not None and form.is_valid():
        if required():
            form.add_error(None, _("Two-step sign-in is required on this site."))
        elif device.verify_token(form.cleaned_data[CODE_FIELD]):
            TOTPDevice.objects.filter(user=user).delete()
            messages.success(request, _("Two-step sign-in is off."))
            return redirect("account-security")
        else:
            form.add_error(CODE_FIELD, _("That code is wrong or has expired."))
    if action == "cancel" and pending is not None:
        pending.delete()
        return redirect("account-security")
    if request.method == "GET":
        form = CodeForm()
    context = {
        "device": device,
        "pending": pending,
        "form": form,
        "required": required(),
    }
    if pending is not None:
        context["secret"] = secret_text(pending)
        context["uri"] = pending.config_url
        context["qr"] = mark_safe(qr_svg(pending.config_url))
    return render(request, "uncounted/account_security.html", context)
