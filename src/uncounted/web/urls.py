"""Every address of the web app. The permission matrix test walks this list: a new URL
must be added there with what each role may do with it."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path, re_path
from django.views.i18n import set_language

from uncounted.web import signin
from uncounted.web.static import serve_static
from uncounted.web.views import (
    accounts,
    api,
    dashboard,
    errors,
    events,
    identifying,
    imports,
    live,
    reports,
    review,
    runs,
    security,
    testimony,
)

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("accounts/login/", signin.SignInView.as_view(), name="login"),
    path("accounts/login/code/", signin.login_code, name="login-code"),
    path("accounts/security/", security.account_security, name="account-security"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", set_language, name="set_language"),
    # testimony
    path("collections/", testimony.collection_list, name="collection-list"),
    path("collections/<str:collection_id>/", testimony.collection_detail, name="collection-detail"),
    path("sources/", testimony.source_list, name="source-list"),
    path("sources/<str:source_id>/", testimony.source_detail, name="source-detail"),
    path("sources/<str:source_id>/identity/", testimony.source_identity, name="source-identity"),
    path("interviews/", testimony.interview_list, name="interview-list"),
    path("interviews/<str:interview_id>/", testimony.interview_detail, name="interview-detail"),
    path("reports/", reports.report_list, name="report-list"),
    path("reports/new/", reports.report_new, name="report-new"),
    path("reports/mention-row/", reports.mention_row, name="mention-row"),
    path("reports/<str:report_id>/", reports.report_detail, name="report-detail"),
    path("reports/<str:report_id>/edit/", reports.report_edit, name="report-edit"),
    # live feedback for the entry form
    path("parse/date/", live.parse_date_view, name="parse-date"),
    path("parse/place/", live.parse_place_view, name="parse-place"),
    path("autocomplete/places/", live.complete_places_view, name="complete-places"),
    path("autocomplete/sources/", live.complete_sources_view, name="complete-sources"),
    path("autocomplete/<str:vocabulary>/", live.complete_terms_view, name="complete-terms"),
    # import
    path("import/", imports.import_upload, name="import"),
    path("import/<str:token>/confirm/", imports.import_confirm, name="import-confirm"),
    path("import/<str:token>/cancel/", imports.import_cancel, name="import-cancel"),
    # review, events, runs
    path("review/", review.review_queue, name="review"),
    path("review/decide/", review.review_decide, name="review-decide"),
    path("review/decisions/", review.decision_list, name="decision-list"),
    path("events/", events.event_list, name="event-list"),
    path("events/<str:event_id>/", events.event_detail, name="event-detail"),
    path("runs/", runs.run_list, name="run-list"),
    path("runs/start/", runs.run_start, name="run-start"),
    path("runs/<uuid:run_id>/", runs.run_detail, name="run-detail"),
    # administration
    path("admin/users/", accounts.user_list, name="user-list"),
    path("admin/users/<int:user_id>/", accounts.user_edit, name="user-edit"),
    path("vocabularies/", accounts.vocabularies, name="vocabularies"),
    path(
        "admin/identifying-fields/",
        identifying.identifying_fields,
        name="identifying-fields",
    ),
    # JSON API (no trailing slashes: the paths are exactly /api/reports, ...)
    path("api/", api.api_index, name="api-index"),
    path("api/reports", api.api_reports, name="api-reports"),
    path("api/reports/<str:report_id>", api.api_report, name="api-report"),
    path("api/events", api.api_events, name="api-events"),
    path("api/events/<str:event_id>", api.api_event, name="api-event"),
    path("api/runs", api.api_runs, name="api-runs"),
    path("api/runs/<str:run_id>", api.api_run, name="api-run"),
    re_path(r"^static/(?P<path>.+)$", serve_static, name="static"),
]

handler400 = errors.bad_request
handler403 = errors.forbidden
handler404 = errors.not_found
handler500 = errors.server_error
