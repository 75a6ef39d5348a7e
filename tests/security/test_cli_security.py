"""The key, audit, backup and restore commands, exactly as the interface names them."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from tests.ingest.casebook import SOURCE_ROWS
from tests.security.cli import run_cli

pytestmark = pytest.mark.slow  # each command is a child process that opens a store

SECRETS = [v for row in SOURCE_ROWS for v in (row["real_name"], row["contact"]) if v]


def _no_secret_in(*outputs: str) -> None:
    for text in outputs:
        for secret in SECRETS:
            assert secret not in text


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A SQLite store holding the casebook, and the key that encrypts its identities."""
    from tests.ingest.casebook import COLUMNS, TABLE_ROWS, write_csv

    work = tmp_path_factory.mktemp("cli-store")
    casebook = work / "casebook"
    casebook.mkdir()
    for name, rows in TABLE_ROWS.items():
        write_csv(casebook / f"{name}.csv", rows, COLUMNS[name])
    key = work / "key"
    made = run_cli("keys", "init", key=key, cwd=work)
    assert made.returncode == 0, made.stderr
    db = work / "cases.sqlite3"
    done = run_cli("import", str(casebook), "--db", str(db), key=key, cwd=work)
    assert done.returncode == 0, done.stderr
    _no_secret_in(made.stdout, made.stderr, done.stdout, done.stderr)
    return db, key


@pytest.fixture
def store(tmp_path: Path, pristine: tuple[Path, Path]) -> tuple[Path, Path]:
    """A private copy of the pristine store, for a test that damages it."""
    db = tmp_path / "cases.sqlite3"
    with sqlite3.connect(pristine[0]) as source, sqlite3.connect(db) as copy:
        source.backup(copy)
    return db, pristine[1]


def test_keys_init_makes_a_private_key_and_never_overwrites(tmp_path: Path) -> None:
    key = tmp_path / "key"
    assert run_cli("keys", "init", key=key, cwd=tmp_path).returncode == 0
    assert key.stat().st_mode & 0o777 == 0o600
    first = key.read_bytes()
    again = run_cli("keys", "init", key=key, cwd=tmp_path)
    assert again.returncode != 0 and "refusing to overwrite" in again.stderr
    assert key.read_bytes() == first
    unset = run_cli("keys", "init", key=None, cwd=tmp_path)
    assert unset.returncode != 0 and "UNCOUNTED_KEY_FILE" in unset.stderr


def test_audit_verify_names_the_entry_edited_in_the_database(
    tmp_path: Path, store: tuple[Path, Path]
) -> None:
    db, key = store
    ok = run_cli("audit", "verify", "--db", str(db), key=key, cwd=tmp_path)
    assert ok.returncode == 0 and "intact" in ok.stdout
    with sqlite3.connect(db) as con:
        # A program other than uncounted cannot change the record unnoticed: it is refused.
        with pytest.raises(sqlite3.OperationalError, match="uncounted_actor"):
            con.execute("UPDATE store_report SET victims_min = 99")
        con.execute("UPDATE store_auditentry SET after = before WHERE seq = 5")
    broken = run_cli("audit", "verify", "--db", str(db), key=key, cwd=tmp_path)
    assert broken.returncode != 0
    assert "audit entry 5" in broken.stderr and "edited" in broken.stderr


def test_audit_verify_names_the_entry_of_a_row_changed_without_triggers(
    tmp_path: Path, store: tuple[Path, Path]
) -> None:
    db, key = store
    with sqlite3.connect(db) as con:
        names = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='trigger'")]
        for name in names:
            con.execute(f'DROP TRIGGER "{name}"')
        con.execute("UPDATE store_report SET narrative = 'rewritten' WHERE report_id = 'R001'")
        pk = con.execute("SELECT id FROM store_report WHERE report_id = 'R001'").fetchone()[0]
        seq = con.execute(
            "SELECT MAX(seq) FROM store_auditentry WHERE \"table\" = 'store.report' AND row_key = ?",
            (str(pk),),
        ).fetchone()[0]
    broken = run_cli("audit", "verify", "--db", str(db), key=key, cwd=tmp_path)
    assert broken.returncode != 0 and f"audit entry {seq}:" in broken.stderr


