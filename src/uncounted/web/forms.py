"""Forms of the web app. Values are checked by the importer's rules in
:mod:`uncounted.web.report_edit`; these forms only carry and display them."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from uncounted.errors import Problem
from uncounted.records import vocab
from uncounted.store.models import Collection
from uncounted.web.parsing import lang_of
from uncounted.web.problem_text import problem_text
from uncounted.web.roles import Role


def _choices(vocabulary: vocab.Vocabulary, blank: bool = True) -> list[tuple[str, str]]:
    lang = lang_of(get_language())
    out = [("", "—")] if blank else []
    return out + [(t.code, t.label(lang)) for t in vocabulary.terms]


class ReportForm(forms.Form):
    """A report as told: the import columns, one field each."""

    report_id = forms.CharField(label=_("Report id"), max_length=64, required=False)
    source_id = forms.CharField(label=_("Source"), max_length=64, required=False)
    collection_id = forms.ChoiceField(label=_("Collection"), required=False)
    interview_id = forms.CharField(label=_("Interview id"), max_length=64, required=False)
    interview_date = forms.CharField(label=_("Interview date"), max_length=10, required=False)
    date_as_told = forms.CharField(label=_("Date as told"), max_length=256, required=False)
    place_as_told = forms.CharField(label=_("Place as told"), max_length=256, required=False)
    site_type = forms.ChoiceField(label=_("Site"), required=False)
    victims_as_told = forms.CharField(label=_("Victims as told"), max_length=64, required=False)
    charges = forms.CharField(label=_("Charges"), max_length=256, required=False)
    method = forms.CharField(label=_("Method"), max_length=64, required=False)
    how_known = forms.ChoiceField(label=_("How the source knows"), required=False)
    forced_attendance = forms.ChoiceField(
        label=_("Forced attendance"),
        required=False,
        choices=[("", "—"), ("yes", _("yes")), ("no", _("no"))],
    )
    violation = forms.ChoiceField(label=_("Violation"), required=False)
    reliability = forms.ChoiceField(label=_("Reliability"), required=False)
    language = forms.ChoiceField(
        label=_("Language of the account"),
        required=False,
        choices=[("", "—"), ("ko", _("Korean")), ("en", _("English"))],
    )
    narrative = forms.CharField(
        label=_("Narrative"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    accept_unresolved = forms.BooleanField(
        label=_("Keep a date or place the parser cannot read (flagged for review)"),
        required=False,
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice = self._choice
        choice("collection_id").choices = [("", "—")] + [
            (c.collection_id, f"{c.collection_id} · {c.name}")
            for c in Collection.objects.order_by("collection_id")
        ]
        choice("site_type").choices = _choices(vocab.SITE_TYPES)
        choice("how_known").choices = _choices(vocab.HOW_KNOWN)
        choice("violation").choices = _choices(vocab.VIOLATIONS)
        choice("reliability").choices = _choices(vocab.RELIABILITY)
        if editing:
            self.fields["report_id"].disabled = True
        attrs = {
            "date_as_told": {
                "hx-get": "/parse/date/",
                "hx-trigger": "input changed delay:250ms, load",
                "hx-target": "#date-reading",
                "placeholder": "2005년 3월, spring 2005, around 2008",
            },
            "place_as_told": {
                "hx-get": "/parse/place/",
                "hx-trigger": "input changed delay:250ms, load",
                "hx-target": "#place-reading",
                "list": "place-options",
                "autocomplete": "off",
                "placeholder": "혜산시, Hyesan, Hoeryŏng",
            },
            "charges": {
                "hx-get": "/autocomplete/charges/",
                "hx-trigger": "input changed delay:200ms",
                "hx-target": "#charges-options",
                "list": "charges-options",
                "autocomplete": "off",
                "placeholder": "drugs; 밀수",
            },
            "method": {
                "hx-get": "/autocomplete/method/",
                "hx-trigger": "input changed delay:200ms, focus",
                "hx-target": "#method-options",
                "list": "method-options",
                "autocomplete": "off",
            },
            "source_id": {
                "hx-get": "/autocomplete/sources/",
                "hx-trigger": "input changed delay:250ms",
                "hx-target": "#source-options",
                "list": "source-options",
                "autocomplete": "off",
            },
            "interview_date": {"placeholder": "YYYY-MM-DD"},
        }
        for name, extra in attrs.items():
            self.fields[name].widget.attrs.update(extra)

    def _choice(self, name: str) -> forms.ChoiceField:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        return field

    def add_problems(self, problems: list[Problem]) -> None:
        """Show validation problems beside the fields they concern."""
        for p in problems:
            message = _expected(p)
            if p.file.endswith("victim mentions"):
                where = _("victim %(n)s") % {"n": p.row}
                self.add_error(None, f"{where}, {p.column}: {message}")
            elif p.column in self.fields:
                self.add_error(p.column, message)
            else:
                self.add_error(None, f"{p.column or ''}: {message}" if p.column else message)


def _expected(p: Problem) -> str:
    shown = f" ({p.value})" if p.value else ""
    label = _("expected")
    return f"{label}: {problem_text(p)}{shown}"


class MentionForm(forms.Form):
    """One victim mention, inline in the report form."""

    mention_id = forms.CharField(required=False, widget=forms.HiddenInput)
    name_as_told = forms.CharField(label=_("Name as told"), max_length=256, required=False)
    sex = forms.ChoiceField(
        label=_("Sex"),
        required=False,
        choices=[("", "—"), ("f", _("female")), ("m", _("male"))],
    )
    age_as_told = forms.CharField(label=_("Age as told"), max_length=64, required=False)
    charges = forms.CharField(label=_("Charges"), max_length=256, required=False)


MentionFormSet = forms.formset_factory(MentionForm, extra=2, max_num=200)


class ImportForm(forms.Form):
    """The upload's options; the files themselves are read from ``request.FILES``."""

    accept_unresolved = forms.BooleanField(
        label=_("Keep dates and places the parsers cannot read (flagged)"), required=False
    )


