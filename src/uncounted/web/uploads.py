"""Upload limits and safe names for the files of an import.

``LimitedUploadHandler`` comes first among Django's upload handlers: it counts the bytes
of the request body as they arrive and stops reading files once the total passes
``UNCOUNTED_MAX_UPLOAD_BYTES`` (the rest of the body is read and dropped, never
written), marking the request so that the view can say why nothing was imported.

``safe_name`` turns a file name sent by a browser into one that can only name a file
directly inside the upload folder.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload

TOO_LARGE_ATTR = "uncounted_upload_too_large"
_UNSAFE = re.compile(r"[^\w.\- ]+")
MAX_NAME = 120


def max_upload_bytes() -> int:
    return int(getattr(settings, "UNCOUNTED_MAX_UPLOAD_BYTES", 20 * 1024 * 1024))


class LimitedUploadHandler(FileUploadHandler):
    """Refuse a multipart body whose files together exceed the upload limit."""

    def __init__(self, request: Any = None) -> None:
        super().__init__(request)
        self.received = 0
        self.over = False

    def handle_raw_input(
        self,
        input_data: Any,
        META: Any,
        content_length: int,
        boundary: Any,
        encoding: str | None = None,
    ) -> None:
        # Raising here would escape Django's parser; refuse at the first file instead.
        self.over = content_length > max_upload_bytes() + 64 * 1024
        return None

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        if self.over:
            self._refuse()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > max_upload_bytes():
            self._refuse()
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None

    def _refuse(self) -> None:
        if self.request is not None:
            setattr(self.request, TOO_LARGE_ATTR, True)
        raise StopUpload(connection_reset=False)


def safe_name(raw: str) -> str | None:
    """A plain file name for ``raw``, or None when nothing usable is left.

    Directory parts (either slash), NUL and control characters, bidirectional and other
    format characters are removed; the rest is NFC-normalised, limited to letters,
    digits, ``.``, ``-``, ``_`` and spaces, and may not start with a dot.
    """
    name = raw.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = unicodedata.normalize("NFC", name)
    name = _UNSAFE.sub("_", name).strip(" .")
    if not name:
        return None
    if len(name) > MAX_NAME:
        stem, dot, suffix = name.rpartition(".")
        name = (stem[: MAX_NAME - len(suffix) - 1] + dot + suffix) if dot else name[:MAX_NAME]
    return name
