"""The encrypted backup file: a header, then AES-GCM chunks bound to it and to their order.

Layout: ``UNCOUNTED-BACKUP 1\\n``, one JSON header line (key id, payload kind, creation
time), then chunks of ``<4-byte length><12-byte nonce><ciphertext>``. Each chunk's
associated data is the header, its index and whether it is the last, so chunks cannot
be dropped, reordered or truncated without the restore failing. The backup key is
derived from the store's key with HKDF, so it never encrypts field values as well.
"""

from __future__ import annotations

import json
import secrets
import struct
from pathlib import Path
from typing import Any, BinaryIO

from uncounted.errors import ConfigurationError, StoreError
from uncounted.store.crypto import IdentityLockedError, Keyring

MAGIC = b"UNCOUNTED-BACKUP 1\n"
CHUNK = 4 * 1024 * 1024


def _backup_key(ring: Keyring, key_id: str) -> Any:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    key = ring.keys.get(key_id)
    if key is None:
        raise IdentityLockedError(
            f"this backup was made with key {key_id!r}, which is not in the key file "
            "(after a rotation it is in the key file's .retired-<id> copy)"
        )
    derived = HKDF(hashes.SHA256(), 32, salt=None, info=b"uncounted backup v1").derive(key)
    return AESGCM(derived)


def _aad(header: bytes, index: int, last: bool) -> bytes:
    return header + struct.pack(">Q?", index, last)


def write_encrypted(path: Path, payload: bytes, meta: dict[str, Any], ring: Keyring) -> None:
    """Write ``payload`` encrypted to ``path`` (mode 0600, via a temporary file)."""
    import os

    header = json.dumps({**meta, "key_id": ring.current}, sort_keys=True).encode() + b"\n"
    aead = _backup_key(ring, ring.current)
    tmp = path.with_name(path.name + ".part")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(MAGIC + header)
        pieces = [payload[i : i + CHUNK] for i in range(0, len(payload), CHUNK)] or [b""]
        for index, piece in enumerate(pieces):
            nonce = secrets.token_bytes(12)
            body = aead.encrypt(nonce, piece, _aad(header, index, index == len(pieces) - 1))
            out.write(struct.pack(">I", len(body)) + nonce + body)
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, path)


def read_encrypted(path: Path, ring: Keyring) -> tuple[dict[str, Any], bytes]:
    """The header and decrypted payload of the backup at ``path``; refuses any alteration."""
    from cryptography.exceptions import InvalidTag

    if not path.is_file():
        raise ConfigurationError(f"backup file {str(path)!r} not found")
    with path.open("rb") as handle:
        if handle.read(len(MAGIC)) != MAGIC:
            raise StoreError(f"{str(path)!r} is not an uncounted backup")
        header = handle.readline()
        meta = json.loads(header)
        aead = _backup_key(ring, str(meta["key_id"]))
        chunks = list(_chunks(handle))
    parts = []
    for index, (nonce, body) in enumerate(chunks):
        try:
            parts.append(aead.decrypt(nonce, body, _aad(header, index, index == len(chunks) - 1)))
        except InvalidTag as exc:
            raise StoreError(
                f"backup {str(path)!r} is damaged or was altered (chunk {index} fails its check)"
            ) from exc
    return meta, b"".join(parts)


def read_header(path: Path) -> dict[str, Any]:
    """The backup's plain header (no key needed): origin, version, time, key id."""
    if not path.is_file():
        raise ConfigurationError(f"backup file {str(path)!r} not found")
    with path.open("rb") as handle:
        if handle.read(len(MAGIC)) != MAGIC:
            raise StoreError(f"{str(path)!r} is not an uncounted backup")
        header: dict[str, Any] = json.loads(handle.readline())
    return header


def _chunks(handle: BinaryIO) -> Any:
    while size := handle.read(4):
        (length,) = struct.unpack(">I", size)
        nonce = handle.read(12)
        body = handle.read(length)
        if len(nonce) != 12 or len(body) != length:
            raise StoreError("backup file is truncated")
        yield nonce, body
