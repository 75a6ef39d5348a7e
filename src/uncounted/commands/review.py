"""CLI commands: ``uncounted review`` lists uncertain pairs; ``review decide`` records a decision.

The queue comes from the latest ``uncounted link`` run on the store (kept with the run),
without the pairs decided since. A decision binds the next ``link``: a match is a
must-link, a no-match a cannot-link.
"""

from __future__ import annotations

from typing import Annotated

import typer

from uncounted.commands.options import DbOption


def register(app: typer.Typer) -> None:
    """Add ``review`` (and ``review decide``) to the app."""
    review_app = typer.Typer(
        name="review",
        help="List uncertain links with their evidence; record decisions.",
        invoke_without_command=True,
        no_args_is_help=False,
        rich_markup_mode=None,
    )
    review_app.callback(invoke_without_command=True)(review_list)
    review_app.command("decide", help="Record a decision on two reports or two mentions.")(
        review_decide
    )
    app.add_typer(review_app, name="review", short_help="List uncertain links; record decisions.")


def review_list(
    ctx: typer.Context,
    db: DbOption = None,
    limit: Annotated[int, typer.Option("--limit", help="Pairs to list.")] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List candidate pairs in the uncertain band, most informative first, with evidence."""
    if ctx.invoked_subcommand is not None:
        return
    import json

    from uncounted.errors import ConfigurationError

    if limit < 1:
        raise ConfigurationError(f"--limit must be at least 1, got {limit}")
    from uncounted.store.connect import open_store

    open_store(db)
    from uncounted.store.models import LinkDecision, Run

    run = Run.objects.filter(kind=Run.Kind.LINK).order_by("-created_at", "-pk").first()
    if run is None:
        raise ConfigurationError("no linkage run in this store yet: run uncounted link first")
    decided = {
        (kind, a, b)
        for kind, a, b in LinkDecision.objects.values_list("kind", "left_id", "right_id")
    }
    queue = [
        row
        for row in run.results.get("review", [])
        if (row["kind"], min(row["id_l"], row["id_r"]), max(row["id_l"], row["id_r"]))
        not in decided
    ]
    # The run saved its queue most valuable first: reports that may belong to another
    # event, then the pairs nearest even odds.
    shown = queue[:limit]
    if as_json:
        typer.echo(json.dumps({"run": str(run.run_id), "pairs": shown}, indent=2, default=str))
        return
    if not shown:
        typer.echo("Nothing to review: no undecided pair in the uncertain band.")
        return
    typer.echo(f"{len(queue):,} undecided pair(s) in the uncertain band; the first {len(shown)}:")
    for row in shown:
        typer.echo(
            f"\n{row['kind']:8} {row['id_l']} ~ {row['id_r']}  "
            f"p={float(row['match_probability']):.3f}  weight={float(row['match_weight']):+.2f}"
        )
        evidence = [
            (k.removeprefix("mw_"), float(v))
            for k, v in row.items()
            if k.startswith("mw_") and v is not None
        ]
        typer.echo(
            "         " + ", ".join(f"{name} {value:+.2f}" for name, value in evidence if value)
        )
    typer.echo("\nDecide with: uncounted review decide ID1 ID2 --match | --no-match [--note TEXT]")


def review_decide(
    id1: Annotated[str, typer.Argument(help="A report or mention id.", show_default=False)],
    id2: Annotated[str, typer.Argument(help="Another of the same kind.", show_default=False)],
    match: Annotated[bool, typer.Option("--match", help="They are the same.")] = False,
    no_match: Annotated[bool, typer.Option("--no-match", help="They are not the same.")] = False,
    note: Annotated[str, typer.Option("--note", help="Why (kept with the decision).")] = "",
    by: Annotated[
        str | None,
        typer.Option("--by", help="Who decides (default: $UNCOUNTED_ACTOR or the OS user)."),
    ] = None,
    db: DbOption = None,
) -> None:
    """Record that two reports (or two mentions) are, or are not, the same.

    The next ``uncounted link`` honours it: a match always links them, a no-match never.
    """
    from uncounted.errors import ConfigurationError

    if match == no_match:
        raise ConfigurationError("give exactly one of --match and --no-match")
    if id1 == id2:
        raise ConfigurationError("give two different ids")
    from uncounted.store.connect import open_store

    open_store(db)
    from uncounted.link_store import decision_author
    from uncounted.store.models import LinkDecision, Report, VictimMention

    reports = set(
        Report.objects.filter(report_id__in=[id1, id2]).values_list("report_id", flat=True)
    )
    mentions = set(
        VictimMention.objects.filter(mention_id__in=[id1, id2]).values_list("mention_id", flat=True)
    )
    if reports == {id1, id2}:
        kind = LinkDecision.Kind.REPORTS
    elif mentions == {id1, id2}:
        kind = LinkDecision.Kind.MENTIONS
    else:
        missing = sorted({id1, id2} - (reports if reports else mentions))
        raise ConfigurationError(
            f"not two reports or two mentions of this store: {', '.join(missing) or 'mixed kinds'}"
        )
    decision = LinkDecision(
        kind=kind,
        left_id=id1,
        right_id=id2,
        decision=LinkDecision.Decision.MATCH if match else LinkDecision.Decision.NO_MATCH,
        note=note,
        decided_by=decision_author(by),
    )
    decision.save()
    verb = "the same" if match else "not the same"
    typer.echo(
        f"Recorded: {decision.left_id} and {decision.right_id} are {verb} "
        f"({kind}, by {decision.decided_by}). The next uncounted link will honour it."
    )
