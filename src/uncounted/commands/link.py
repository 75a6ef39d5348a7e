"""CLI command: ``uncounted link`` links reports into events and mentions into victims.

``uncounted link DIR --out OUT`` works on files in the simulator's layout; without DIR it
links what is in the case store and saves events and victims there. Heavy libraries load
inside the command.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from uncounted.commands.options import DbOption

if TYPE_CHECKING:
    from uncounted.link.linkage import LinkSettings


def register(app: typer.Typer) -> None:
    """Add ``link`` to the app."""
    app.command(
        "link",
        short_help="Link reports into events and victim mentions into victims.",
    )(link_command)


def link_command(
    folder: Annotated[
        Path | None,
        typer.Argument(
            help="Folder in the data layout (reports.csv, victim_mentions.csv); "
            "without it, link the case store.",
            show_default=False,
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Folder to write results into (with DIR).", show_default=False),
    ] = None,
    db: DbOption = None,
    backend: Annotated[
        str, typer.Option("--backend", help="SQL engine: duckdb (default) or spark.")
    ] = "duckdb",
    threshold: Annotated[
        float | None,
        typer.Option(
            "--threshold",
            help="Mean match probability at which clusters merge, for events and victims "
            "[default: 0.3 for events, 0.98 for victims].",
            show_default=False,
        ),
    ] = None,
    replicates: Annotated[
        int, typer.Option("--replicates", help="Linkage replicates to draw as well.")
    ] = 0,
    seed: Annotated[int, typer.Option("--seed", help="Seed of sampling and replicates.")] = 1,
    evaluate: Annotated[
        Path | None,
        typer.Option(
            "--evaluate",
            help="A simulator's truth/ folder: print precision, recall and F1 against it.",
            show_default=False,
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")] = False,
) -> None:
    """Link reports into events and victim mentions into victims.

    With DIR, reads DIR/reports.csv, DIR/victim_mentions.csv (and DIR/decisions.csv, if
    present) and writes OUT/report_event.csv, OUT/mention_victim.csv, OUT/model.json,
    OUT/event_links.csv and OUT/victim_links.csv (every link with its evidence), and
    OUT/replicates/r{i}/ with --replicates. Without DIR, links the case store and saves
    events, victims and the run there.
    """
    import json
    import time

    from uncounted.errors import ConfigurationError
    from uncounted.link.linkage import link_records

    settings = _settings(backend, threshold, replicates, seed)
    started = time.perf_counter()
    if folder is not None:
        from uncounted.commands.link_run import read_folder, write_result

        if out is None:
            raise ConfigurationError("give --out OUT: the folder to write the results into")
        reports, mentions, decisions = read_folder(folder)
        result = link_records(reports, mentions, decisions=decisions, settings=settings)
        write_result(result, out)
        where = str(out)
    else:
        if out is not None or evaluate is not None:
            raise ConfigurationError("--out and --evaluate need DIR: uncounted link DIR --out OUT")
        from uncounted.link_store import link_store

        result, run_id = link_store(db, settings)
        where = f"the case store (run {run_id})"
    seconds = time.perf_counter() - started
    summary = {
        "reports": result.diagnostics["reports"],
        "events": result.diagnostics["events"],
        "mentions": result.diagnostics["mentions"],
        "victims": result.diagnostics["victims"],
        "replicates": len(result.replicates),
        "seconds": round(seconds, 2),
        "written_to": where,
    }
    scores = None
    if evaluate is not None:
        from uncounted.commands.link_run import evaluate as evaluate_result

        scores = evaluate_result(result, evaluate)
    if as_json:
        from uncounted.commands.link_run import scores_json

        payload = scores_json(scores) if scores is not None else {}
        typer.echo(json.dumps({**payload, "summary": summary}, indent=2))
        return
    typer.echo(
        f"Linked {summary['reports']:,} reports into {summary['events']:,} events and "
        f"{summary['mentions']:,} mentions into {summary['victims']:,} victims in "
        f"{seconds:.1f} s; written to {where}."
    )
    if replicates:
        typer.echo(f"{replicates} linkage replicate(s) written under replicates/.")
    if scores is not None:
        typer.echo("")
        typer.echo(
            f"{'':8}{'pairwise P':>11}{'R':>7}{'F1':>7}{'B-cubed P':>11}{'R':>7}{'F1':>7}"
            f"{'true':>8}{'predicted':>10}"
        )
        for kind, s in scores.items():
            typer.echo(
                f"{kind:8}{s.pairwise_precision:11.3f}{s.pairwise_recall:7.3f}"
                f"{s.pairwise_f1:7.3f}{s.bcubed_precision:11.3f}{s.bcubed_recall:7.3f}"
                f"{s.bcubed_f1:7.3f}{s.n_true:8,}{s.n_predicted:10,}"
            )


def _settings(backend: str, threshold: float | None, replicates: int, seed: int) -> LinkSettings:
    from uncounted.errors import ConfigurationError
    from uncounted.link.backend import BACKENDS
    from uncounted.link.linkage import LinkSettings

    if backend not in BACKENDS:
        raise ConfigurationError(f"--backend must be one of {', '.join(BACKENDS)}, got {backend!r}")
    if threshold is not None and not 0.0 < threshold < 1.0:
        raise ConfigurationError(f"--threshold must be between 0 and 1, got {threshold}")
    if replicates < 0:
        raise ConfigurationError(f"--replicates must be 0 or more, got {replicates}")
    base = LinkSettings(backend=backend, replicates=replicates, seed=seed)  # type: ignore[arg-type]
    if threshold is None:
        return base
    return LinkSettings(
        event_threshold=threshold,
        victim_threshold=threshold,
        replicates=replicates,
        seed=seed,
        backend=backend,  # type: ignore[arg-type]
    )
