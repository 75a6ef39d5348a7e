"""Authenticated encryption of identifying fields, with a key kept outside the database.

The key file (``$UNCOUNTED_KEY_FILE``, mode 0600) holds a small keyring in JSON: the id of
the current key and the 256-bit AES keys by id. Each stored value is a token
``uc1$<key id>$<base64(nonce + AES-GCM ciphertext)>``; the field's name is bound in as
associated data, so a token cannot be moved to another field unnoticed. Without a key
file the store still opens: encrypted values read as :class:`LockedText`, and writing an
identifying value is refused.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from uncounted.errors import ConfigurationError

KEY_ENV = "UNCOUNTED_KEY_FILE"
TOKEN_PREFIX = "uc1$"
LOCKED_DISPLAY = "[locked]"
_NONCE = 12


class IdentityLockedError(ConfigurationError):
    """An identifying value must be written or read, and no key is available."""


class LockedText(str):
    """An encrypted value read without the key: shows as ``[locked]``, keeps its token.

    Saving a row that holds a :class:`LockedText` writes the token back unchanged, so a
    user without the key can edit other fields without destroying the identity.
    """

    token: str

    def __new__(cls, token: str) -> LockedText:
        obj = super().__new__(cls, LOCKED_DISPLAY)
        obj.token = token
        return obj


class Sealed(str):
    """A value already encrypted (a token): written as is, never encrypted twice."""


@dataclass(frozen=True)
class Keyring:
    """The keys read from the key file: ``current`` encrypts, any listed key decrypts."""

    current: str
    keys: dict[str, bytes]
    _ciphers: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def _cipher(self, key_id: str) -> Any:  # an AESGCM, imported lazily
        cipher = self._ciphers.get(key_id)
        if cipher is None:
            from cryptography.hazmat.primitives.ciphers.aead import AESGCM

            cipher = self._ciphers[key_id] = AESGCM(self.keys[key_id])
        return cipher

    def seal(self, plaintext: str, purpose: str) -> Sealed:
        nonce = secrets.token_bytes(_NONCE)
        body = self._cipher(self.current).encrypt(
            nonce, plaintext.encode("utf-8"), purpose.encode()
        )
        text = base64.urlsafe_b64encode(nonce + body).decode("ascii")
        return Sealed(f"{TOKEN_PREFIX}{self.current}${text}")

    def open(self, token: str, purpose: str) -> str:
        from cryptography.exceptions import InvalidTag

        key_id, text = _split(token)
        if key_id not in self.keys:
            raise IdentityLockedError(
                f"a stored value is encrypted with key {key_id!r}, which is not in the key file"
            )
        raw = base64.urlsafe_b64decode(text)
        try:
            plain = self._cipher(key_id).decrypt(raw[:_NONCE], raw[_NONCE:], purpose.encode())
        except InvalidTag as exc:
            # Never show the value: only that it failed its integrity check.
            raise IdentityLockedError(
                f"an encrypted {purpose} value failed its integrity check (altered or moved)"
            ) from exc
        return str(plain.decode("utf-8"))

    def to_json(self) -> str:
        keys = {k: base64.b64encode(v).decode("ascii") for k, v in self.keys.items()}
        return json.dumps({"version": 1, "current": self.current, "keys": keys}, indent=1)


def is_token(value: str) -> bool:
    return value.startswith(TOKEN_PREFIX)


def _split(token: str) -> tuple[str, str]:
    parts = token.split("$", 2)
    if len(parts) != 3 or parts[0] + "$" != TOKEN_PREFIX:
        raise IdentityLockedError("a stored encrypted value is malformed")
    return parts[1], parts[2]


def new_key_id() -> str:
    return secrets.token_hex(4)


def new_keyring() -> Keyring:
    kid = new_key_id()
    return Keyring(kid, {kid: secrets.token_bytes(32)})


def key_path() -> Path | None:
    """Where the key file is, from ``$UNCOUNTED_KEY_FILE``; None when unset."""
    value = os.environ.get(KEY_ENV, "").strip()
    return Path(value).expanduser() if value else None


_cache: dict[tuple[str, int, int], Keyring] = {}


def load_keyring(path: Path | None = None) -> Keyring | None:
    """The keyring in the key file, or None when no key file is configured or present."""
    path = path or key_path()
    if path is None or not path.exists():
        return None
    info = path.stat()
    cache_key = (str(path), info.st_mtime_ns, info.st_size)
    cached = _cache.get(cache_key)
    if cached is not None:
        return cached
    if info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ConfigurationError(
            f"key file {str(path)!r} can be read by other users; run: chmod 600 {path}"
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        keys = {k: base64.b64decode(v) for k, v in data["keys"].items()}
        ring = Keyring(str(data["current"]), keys)
    except (ValueError, KeyError, TypeError) as exc:
        raise ConfigurationError(f"key file {str(path)!r} is not an uncounted key file") from exc
    if ring.current not in keys or any(len(k) != 32 for k in keys.values()):
        raise ConfigurationError(f"key file {str(path)!r} is damaged (bad key length or id)")
    _cache.clear()
    _cache[cache_key] = ring
    return ring


def require_keyring() -> Keyring:
    ring = load_keyring()
    if ring is None:
        where = key_path()
        raise IdentityLockedError(
            "identifying fields are encrypted and no key is available"
            + (f" (no file at {str(where)!r})" if where else f" (${KEY_ENV} is not set)")
            + f"; set ${KEY_ENV} to the key file, or create one with `uncounted keys init`"
        )
    return ring


def write_key_file(path: Path, ring: Keyring, *, replace: bool = False) -> None:
    """Write ``ring`` to ``path`` with mode 0600, atomically; never overwrite unless asked."""
    if not path.parent.is_dir():
        raise ConfigurationError(f"folder {str(path.parent)!r} does not exist; create it first")
    if path.exists() and not replace:
        raise ConfigurationError(
            f"a key file already exists at {str(path)!r}; refusing to overwrite it "
            "(data encrypted with it would be lost)"
        )
    tmp = path.with_name(path.name + f".tmp{os.getpid()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(ring.to_json())
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    _cache.clear()


def seal_value(value: str, purpose: str) -> str:
    """Encrypt ``value`` for storage (empty stays empty: nothing to hide)."""
    if isinstance(value, LockedText):
        return value.token
    if isinstance(value, Sealed) or value == "":
        return str(value)
    if value == LOCKED_DISPLAY:
        # A form shown without the key sent its placeholder back: never store it as a value.
        raise IdentityLockedError("the identity was shown locked; it cannot be saved as text")
    return str(require_keyring().seal(value, purpose))


def open_value(stored: str, purpose: str) -> str:
    """The plaintext of a stored value, or :class:`LockedText` when no key is available."""
    if not stored or not is_token(stored):
        return stored
    ring = load_keyring()
    if ring is None:
        return LockedText(stored)
    return ring.open(stored, purpose)
