"""Import from the browser: upload, full validation report, confirm."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from uncounted.errors import ValidationError
from uncounted.web import imports
from uncounted.web.access import page
from uncounted.web.forms import ImportForm
from uncounted.web.roles import Capability
from uncounted.web.uploads import TOO_LARGE_ATTR, max_upload_bytes

C = Capability
_SESSION_KEY = "uncounted_uploads"


def _own(request: HttpRequest, token: str) -> dict[str, bool]:
    uploads = request.session.get(_SESSION_KEY, {})
    if token not in uploads:
        raise Http404("no such upload")
    return uploads  # type: ignore[no-any-return]


@page(C.EDIT_TESTIMONY)
def import_upload(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and getattr(request, TOO_LARGE_ATTR, False):
        limit = max_upload_bytes() / 1024**2
        form = ImportForm(data={})
        form.is_valid()
        form.add_error(
            None,
            _("The upload is larger than %(limit)s MB and was refused; nothing was saved.")
            % {"limit": f"{limit:g}"},
        )
        return render(request, "uncounted/import_form.html", {"form": form}, status=413)
    if request.method == "POST" and form.is_valid():
        files = request.FILES.getlist("files")
        if not files:
            form.add_error(None, _("Choose one or more files to import."))
        else:
            token, problems = imports.save_upload(files)
            accept = form.cleaned_data["accept_unresolved"]
            uploads = request.session.get(_SESSION_KEY, {})
            uploads[token] = accept
            request.session[_SESSION_KEY] = uploads
            report = imports.check_upload(token, accept_unresolved=accept)
            report.problems = problems + report.problems
            return render(
                request, "uncounted/import_report.html", {"report": report, "accept": accept}
            )
    return render(request, "uncounted/import_form.html", {"form": form})


@page(C.EDIT_TESTIMONY)
@require_POST
def import_confirm(request: HttpRequest, token: str) -> HttpResponse:
    uploads = _own(request, token)
    accept = bool(uploads[token])
    try:
        result = imports.confirm_upload(token, accept_unresolved=accept)
    except FileNotFoundError as exc:
        raise Http404("no such upload") from exc
    except ValidationError as exc:
        messages.error(
            request,
            _("The store changed since the check; %(n)s problem(s) found, nothing was written.")
            % {"n": len(exc.problems)},
        )
        return redirect("import")
    finally:
        uploads.pop(token, None)
        request.session[_SESSION_KEY] = uploads
    for name, c in result.counts.items():
        messages.success(
            request,
            _("%(table)s: %(new)s new, %(updated)s updated, %(same)s unchanged")
            % {"table": name, "new": c.created, "updated": c.updated, "same": c.unchanged},
        )
    return redirect("report-list")


@page(C.EDIT_TESTIMONY)
@require_POST
def import_cancel(request: HttpRequest, token: str) -> HttpResponse:
    uploads = _own(request, token)
    imports.discard_upload(token)
    uploads.pop(token, None)
    request.session[_SESSION_KEY] = uploads
    messages.info(request, _("Import cancelled; the uploaded files were removed."))
    return redirect("import")