def _export(db: Path | str, key: Path, out: Path, cwd: Path) -> dict[str, str]:
    done = run_cli("export", str(out), "--db", str(db), "--with-identities", key=key, cwd=cwd)
    assert done.returncode == 0, done.stderr
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(out.iterdir())}


def test_backup_and_restore_round_trip_every_row(tmp_path: Path, store: tuple[Path, Path]) -> None:
    db, key = store
    backup = tmp_path / "cases.backup"
    made = run_cli("backup", "--out", str(backup), "--db", str(db), key=key, cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert backup.stat().st_mode & 0o777 == 0o600
    raw = backup.read_bytes()
    assert not any(s.encode() in raw for s in SECRETS) and b"narrative" not in raw
    restored = tmp_path / "restored.sqlite3"
    back = run_cli("restore", str(backup), "--db", str(restored), key=key, cwd=tmp_path)
    assert back.returncode == 0, back.stderr
    original = _export(db, key, tmp_path / "a", tmp_path)
    copy = _export(restored, key, tmp_path / "b", tmp_path)
    assert copy == original and any(SECRETS[0] in text for text in copy.values())
    verify = run_cli("audit", "verify", "--db", str(restored), key=key, cwd=tmp_path)
    assert verify.returncode == 0
    # Into a store that is not empty: refused unless asked, then replaced whole.
    again = run_cli("restore", str(backup), "--db", str(restored), key=key, cwd=tmp_path)
    assert again.returncode != 0 and "not empty" in again.stderr
    forced = run_cli(
        "restore", str(backup), "--db", str(restored), "--replace", key=key, cwd=tmp_path
    )
    assert forced.returncode == 0, forced.stderr
    assert _export(restored, key, tmp_path / "c", tmp_path) == original
    _no_secret_in(made.stdout, made.stderr, back.stdout, back.stderr, forced.stdout)


def test_altered_or_keyless_backup_is_refused(tmp_path: Path, store: tuple[Path, Path]) -> None:
    db, key = store
    backup = tmp_path / "cases.backup"
    assert (
        run_cli("backup", "--out", str(backup), "--db", str(db), key=key, cwd=tmp_path).returncode
        == 0
    )
    data = bytearray(backup.read_bytes())
    data[-100] ^= 1
    bad = tmp_path / "altered.backup"
    bad.write_bytes(bytes(data))
    out = run_cli("restore", str(bad), "--db", str(tmp_path / "x.sqlite3"), key=key, cwd=tmp_path)
    assert out.returncode != 0 and "altered" in out.stderr
    other = tmp_path / "other-key"
    assert run_cli("keys", "init", key=other, cwd=tmp_path).returncode == 0
    out = run_cli(
        "restore", str(backup), "--db", str(tmp_path / "y.sqlite3"), key=other, cwd=tmp_path
    )
    assert out.returncode != 0 and "not in the key file" in out.stderr


@pytest.mark.store
def test_backup_and_restore_through_postgresql(
    tmp_path: Path, store: tuple[Path, Path], pg_database: str
) -> None:
    db, key = store
    first = tmp_path / "sqlite.backup"
    assert (
        run_cli("backup", "--out", str(first), "--db", str(db), key=key, cwd=tmp_path).returncode
        == 0
    )
    into_pg = run_cli("restore", str(first), "--db", pg_database, key=key, cwd=tmp_path)
    assert into_pg.returncode == 0, into_pg.stderr
    original = _export(db, key, tmp_path / "a", tmp_path)
    assert _export(pg_database, key, tmp_path / "b", tmp_path) == original
    # And back: a logical dump of PostgreSQL, restored into a new SQLite file.
    second = tmp_path / "pg.backup"
    made = run_cli("backup", "--out", str(second), "--db", pg_database, key=key, cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    back = tmp_path / "back.sqlite3"
    assert run_cli("restore", str(second), "--db", str(back), key=key, cwd=tmp_path).returncode == 0
    assert _export(back, key, tmp_path / "c", tmp_path) == original
    verify = run_cli("audit", "verify", "--db", pg_database, key=key, cwd=tmp_path)
    assert verify.returncode == 0, verify.stderr
