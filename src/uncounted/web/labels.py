"""Words that reach templates as values (roles, precisions, run kinds and statuses,
evidence labels) and are translated there with ``{% translate value %}``: marked here so
that ``makemessages`` collects them."""

from __future__ import annotations

from django.utils.translation import gettext_noop

TRANSLATED_VALUES = (
    # roles
    gettext_noop("admin"),
    gettext_noop("analyst"),
    gettext_noop("reviewer"),
    gettext_noop("viewer"),
    # date precisions
    gettext_noop("day"),
    gettext_noop("month"),
    gettext_noop("season"),
    gettext_noop("part_of_year"),
    gettext_noop("year"),
    gettext_noop("around"),
    gettext_noop("years"),
    gettext_noop("decade"),
    gettext_noop("unknown"),
    # runs
    gettext_noop("import"),
    gettext_noop("link"),
    gettext_noop("estimate"),
    gettext_noop("report"),
    gettext_noop("pipeline"),
    gettext_noop("running"),
    gettext_noop("done"),
    gettext_noop("failed"),
    # evidence in the review queue
    gettext_noop("for"),
    gettext_noop("against"),
    gettext_noop("neutral"),
    gettext_noop("date"),
    gettext_noop("place"),
    gettext_noop("charges"),
    gettext_noop("victims"),
    gettext_noop("method"),
    gettext_noop("site"),
    gettext_noop("source"),
    gettext_noop("victim names"),
    gettext_noop("name"),
    gettext_noop("sex"),
    gettext_noop("age"),
)
