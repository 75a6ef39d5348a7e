"""Nothing confidential or without publication consent leaves the store in a public export,
and no identity appears in any output (checked across a simulated world of ~1,000 sources)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.store]


def _read(folder: Path, name: str) -> list[dict[str, str]]:
    with (folder / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_public_export_leaves_out_what_may_not_be_published(casebook: Path, tmp_path: Path) -> None:
    from uncounted.ingest.export import export_store
    from uncounted.ingest.load import import_path
    from uncounted.store.models import Report, Source, VictimMention

    import_path(casebook)
    out = tmp_path / "public"
    # Nothing has consent yet: a public export holds no testimony at all.
    export_store(out, public=True)
    assert not _read(out, "sources") and not _read(out, "reports")
    assert not _read(out, "victim_mentions")
    Source.objects.filter(source_id="S001").update(publication_consent=True)
    VictimMention.objects.update(publication_consent=True)
    export_store(out, public=True)
    assert [r["source_id"] for r in _read(out, "sources")] == ["S001"]
    assert all(r["real_name"] == r["contact"] == "" for r in _read(out, "sources"))
    told_by_s001 = set(
        Report.objects.filter(source__source_id="S001").values_list("report_id", flat=True)
    )
    assert {r["report_id"] for r in _read(out, "reports")} == told_by_s001
    Report.objects.filter(report_id__in=told_by_s001).update(confidential=True)
    export_store(out, public=True)
    assert not _read(out, "reports") and not _read(out, "victim_mentions")
    with pytest.raises(Exception, match="never carries identities"):
        export_store(out, public=True, with_identities=True)


def test_victim_mention_without_consent_is_withheld(casebook: Path, tmp_path: Path) -> None:
    from uncounted.ingest.export import export_store
    from uncounted.ingest.load import import_path
    from uncounted.store.models import Source, VictimMention

    import_path(casebook)
    Source.objects.update(publication_consent=True)
    VictimMention.objects.filter(mention_id="M001").update(publication_consent=True)
    export_store(tmp_path / "p", public=True)
    assert [m["mention_id"] for m in _read(tmp_path / "p", "victim_mentions")] == ["M001"]


def _texts(column: object) -> list[str]:
    return [v for v in column if isinstance(v, str) and v]  # type: ignore[attr-defined]


@pytest.mark.slow
def test_no_identity_in_any_output_of_a_simulated_world(tmp_path: Path) -> None:
    from uncounted.ingest.export import export_store
    from uncounted.ingest.load import import_path
    from uncounted.simulate import simulate_world, write_world
    from uncounted.store.models import AuditEntry, Report, Source, VictimMention

    world = simulate_world(seed=7, scale=0.26)
    assert len(world.sources) >= 1_000
    write_world(world, tmp_path / "world")
    result = import_path(tmp_path / "world", accept_unresolved=True)
    Source.objects.filter(pk__in=list(Source.objects.values_list("pk", flat=True))[::2]).update(
        publication_consent=True
    )
    VictimMention.objects.update(publication_consent=True)
    Report.objects.filter(pk__in=list(Report.objects.values_list("pk", flat=True))[::5]).update(
        confidential=True
    )
    outputs: list[str] = [str(w) for w in result.warnings]
    export_store(tmp_path / "public", public=True)
    export_store(tmp_path / "internal")  # the analysts' export, without identities
    export_store(tmp_path / "internal-xlsx", fmt="xlsx")
    for path in sorted((tmp_path / "public").iterdir()) + sorted((tmp_path / "internal").iterdir()):
        outputs.append(path.read_text(encoding="utf-8"))
    for path in sorted((tmp_path / "internal-xlsx").iterdir()):
        outputs.append(path.read_bytes().decode("latin-1"))
    outputs += [" ".join(map(str, e)) for e in AuditEntry.objects.values_list()]
    text = "\n".join(outputs)
    # Identity strings of sources; a real name that is also told as a victim's name or in a
    # narrative is testimony, not the witness's identity, so it is left out of the scan.
    told = " ".join(
        _texts(world.victim_mentions["name_as_told"]) + _texts(world.reports["narrative"])
    )
    secrets = set(_texts(world.sources["contact"]))
    secrets |= {v for v in _texts(world.sources["real_name"]) if v not in told}
    assert len(secrets) > 1_000
    found = [s for s in secrets if s in text]
    assert found == [], f"{len(found)} identity values found in outputs"
    # The scan itself works: the secret export (with identities) holds every one of them.
    export_store(tmp_path / "secret", with_identities=True)
    secret_text = (tmp_path / "secret" / "sources.csv").read_text(encoding="utf-8")
    assert all(s in secret_text for s in secrets)
