"""Import from the browser: upload, check everything, show the report, confirm, write.

Uploaded files wait in a private folder (one per upload, named by a random token held
in the uploader's session) until the user confirms or cancels; nothing reaches the store
before the confirmed import, which validates again and writes in one transaction. The
files may hold identities (``sources`` has real names and contacts): the folder is
readable by the server's user only and is removed after the import or the cancel, and
leftovers older than a day are swept.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from uncounted.errors import Problem, ValidationError
from uncounted.ingest.load import ImportResult, check, import_path
from uncounted.ingest.messages import make_problem
from uncounted.web.uploads import safe_name

ALLOWED_SUFFIXES = (".csv", ".xlsx", ".json")
MAX_AGE_SECONDS = 24 * 3600
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


@dataclass
class CheckReport:
    """What checking an upload found: problems block the import, warnings do not."""

    token: str
    files: list[str]
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)

    @property
    def clean(self) -> bool:
        return not self.problems


def upload_root() -> Path:
    root = Path(
        getattr(settings, "UPLOAD_DIR", "") or Path(tempfile.gettempdir()) / "uncounted-uploads"
    )
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    return root


def _folder(token: str) -> Path:
    if not _TOKEN.match(token):
        raise FileNotFoundError("no such upload")
    folder = upload_root() / token
    if not folder.is_dir():
        raise FileNotFoundError("no such upload")
    return folder


def sweep() -> None:
    """Remove uploads left unconfirmed for more than a day."""
    now = time.time()
    for child in upload_root().iterdir():
        if child.is_dir() and now - child.stat().st_mtime > MAX_AGE_SECONDS:
            shutil.rmtree(child, ignore_errors=True)


def save_upload(files: list[UploadedFile]) -> tuple[str, list[Problem]]:
    """Store uploaded files under a new token; problems for names that cannot be used."""
    sweep()
    token = secrets.token_urlsafe(24)
    folder = upload_root() / token
    folder.mkdir(mode=0o700)
    problems = []
    for upload in files:
        name = safe_name(upload.name or "")
        if name is None or not name.lower().endswith(ALLOWED_SUFFIXES):
            problems.append(make_problem(name or "?", None, None, None, "file_type"))
            continue
        target = folder / name
        stem, suffix = os.path.splitext(name)
        n = 1
        while target.exists():
            n += 1
            target = folder / f"{stem}-{n}{suffix}"
        if target.resolve().parent != folder.resolve():  # pragma: no cover - safe_name
            raise ValueError("upload name escapes its folder")
        # O_EXCL: never follow or overwrite anything already there.
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
    return token, problems


def check_upload(token: str, *, accept_unresolved: bool = False) -> CheckReport:
    """Validate the files of an upload against the store, writing nothing."""
    folder = _folder(token)
    report = CheckReport(token=token, files=sorted(p.name for p in folder.iterdir()))
    path = _path(folder)
    try:
        results, _ = check(path, accept_unresolved=accept_unresolved)
    except ValidationError as exc:
        report.problems = exc.problems
        return report
    for result in results:
        report.warnings += result.warnings
        report.rows[result.table.name] = report.rows.get(result.table.name, 0) + len(result.records)
    return report


def confirm_upload(token: str, *, accept_unresolved: bool = False) -> ImportResult:
    """Import a checked upload (validating again) and remove its files."""
    folder = _folder(token)
    try:
        return import_path(_path(folder), accept_unresolved=accept_unresolved)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def discard_upload(token: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        shutil.rmtree(_folder(token), ignore_errors=True)


def _path(folder: Path) -> Path:
    files = [p for p in folder.iterdir() if p.is_file()]
    return files[0] if len(files) == 1 else folder
