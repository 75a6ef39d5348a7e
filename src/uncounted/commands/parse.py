"""CLI commands: show how the records layer reads one value (date, place, name)."""

from __future__ import annotations

import json
from typing import Annotated

import typer

parse_app = typer.Typer(
    help="Show how one value as told is read (date, place or name).", no_args_is_help=True
)
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def register(app: typer.Typer) -> None:
    """Add the ``parse`` group to the app."""
    app.add_typer(parse_app, name="parse")


def _emit(payload: dict[str, object], as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(payload, ensure_ascii=False))
        return
    for key, value in payload.items():
        typer.echo(
            f"{key:>12}: {json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value}"
        )


@parse_app.command("date", help="Read a date as told into a range with a precision.")
def parse_date_command(text: str, json_out: JsonOption = False) -> None:
    from uncounted.records.dates import format_date, parse_date

    value = parse_date(text)
    payload: dict[str, object] = dict(value.to_dict())
    if not json_out:
        payload["reads as"] = format_date(value) if value.start else "(unknown)"
    if value.warning:
        payload["warning"] = value.warning
    _emit(payload, json_out)


@parse_app.command("place", help="Resolve a place as told against the gazetteer.")
def parse_place_command(text: str, json_out: JsonOption = False) -> None:
    from uncounted.records.places import resolve_place

    value = resolve_place(text)
    payload = dict(value.to_dict())
    if value.warning:
        payload["warning"] = value.warning
    _emit(payload, json_out)


@parse_app.command("name", help="Give the match keys of a Korean personal name.")
def parse_name_command(text: str, json_out: JsonOption = False) -> None:
    from uncounted.records.names import parse_name

    _emit(dict(parse_name(text).to_dict()), json_out)
