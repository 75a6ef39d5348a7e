"""Write a simulated world to disk in the layout of ``docs/data-format.md``.

CSV files are UTF-8 with a header row, written by pyarrow: every text value is quoted,
empty cells are left empty, lines end with ``\\n``. The truth goes into ``truth/``,
apart from what an importer reads.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from uncounted.errors import ConfigurationError
from uncounted.simulate.render import COLUMNS

if TYPE_CHECKING:
    from uncounted.simulate.simulation import World

RECORDED_FILES = {
    "collections": "collections.csv",
    "sources": "sources.csv",
    "reports": "reports.csv",
    "victim_mentions": "victim_mentions.csv",
}
TRUTH_FILES = {
    "truth_events": "truth/events.csv",
    "truth_victims": "truth/victims.csv",
    "report_event": "truth/report_event.csv",
    "mention_victim": "truth/mention_victim.csv",
}
WORLD_JSON = "truth/world.json"


def write_csv(frame: pd.DataFrame, path: Path, columns: tuple[str, ...]) -> None:
    """Write ``frame``'s ``columns`` (in that order) to ``path``."""
    table = pa.Table.from_pandas(frame[list(columns)], preserve_index=False)
    table = table.replace_schema_metadata(None)
    pacsv.write_csv(table, path, pacsv.WriteOptions(quoting_style="needed"))


def write_world(world: World, out_dir: str | Path) -> list[Path]:
    """Write every table of ``world`` and ``truth/world.json`` under ``out_dir``.

    Existing files of the layout are replaced; other files in ``out_dir`` are left
    alone. Returns the paths written.

    Raises
    ------
    ConfigurationError
        If ``out_dir`` exists and is not a directory, or cannot be written.
    """
    root = Path(out_dir)
    try:
        (root / "truth").mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigurationError(f"cannot create output directory {root}: {exc}") from exc
    written = []
    for attribute, name in {**RECORDED_FILES, **TRUTH_FILES}.items():
        path = root / name
        write_csv(getattr(world, attribute), path, COLUMNS[attribute])
        written.append(path)
    path = root / WORLD_JSON
    path.write_text(
        json.dumps(world.params, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
        encoding="utf-8",
    )
    written.append(path)
    return written