class DecisionForm(forms.Form):
    kind = forms.ChoiceField(choices=[("reports", "reports"), ("mentions", "mentions")])
    left_id = forms.CharField(max_length=64)
    right_id = forms.CharField(max_length=64)
    decision = forms.ChoiceField(
        choices=[("match", _("Match")), ("no_match", _("Not a match")), ("unsure", _("Unsure"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(required=False, max_length=4000, widget=forms.Textarea({"rows": 2}))


class RunForm(forms.Form):
    kind = forms.ChoiceField(choices=[("link", _("Link")), ("estimate", _("Estimate"))])


class AccountForm(forms.Form):
    username = forms.CharField(label=_("User name"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=[(r.value, r.value) for r in Role])
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput)

    def clean_username(self) -> str:
        name: str = self.cleaned_data["username"].strip()
        if User.objects.filter(username=name).exists():
            raise forms.ValidationError(_("this user name is taken"))
        return name

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password") and data.get("username"):
            try:
                validate_password(data["password"], User(username=data["username"]))
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return data


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=[(r.value, r.value) for r in Role])
    active = forms.BooleanField(label=_("Active"), required=False)


class IdentityForm(forms.Form):
    """A source's identity; one more field per field an administrator marked identifying."""

    real_name = forms.CharField(label=_("Real name"), required=False, max_length=256)
    contact = forms.CharField(label=_("Contact"), required=False, max_length=512)
    interview_location = forms.CharField(
        label=_("Exact interview location"), required=False, max_length=512
    )

    def __init__(self, *args: Any, identifying: list[Any] | None = None, **kwargs: Any) -> None:
        from uncounted.store.identifying import COLUMN_PREFIX, MAX_VALUE_CHARS, label

        super().__init__(*args, **kwargs)
        lang = lang_of(get_language())
        for f in identifying or []:
            self.fields[COLUMN_PREFIX + f.key] = forms.CharField(
                label=label(f, lang), required=False, max_length=MAX_VALUE_CHARS
            )

    def extra_values(self) -> dict[str, str]:
        """The identifying fields' values by key (after validation)."""
        from uncounted.store.identifying import COLUMN_PREFIX

        return {
            name[len(COLUMN_PREFIX) :]: str(value).strip()
            for name, value in self.cleaned_data.items()
            if name.startswith(COLUMN_PREFIX)
        }


class IdentifyingFieldForm(forms.Form):
    """A new field to mark as identifying (an administrator's)."""

    key = forms.CharField(
        label=_("Key"),
        max_length=40,
        help_text=_(
            "Lower-case letters, digits and _; files carry it as the column identity_<key>."
        ),
    )
    label_en = forms.CharField(label=_("Label in English"), max_length=128)
    label_ko = forms.CharField(label=_("Label in Korean"), max_length=128, required=False)
