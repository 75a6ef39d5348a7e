"""CLI commands: ``uncounted report`` publishes a casebook; ``uncounted rerun`` rebuilds a
published report from its ``summary.json``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from uncounted.errors import ConfigurationError
from uncounted.report.settings import ReportSettings

_DEFAULT_SENSITIVITY = ",".join(str(value) for value in ReportSettings.link_other_thresholds)


def register(app: typer.Typer) -> None:
    """Add ``report`` and ``rerun`` to the app."""
    app.command("report", help="Link, estimate and publish a casebook as report.html.")(
        report_command
    )
    app.command(
        "rerun",
        help="Rebuild a published report from its summary.json, exactly.",
        short_help="Rebuild a report exactly from its summary.json.",
    )(rerun_command)


def report_command(
    out: Annotated[Path, typer.Option("--out", help="Folder to write the report into.")],
    db: Annotated[
        str | None,
        typer.Option(
            "--db", help="Casebook: SQLite path or PostgreSQL URL [default: $UNCOUNTED_DB]."
        ),
    ] = None,
    boundaries: Annotated[
        Path | None,
        typer.Option(
            "--boundaries",
            help="GeoJSON of first-level units keyed by ISO 3166-2 code: draw a choropleth.",
        ),
    ] = None,
    claims: Annotated[
        Path | None,
        typer.Option(
            "--claims",
            help="CSV of claims to check (claim_id,source,citation,quantity,period_start,"
            "period_end,region,value,kind) [default: the packaged KINU, Amnesty, DPIC figures].",
        ),
    ] = None,
    min_cell: Annotated[
        int, typer.Option("--min-cell", help="Suppress or merge cells from fewer reports.")
    ] = 3,
    lang: Annotated[str, typer.Option("--lang", help="Language of the report: ko or en.")] = "en",
    seed: Annotated[int, typer.Option("--seed", help="Seed of every random step.")] = 1,
    linkage: Annotated[
        str,
        typer.Option(
            "--linkage",
            help="splink (link now), store (events saved in the casebook) or truth "
            "(a simulated world's truth/report_event.csv, with --truth-links).",
        ),
    ] = "splink",
    truth_links: Annotated[
        Path | None,
        typer.Option("--truth-links", help="report_event.csv of a simulated world."),
    ] = None,
    threshold: Annotated[
        float,
        typer.Option(
            "--threshold",
            help="With --linkage splink: match probability at which reports join one event "
            "(higher links less eagerly; see docs/report.md).",
        ),
    ] = ReportSettings.link_threshold,
    replicates: Annotated[
        int,
        typer.Option(
            "--replicates",
            help="With --linkage splink: redrawn linkages whose estimates the report shows "
            "beside the headline.",
        ),
    ] = ReportSettings.link_replicates,
    sensitivity_thresholds: Annotated[
        str,
        typer.Option(
            "--sensitivity-thresholds",
            help="With --linkage splink: other thresholds to cluster at for the linkage "
            "sensitivity, comma-separated ('' for none).",
        ),
    ] = _DEFAULT_SENSITIVITY,
    one_sided: Annotated[
        bool,
        typer.Option(
            "--one-sided/--no-one-sided",
            help="With --linkage splink: also estimate with the uncertain joins across "
            "collections undone, and with the uncertain lone reports joined (the two "
            "linkage errors that move the count, one at a time).",
        ),
    ] = ReportSettings.link_one_sided,
) -> None:
    """Read the casebook, link its reports into events, estimate events and people executed
    with their intervals, check published claims and write OUT/report.html (Korean or
    English), OUT/figures, OUT/tables and OUT/summary.json."""
    from rich.console import Console

    from uncounted.pipeline.publish import run_report

    settings = ReportSettings(
        min_cell=min_cell,
        lang=lang,
        seed=seed,
        linkage=linkage,
        link_threshold=threshold,
        link_replicates=replicates,
        link_other_thresholds=_thresholds(sensitivity_thresholds),
        link_one_sided=one_sided,
        truth_links=None if truth_links is None else str(truth_links.resolve()),
        boundaries=None if boundaries is None else str(boundaries.resolve()),
        claims=None if claims is None else str(claims.resolve()),
    )
    console = Console(stderr=True)
    with console.status("reading the casebook") as status:
        run = run_report(db, out, settings, progress=lambda step: status.update(step))
    _print_summary(run.summary, out)


def _thresholds(text: str) -> tuple[float, ...]:
    """``--sensitivity-thresholds``: numbers between 0 and 1 (checked by the settings)."""
    values = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        try:
            values.append(float(part))
        except ValueError:
            raise ConfigurationError(
                f"--sensitivity-thresholds takes numbers separated by commas (e.g. 0.5,0.9), "
                f"got {part!r}"
            ) from None
    return tuple(values)


def rerun_command(
    summary: Annotated[Path, typer.Argument(help="summary.json of a published report.")],
    out: Annotated[Path, typer.Option("--out", help="Folder to write the rebuilt report into.")],
) -> None:
    """Rebuild every figure and table of a report from its summary.json: the same casebook
    (checked by its hash), settings and seeds."""
    from rich.console import Console

    from uncounted.pipeline.publish import rerun

    console = Console(stderr=True)
    with console.status("reading the casebook") as status:
        run = rerun(summary, out, progress=lambda step: status.update(step))
    _print_summary(run.summary, out)


def _print_summary(summary: dict[str, object], out: Path) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"uncounted report -> {out / 'report.html'}")
    table.add_column("quantity")
    table.add_column("documented", justify="right")
    table.add_column("estimate (95 % interval)", justify="right")
    events = summary["estimate"]
    people = summary["estimate_people"]
    assert isinstance(events, dict) and isinstance(people, dict)
    table.add_row("reports", f"{summary['n_reports']:,}", "")
    for label, e in (("events", events), ("people executed", people)):
        table.add_row(
            label,
            f"{e['n_observed']:,}",
            f"{e['estimate']:,.0f} ({e['lower']:,.0f}-{e['upper']:,.0f}), {e['method']}",
        )
    Console().print(table)
