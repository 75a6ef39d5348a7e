"""Administration: the fields marked as identifying (encrypted, shown to administrators)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from uncounted.errors import ConfigurationError
from uncounted.store.audit import current_actor
from uncounted.store.identifying import COLUMN_PREFIX, check_key, define_field, label
from uncounted.store.models import IdentifyingField
from uncounted.web.access import page
from uncounted.web.forms import IdentifyingFieldForm
from uncounted.web.parsing import lang_of
from uncounted.web.roles import Capability


def _valid_key(form: IdentifyingFieldForm) -> str | None:
    try:
        key = check_key(form.cleaned_data["key"])
    except ConfigurationError:
        form.add_error(
            "key", _("A lower-case letter first, then letters, digits or _ (at most 40).")
        )
        return None
    if IdentifyingField.objects.filter(key=key).exists():
        form.add_error("key", _("A field with this key is already defined."))
        return None
    return key


@page(Capability.VIEW_IDENTITY)
def identifying_fields(request: HttpRequest) -> HttpResponse:
    form = IdentifyingFieldForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and (key := _valid_key(form)):
        data = form.cleaned_data
        # The actor is the signed-in user (uncounted.web.actor), as in the audit log.
        define_field(key, data["label_en"], data["label_ko"], by=current_actor())
        messages.success(request, _("Identifying field %(key)s added.") % {"key": key})
        return redirect("identifying-fields")
    lang = lang_of(get_language())
    rows = [(f, label(f, lang), COLUMN_PREFIX + f.key) for f in IdentifyingField.objects.all()]
    return render(request, "uncounted/identifying_fields.html", {"rows": rows, "form": form})
