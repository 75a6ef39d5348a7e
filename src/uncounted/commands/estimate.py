"""CLI command: ``uncounted estimate FILE --method METHOD``.

Only typer is imported at module level: numpy, pandas, scipy and the estimators load inside
the command, so ``uncounted --help`` and start-up stay fast.
"""

from __future__ import annotations

from pathlib import Path

import typer

METHOD_HELP = (
    "loglinear, closedp, dga, lcmcr (capture-history files); chao2, ichao2, jackknife1, "
    "jackknife2, ice (k,count incidence files, with --units; closedp too, as Rcapture's "
    "closedp.0); or all (every method that applies to the file)."
)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command(
        "estimate",
        short_help="Estimate a total, seen and unseen, from a data file.",
    )(estimate)


def estimate(
    file: Path = typer.Argument(
        ...,
        help="CSV of capture histories (a 0/1 column per list and a count column) or of "
        "incidence frequencies (columns k,count).",
        show_default=False,
    ),
    method: str = typer.Option(..., "--method", "-m", help=METHOD_HELP, show_default=False),
    seed: int | None = typer.Option(
        None, "--seed", help="Random seed (default: drawn, and printed with the result)."
    ),
    level: float = typer.Option(0.95, "--level", help="Interval level."),
    units: int | None = typer.Option(
        None,
        "--units",
        help="T, the number of sampling units (interviewees) behind a k,count file.",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
    k_classes: int | None = typer.Option(
        None, "--K", help="lcmcr: maximum number of latent classes [default: 10]."
    ),
    burnin: int | None = typer.Option(
        None, "--burnin", help="lcmcr: burn-in sweeps [default: 10000]."
    ),
    samples: int | None = typer.Option(
        None, "--samples", help="lcmcr: posterior samples kept [default: 1000]."
    ),
    thin: int | None = typer.Option(
        None, "--thin", help="lcmcr: sweeps between kept samples [default: 100]."
    ),
    chains: int | None = typer.Option(
        None,
        "--chains",
        help="lcmcr: number of chains, run side by side on the processor's cores; each "
        "keeps --samples draws [default: 1].",
    ),
    delta: float | None = typer.Option(
        None, "--delta", help="dga: hyper-Dirichlet prior mass per cell [default: 2^-lists]."
    ),
    criterion: str | None = typer.Option(
        None,
        "--criterion",
        help="loglinear: model selection, aic, bic or stepwise [default: stepwise].",
    ),
) -> None:
    """Estimate how many items (events, victims) there were, seen or not.

    Prints a table, or with --json one JSON object per method (a list for --method all and
    for closedp, one object per model).
    """
    from uncounted.commands.estimate_run import Options, run

    options = Options(
        method=method,
        seed=seed,
        level=level,
        units=units,
        K=k_classes,
        burnin=burnin,
        samples=samples,
        thin=thin,
        chains=chains,
        delta=delta,
        criterion=criterion,
    )
    outcome = run(file, options)
    if as_json:
        from uncounted.commands.estimate_output import to_json

        typer.echo(to_json(outcome))
    else:
        from uncounted.commands.estimate_output import print_tables

        print_tables(outcome)
