"""The import page's validation report in Korean: every kind of problem of the bad-input
corpus is translated, the English page keeps the importer's English text, and no identity
value is shown in either language."""

from __future__ import annotations

import html
import io
import re
from pathlib import Path
from typing import Any

import pytest
from tests.ingest.casebook import COLUMNS, SOURCE_ROWS, TABLE_ROWS, write_csv
from tests.ingest.test_bad_input import CASES, Breaker
from tests.web.test_i18n import PO, _po_entries

pytestmark = pytest.mark.django_db

# Two or more Latin words in a row: an English phrase left untranslated. (Latin tokens on
# their own or in a comma-separated list are codes and names: firing_squad, reports.csv.)
_ENGLISH_PHRASE = re.compile(r"[A-Za-z]{2,}(?:[ ']+[A-Za-z]{2,})+")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "casebook"
    folder.mkdir()
    for name, rows in TABLE_ROWS.items():
        write_csv(folder / f"{name}.csv", rows, COLUMNS[name])
    return folder


def _upload(client: Any, target: Path, language: str) -> Any:
    paths = sorted(p for p in target.iterdir() if p.is_file()) if target.is_dir() else [target]
    handles = []
    for path in paths:
        handle = io.BytesIO(path.read_bytes())
        handle.name = path.name
        handles.append(handle)
    return client.post("/import/", {"files": handles}, headers={"Accept-Language": language})


def _problem_cells(page: str) -> list[str]:
    """The 'expected' cell (the last) of each row of the problems table."""
    table = page.split('<table class="list problems">', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>", 1)[1], flags=re.S)
    return [html.unescape(re.findall(r"<td>(.*?)</td>", row, flags=re.S)[-1]) for row in rows]


def _untranslated(text: str, params: dict[str, Any]) -> list[str]:
    # Parameters are ids, codes, names and numbers shown as found: not prose to translate.
    for value in sorted((str(v) for v in params.values()), key=len, reverse=True):
        text = text.replace(value, " ")
    return _ENGLISH_PHRASE.findall(text)


@pytest.mark.parametrize(("case", "breaker", "expected"), CASES, ids=[c[0] for c in CASES])
def test_every_problem_of_the_corpus_is_shown_in_korean(
    clients: dict[str, Any], tmp_path: Path, case: str, breaker: Breaker, expected: str
) -> None:
    folder = _folder(tmp_path)
    if case.startswith("json_"):
        (folder / "reports.csv").unlink()
    target = breaker(folder)
    korean = _upload(clients["analyst"], target, "ko")
    report = korean.context["report"]
    assert report.problems, f"{case}: the upload should have been refused"
    page = korean.content.decode()
    cells = _problem_cells(page)
    assert len(cells) == len(report.problems)
    for problem, cell in zip(report.problems, cells, strict=True):
        assert problem.code, f"{case}: a problem without a message code: {problem.expected}"
        assert _HANGUL.search(cell), f"{case}: not in Korean: {cell}"
        left = _untranslated(cell, problem.params)
        assert not left, f"{case}: English left in the Korean text {cell!r}: {left}"
    for secret in (SOURCE_ROWS[0]["real_name"], SOURCE_ROWS[0]["contact"]):
        assert secret not in page

    # In English the page shows the importer's own text, as the command line prints it.
    english = _upload(clients["analyst"], target, "en")
    english_page = english.content.decode()
    shown = [p.expected for p in english.context["report"].problems]
    assert _problem_cells(english_page) == shown
    assert expected in html.unescape(english_page)


def test_every_message_code_has_a_korean_entry_with_the_same_parameters() -> None:
    from uncounted.ingest.messages import MESSAGES

    entries = _po_entries(PO)
    for code, english in MESSAGES.items():
        assert english in entries, f"no Korean for {code}: add it to django.po"
        korean = entries[english]
        assert _HANGUL.search(korean), code
        # A translation may leave out a parser's technical detail, never add a parameter.
        assert set(re.findall(r"%\((\w+)\)", korean)) <= set(re.findall(r"%\((\w+)\)", english))


def test_a_report_form_problem_is_shown_in_korean(clients: dict[str, Any], casebook: Any) -> None:
    from django.utils import translation

    from uncounted.ingest.messages import make_problem
    from uncounted.web.forms import _expected

    problem = make_problem("form", None, "victims_as_told", "-3", "count_negative")
    with translation.override("ko"):
        assert _expected(problem).endswith("0 이상의 수 (사람 수는 음수일 수 없음) (-3)")
    with translation.override("en"):
        assert "a count cannot be negative" in _expected(problem)


def test_a_translation_that_does_not_fit_falls_back_to_english(monkeypatch: Any) -> None:
    from uncounted.ingest.messages import make_problem
    from uncounted.web import problem_text as module

    problem = make_problem("reports.csv", 2, "report_id", "R1", "unique_id", first=3)
    monkeypatch.setattr(module, "gettext", lambda text: "행 %(nope)s")
    assert module.problem_text(problem) == "a unique id (also on row 3)"
