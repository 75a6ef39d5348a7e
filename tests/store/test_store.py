"""The case store: places mirror the gazetteer, identities live apart, decisions are canonical."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.store]


def test_places_mirror_the_gazetteer() -> None:
    from uncounted.records.places import Level, gazetteer
    from uncounted.store.models import Place

    units = gazetteer().units()
    assert Place.objects.count() == len(units)
    assert Place.objects.filter(level=str(Level.PROVINCE)).count() == 13
    for unit in units[:: max(1, len(units) // 25)]:
        row = Place.objects.get(code=unit.code)
        assert row.parent_id == unit.parent and row.name_ko == unit.name_ko


def test_sync_places_is_idempotent() -> None:
    from uncounted.store.places_sync import sync_places

    assert sync_places() == 0


def test_identity_is_a_separate_table() -> None:
    from uncounted.store.models import Collection, Source, SourceIdentity

    field_names = {f.name for f in Source._meta.get_fields()}
    assert not {"real_name", "contact"} & field_names
    c = Collection.objects.create(collection_id="C1", name="c", kind="other")
    s = Source.objects.create(source_id="S1", collection=c, pseudonym="W-1", kind="interviewee")
    SourceIdentity.objects.create(source=s, real_name="secret", contact="x")
    assert str(s) == "W-1" and "secret" not in str(SourceIdentity.objects.get(source=s))


def test_link_decision_pairs_are_unordered() -> None:
    from uncounted.store.models import LinkDecision

    d = LinkDecision.objects.create(
        kind="reports", left_id="R9", right_id="R1", decision="match", decided_by="rev"
    )
    assert (d.left_id, d.right_id) == ("R1", "R9")
    assert LinkDecision.objects.filter(left_id="R1", right_id="R9").exists()


def test_run_records_settings_and_results() -> None:
    from uncounted.store.models import Run

    run = Run.objects.create(
        kind="estimate",
        settings={"K": 10},
        seed=1,
        input_hash="ab",
        version="0.1.0",
        results={"N": 12.5},
    )
    again = Run.objects.get(run_id=run.run_id)
    assert again.settings == {"K": 10} and again.results == {"N": 12.5} and again.seed == 1


def test_database_settings_parse_paths_and_urls(tmp_path: object) -> None:
    from uncounted.errors import ConfigurationError
    from uncounted.store.database import database_settings

    pg = database_settings("postgresql://postgres@127.0.0.1:5432/test")
    assert pg["ENGINE"].endswith("postgresql") and pg["NAME"] == "test" and pg["PORT"] == 5432
    lite = database_settings("cases.sqlite3")
    assert lite["ENGINE"].endswith("sqlite3") and lite["NAME"].endswith("cases.sqlite3")
    with pytest.raises(ConfigurationError, match="unsupported"):
        database_settings("mysql://x@y/z")
    with pytest.raises(ConfigurationError, match="does not exist"):
        database_settings("/no/such/folder/x.sqlite3")
