"""``uncounted estimate`` as a user runs it: JSON keys, tables, errors and exit codes.

Each capture-history method is tested once its estimator module exists (they are written in
parallel); until then those tests skip with the module's name.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from unittest import mock

import pytest

CLI = [sys.executable, "-m", "uncounted.cli"]
MSE = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "mse"
needs_data = pytest.mark.skipif(not MSE.is_dir(), reason=f"shared MSE data not found at {MSE}")
REQUIRED_KEYS = {
    "method",
    "n_observed",
    "estimate",
    "lower",
    "upper",
    "level",
    "warnings",
    "settings",
    "seconds",
}
CBIRD_CHAO2 = 19 + 10 / 11 * 36 / 8  # S_obs + ((T-1)/T) Q1^2 / (2 Q2), cbird, T = 11


def run_process(*args: str) -> subprocess.CompletedProcess[str]:
    """The real command in a fresh process (start-up, exit code, stdout/stderr split)."""
    env = {k: v for k, v in os.environ.items() if k != "UNCOUNTED_DB"}
    return subprocess.run(
        [*CLI, "estimate", *args], capture_output=True, text=True, env=env, timeout=600
    )


@dataclass
class Ran:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Callable[..., Ran]:
    """The command through ``uncounted.cli.main`` in this process: the same code path as the
    installed script without a new interpreter per call (the suite stays fast)."""

    def invoke(*args: str) -> Ran:
        from uncounted import cli

        capsys.readouterr()
        code: int | str | None = 0
        with mock.patch.object(sys, "argv", ["uncounted", "estimate", *args]):
            try:
                cli.main()
            except SystemExit as exc:
                code = exc.code
        captured = capsys.readouterr()
        return Ran(int(code or 0), captured.out, captured.err)

    return invoke


@pytest.fixture
def run_json(run: Callable[..., Ran]) -> Callable[..., Any]:
    def invoke(*args: str) -> Any:
        out = run(*args, "--json")
        assert out.returncode == 0, out.stderr
        return json.loads(out.stdout)

    return invoke


def needs_module(name: str) -> pytest.MarkDecorator:
    missing = importlib.util.find_spec(f"uncounted.estimate.{name}") is None
    return pytest.mark.skipif(missing, reason=f"uncounted.estimate.{name} not written yet")


@pytest.fixture
def cbird(tmp_path: Path) -> Path:
    path = tmp_path / "cbird_freq.csv"
    path.write_text("k,count\n1,6\n2,4\n3,5\n4,2\n5,0\n6,2\n", encoding="utf-8")
    return path


@pytest.fixture
def histories(tmp_path: Path) -> Path:
    path = tmp_path / "three.csv"
    path.write_text(
        "A,B,C,count\n1,0,0,120\n0,1,0,95\n0,0,1,80\n1,1,0,30\n1,0,1,25\n0,1,1,22\n1,1,1,9\n",
        encoding="utf-8",
    )
    return path


def test_chao2_json(cbird: Path, run_json: Callable[..., Any]) -> None:
    data = run_json(str(cbird), "--method", "chao2", "--units", "11")
    assert set(data) >= REQUIRED_KEYS
    assert data["method"] == "chao2" and data["n_observed"] == 19
    assert data["estimate"] == pytest.approx(CBIRD_CHAO2, rel=1e-12)
    assert data["lower"] < data["estimate"] < data["upper"]
    assert data["level"] == 0.95 and data["warnings"] == []
    assert 0 <= data["seconds"] < 5
    assert data["diagnostics"]["T"] == 11


def test_all_on_incidence_runs_the_five_unseen_estimators(
    cbird: Path, run_json: Callable[..., Any]
) -> None:
    data = run_json(str(cbird), "--method", "all", "--units", "11", "--level", "0.9")
    assert [d["method"] for d in data] == ["chao2", "ichao2", "jackknife1", "jackknife2", "ice"]
    for d in data:
        assert set(d) >= REQUIRED_KEYS
        assert d["level"] == 0.9 and d["estimate"] >= 19
    assert data[1]["estimate"] == pytest.approx(24.0, rel=1e-12)  # iChao2, see test_unseen


def test_readable_table(cbird: Path, run: Callable[..., Ran]) -> None:
    out = run(str(cbird), "--method", "all", "--units", "11")
    assert out.returncode == 0, out.stderr
    for word in ("chao2", "ichao2", "jackknife1", "jackknife2", "ice", "95% interval", "23.1"):
        assert word in out.stdout
    assert "19 items reported by 11 sampling units" in out.stdout


def test_warnings_reach_the_output_not_stderr(
    tmp_path: Path, run: Callable[..., Ran], run_json: Callable[..., Any]
) -> None:
    path = tmp_path / "q2zero.csv"
    path.write_text("k,count\n1,5\n3,2\n", encoding="utf-8")
    data = run_json(str(path), "--method", "chao2", "--units", "8")
    assert any("Q2 = 0" in w for w in data["warnings"])
    out = run(str(path), "--method", "chao2", "--units", "8")
    assert "Q2 = 0" in out.stdout and "Warning" not in out.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--method", "chao2"], "give --units T"),
        (["--method", "chao9", "--units", "11"], "unknown method 'chao9': use one of"),
        (
            ["--method", "chao2", "--units", "3"],
            "row 5, column 'k': found '4'; expected at most T = 3",
        ),
        (["--method", "lcmcr", "--units", "11"], "needs capture histories"),
        (["--method", "chao2", "--units", "11", "--K", "4"], "--K applies to lcmcr only"),
        (
            ["--method", "chao2", "--units", "11", "--level", "95"],
            "--level must be between 0 and 1",
        ),
        (["--method", "all", "--units", "11", "--burnin", "5"], "do not run on incidence files"),
    ],
)
def test_errors_exit_2_and_say_what_to_do(
    cbird: Path, args: list[str], message: str, run: Callable[..., Ran]
) -> None:
    out = run(str(cbird), *args)
    assert out.returncode == 2
    assert message in out.stderr
    assert out.stdout == ""


def test_errors_on_history_files(histories: Path, tmp_path: Path, run: Callable[..., Ran]) -> None:
    wrong = run(str(histories), "--method", "ice")
    assert wrong.returncode == 2 and "needs incidence frequencies" in wrong.stderr
    units = run(str(histories), "--method", "all", "--units", "4")
    assert units.returncode == 2 and "Leave --units out" in units.stderr
    missing = run(str(tmp_path / "nope.csv"), "--method", "chao2")
    assert missing.returncode == 2 and "file not found" in missing.stderr
    bad = tmp_path / "bad.csv"
    bad.write_text("A,B,count\n1,0,5\n1,2,3\n", encoding="utf-8")
    out = run(str(bad), "--method", "loglinear")
    assert out.returncode == 2
    assert "row 3, column 'B': found '2'; expected 0 or 1" in out.stderr


def test_real_process_prints_json_or_exits_2(cbird: Path) -> None:
    ok = run_process(str(cbird), "--method", "chao2", "--units", "11", "--json")
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["estimate"] == pytest.approx(CBIRD_CHAO2, rel=1e-12)
    bad = run_process(str(cbird), "--method", "chao2")
    assert bad.returncode == 2 and bad.stdout == ""
    assert bad.stderr.startswith("error: ") and "--units" in bad.stderr


def test_importing_the_cli_loads_no_heavy_library() -> None:
    # Start-up time: numpy, pandas and scipy must load only when a command runs.
    code = (
        "import sys, uncounted.cli; "
        "print(sorted(m for m in ('numpy', 'pandas', 'scipy', 'uncounted.estimate') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# ------------------------------------------------------------- capture-history methods


@needs_module("loglinear")
def test_loglinear(histories: Path, run_json: Callable[..., Any]) -> None:
    data = run_json(str(histories), "--method", "loglinear", "--criterion", "bic")
    assert set(data) >= REQUIRED_KEYS and data["method"] == "loglinear"
    assert data["n_observed"] == 381 and data["estimate"] > 381
    assert data["settings"]["criterion"] == "bic"


@needs_data
@needs_module("closedp")
def test_closedp_lists_rcapture_models_on_kosovo(run_json: Callable[..., Any]) -> None:
    reference = json.loads((MSE / "reference_public.json").read_text())["kosovo"]
    expected = {m["model"]: m for m in reference["rcapture_closedp"]["models"]}
    data = run_json(str(MSE / "kosovo.csv"), "--method", "closedp")
    assert isinstance(data, list)
    names = [d["model"] for d in data]
    assert names == list(expected)
    for d in data:
        assert {"model", "estimate", "stderr", "deviance", "df", "aic", "bic"} <= set(d)
        assert set(d) >= REQUIRED_KEYS
        ref = expected[d["model"]]
        # Rcapture's printed figures have 15 significant digits; two IRLS fits agree to ~1e-6.
        assert d["estimate"] == pytest.approx(ref["abundance"], rel=1e-5)
        assert d["df"] == ref["df"]


@needs_data
@needs_module("dga")
def test_dga_on_kosovo_and_list_count_check(
    run_json: Callable[..., Any], run: Callable[..., Ran]
) -> None:
    data = run_json(str(MSE / "kosovo.csv"), "--method", "dga")
    assert set(data) >= REQUIRED_KEYS and data["method"] == "dga"
    # dga's posterior median for kosovo with delta = 2^-4 is 12,595 (reference_public.json).
    assert data["estimate"] == pytest.approx(12595, rel=0.01)
    six = run(str(MSE / "UKdat.csv"), "--method", "dga")
    assert six.returncode == 2 and "3, 4 or 5 lists" in six.stderr


@needs_data
@needs_module("lcmcr")
def test_lcmcr_short_run_json_is_clean(run: Callable[..., Ran]) -> None:
    args = ["--method", "lcmcr", "--seed", "3", "--burnin", "200", "--samples", "200"]
    out = run(str(MSE / "kosovo.csv"), *args, "--thin", "2", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)  # the progress bar must never reach stdout
    assert set(data) >= REQUIRED_KEYS and data["method"] == "lcmcr"
    assert data["estimate"] > 4400 and data["lower"] < data["estimate"] < data["upper"]
    assert data["settings"]["K"] == 10 and data["settings"]["burnin"] == 200
    assert data["seed"] == 3
    again = json.loads(run(str(MSE / "kosovo.csv"), *args, "--thin", "2", "--json").stdout)
    assert again["estimate"] == data["estimate"]


@pytest.mark.slow
@needs_data
@needs_module("loglinear")
@needs_module("closedp")
@needs_module("dga")
@needs_module("lcmcr")
def test_all_on_kosovo_compares_every_capture_method(run_json: Callable[..., Any]) -> None:
    data = run_json(str(MSE / "kosovo.csv"), "--method", "all", "--seed", "1")
    assert [d["method"] for d in data] == ["loglinear", "closedp", "dga", "lcmcr"]
    for d in data:
        assert set(d) >= REQUIRED_KEYS
        assert d.get("error") is None, d.get("error")
        assert d["estimate"] > 4400
    assert "models" in data[1]


def test_closedp_says_a_model_is_unbounded(tmp_path: Path, run: Callable[..., Ran]) -> None:
    # On this table Mbh's abundance has no upper bound (tests/estimate/test_closedp.py):
    # the table says so in words, the JSON has null, and every other model is shown.
    path = tmp_path / "mbh.csv"
    path.write_text(
        "A,B,C,count\n1,0,0,132\n0,1,0,113\n1,1,0,38\n0,0,1,154\n1,0,1,65\n0,1,1,41\n1,1,1,18\n",
        encoding="utf-8",
    )
    out = run(str(path), "--method", "closedp")
    assert out.returncode == 0, out.stderr
    (row,) = [line for line in out.stdout.splitlines() if line.lstrip("│┃ ").startswith("Mbh ")]
    assert "unbounded" in row
    models = {
        m["model"]: m for m in json.loads(run(str(path), "--method", "closedp", "--json").stdout)
    }
    assert models["Mbh"]["estimate"] is None
    assert all(m["estimate"] is not None for name, m in models.items() if name != "Mbh")
