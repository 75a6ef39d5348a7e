"""Identifying fields through the commands: defined, imported, backed up and restored,
exported back with identities, absent from public exports and from every output."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from tests.ingest.casebook import COLUMNS, SOURCE_ROWS, TABLE_ROWS, write_csv
from tests.security.cli import run_cli

pytestmark = pytest.mark.slow  # each command is a child process that opens a store

HOMETOWN = "무산군 숨은리 12번지"


def _files(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.iterdir())}


def _store(tmp_path: Path, outputs: list[str]) -> tuple[Path, Path, Callable[..., str]]:
    """A SQLite store with the field ``hometown`` defined and the casebook imported."""
    key, db = tmp_path / "key", tmp_path / "cases.sqlite3"
    casebook = tmp_path / "casebook"
    casebook.mkdir()
    for name, rows in TABLE_ROWS.items():
        write_csv(casebook / f"{name}.csv", rows, COLUMNS[name])
    sources = [dict(r) for r in SOURCE_ROWS]
    sources[0]["identity_hometown"], sources[1]["identity_hometown"] = HOMETOWN, ""
    write_csv(casebook / "sources.csv", sources, list(sources[0]))

    def cli(*args: str) -> str:
        done = run_cli(*args, key=key, cwd=tmp_path)
        outputs.extend((done.stdout, done.stderr))
        assert done.returncode == 0, done.stderr
        return done.stdout

    cli("keys", "init")
    refused = run_cli("import", str(casebook), "--db", str(db), key=key, cwd=tmp_path)
    outputs.extend((refused.stdout, refused.stderr))
    assert refused.returncode != 0 and "identity_hometown" in refused.stderr
    cli(
        "identity-fields",
        "add",
        "hometown",
        "--label-en",
        "Hometown",
        "--label-ko",
        "고향",
        "--db",
        str(db),
    )
    assert "hometown\tHometown\t고향" in cli("identity-fields", "list", "--db", str(db))
    cli("import", str(casebook), "--db", str(db))
    cli("backup", "--out", str(tmp_path / "b.backup"), "--db", str(db))
    assert HOMETOWN.encode() not in (tmp_path / "b.backup").read_bytes()
    assert HOMETOWN.encode() not in db.read_bytes()
    return db, casebook, cli


def test_define_import_backup_restore_export(tmp_path: Path) -> None:
    outputs: list[str] = []
    db, casebook, cli = _store(tmp_path, outputs)
    restored = tmp_path / "restored.sqlite3"
    cli("restore", str(tmp_path / "b.backup"), "--db", str(restored))
    cli("export", str(tmp_path / "a"), "--db", str(db), "--with-identities")
    cli("export", str(tmp_path / "b"), "--db", str(restored), "--with-identities")
    original, copy = _files(tmp_path / "a"), _files(tmp_path / "b")
    assert copy == original and HOMETOWN in copy["sources.csv"]
    assert copy["sources.csv"] == (casebook / "sources.csv").read_text(encoding="utf-8")
    cli("keys", "rotate", "--db", str(restored))
    cli("audit", "verify", "--db", str(restored))
    cli("export", str(tmp_path / "p"), "--db", str(restored), "--public")
    public = "".join(_files(tmp_path / "p").values())
    assert "identity_" not in public and HOMETOWN not in public
    assert not any(HOMETOWN in text for text in outputs)


@pytest.mark.store
def test_identifying_fields_through_postgresql(tmp_path: Path, pg_database: str) -> None:
    outputs: list[str] = []
    db, _, cli = _store(tmp_path, outputs)
    cli("restore", str(tmp_path / "b.backup"), "--db", pg_database)
    cli("export", str(tmp_path / "a"), "--db", str(db), "--with-identities")
    cli("export", str(tmp_path / "b"), "--db", pg_database, "--with-identities")
    assert _files(tmp_path / "b") == _files(tmp_path / "a")
    cli("audit", "verify", "--db", pg_database)
    assert not any(HOMETOWN in text for text in outputs)
