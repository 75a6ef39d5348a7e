"""Administration: accounts and roles; the vocabularies in use."""

from __future__ import annotations

from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.contrib import messages
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from uncounted.records import vocab
from uncounted.web.access import page
from uncounted.web.accounts import create_user, set_role
from uncounted.web.forms import AccountForm, RoleForm
from uncounted.web.parsing import lang_of
from uncounted.web.roles import Capability, Role, role_of

C = Capability


@page(C.MANAGE_ACCOUNTS)
def user_list(request: HttpRequest) -> HttpResponse:
    form = AccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        create_user(data["username"], Role(data["role"]), data["password"])
        messages.success(request, _("Account %(name)s created.") % {"name": data["username"]})
        return redirect("user-list")
    users = [(u, role_of(u)) for u in User.objects.order_by("username")[:500]]
    return render(request, "uncounted/user_list.html", {"users": users, "form": form})


@page(C.MANAGE_ACCOUNTS)
def user_edit(request: HttpRequest, user_id: int) -> HttpResponse:
    account = get_object_or_404(User, pk=user_id)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if action == "reset_second_factor":
        TOTPDevice.objects.filter(user=account).delete()
        messages.success(
            request,
            _("Two-step sign-in of %(name)s was removed; they can set it up again.")
            % {"name": account.username},
        )
        return redirect("user-edit", user_id=account.pk)
    if action == "unlock":
        axes_reset(username=account.username)
        messages.success(
            request, _("Failed sign-ins of %(name)s were cleared.") % {"name": account.username}
        )
        return redirect("user-edit", user_id=account.pk)
    current = role_of(account) if account.is_active else None
    form = RoleForm(
        request.POST or None,
        initial={"role": current.value if current else "", "active": account.is_active},
    )
    if request.method == "POST" and form.is_valid():
        if account == request.user and not form.cleaned_data["active"]:
            form.add_error("active", _("You cannot deactivate your own account."))
        else:
            set_role(account, Role(form.cleaned_data["role"]))
            account.is_active = form.cleaned_data["active"]
            account.save(update_fields=["is_active"])
            messages.success(request, _("Account %(name)s updated.") % {"name": account.username})
            return redirect("user-list")
    context = {
        "account": account,
        "form": form,
        "second_factor": TOTPDevice.objects.filter(user=account, confirmed=True).exists(),
        "locked": AccessAttempt.objects.filter(username=account.username).exists(),
    }
    return render(request, "uncounted/user_edit.html", context)


@page(C.VIEW_FIGURES)
def vocabularies(request: HttpRequest) -> HttpResponse:
    lang = lang_of(get_language())
    tables = [
        (name, [(t.code, t.label(lang), t.huridocs or "") for t in v.terms])
        for name, v in vocab.ALL.items()
    ]
    return render(request, "uncounted/vocabularies.html", {"tables": tables})
