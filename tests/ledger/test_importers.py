"""Importers: idempotent, all-or-nothing, with a dry run, a row-level report and an exact undo."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from liaison.domain.enums import ReviewStatus
from liaison.domain.errors import LiaisonError
from liaison.ledger import actions
from liaison.ledger.importers.common import ImportFailedError
from liaison.ledger.importers.exchanges import import_exchanges
from liaison.ledger.importers.partyfacts import import_partyfacts
from liaison.ledger.models import Actor, Exchange, ExternalId, ImportBatch
from tests.factories import make_actor, make_country, make_exchange, make_unit
from tests.ledger.test_merges import ledger_state

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def countries() -> None:
    make_country("ZAF", "South Africa")
    make_country("BRA", "Brazil", region="Americas")
    make_country("CHN", "China", region="Asia")
    make_country("DDR", "German Democratic Republic", region="Europe", kind="historical")


# --- Party Facts ---------------------------------------------------------------------------


def test_partyfacts_import_creates_parties_with_names_and_ids(data_dir: Path) -> None:
    report = import_partyfacts(data_dir / "partyfacts-sample.csv")
    assert (report.created, report.skipped, report.errors) == (5, 1, [])
    pt = ExternalId.objects.get(scheme="partyfacts", value="9003").actor
    assert pt.name == "Workers' Party" and pt.country_id == "BRA" and pt.founded == 1980
    names = set(pt.names.values_list("name", "name_type"))
    assert ("Workers Party of Brazil", "alias") in names
    assert ("Partido dos Trabalhadores", "original") in names
    assert ("PT", "abbreviation") in names
    sed = ExternalId.objects.get(scheme="partyfacts", value="9005").actor
    assert (sed.country_id, sed.dissolved) == ("DDR", 1989)


def test_partyfacts_second_run_changes_nothing(data_dir: Path) -> None:
    import_partyfacts(data_dir / "partyfacts-sample.csv")
    before = ledger_state()
    report = import_partyfacts(data_dir / "partyfacts-sample.csv")
    assert (report.created, report.updated, report.unchanged) == (0, 0, 5)
    assert report.batch_id is None and ImportBatch.objects.count() == 1
    assert ledger_state() == before


def test_partyfacts_links_existing_party_by_country_and_name(data_dir: Path) -> None:
    anc = make_actor("African National Congress", country="ZAF", key="anc")
    report = import_partyfacts(data_dir / "partyfacts-sample.csv")
    assert report.created == 4 and report.updated == 1
    assert ExternalId.objects.get(scheme="partyfacts", value="9001").actor == anc
    assert Actor.objects.filter(name="African National Congress").count() == 1


def test_partyfacts_dry_run_writes_nothing(data_dir: Path) -> None:
    before = ledger_state()
    report = import_partyfacts(data_dir / "partyfacts-sample.csv", dry_run=True)
    assert report.created == 5 and report.dry_run
    assert ledger_state() == before and ImportBatch.objects.count() == 0


def test_partyfacts_bad_rows_are_reported_and_nothing_is_written(data_dir: Path) -> None:
    with pytest.raises(ImportFailedError) as failure:
        import_partyfacts(data_dir / "partyfacts-bad.csv")
    problems = {(e.row, e.column) for e in failure.value.report.errors}
    assert problems == {(3, "country"), (4, "partyfacts_id"), (5, "year_first"), (6, "year_last")}
    assert "row 3, column 'country'" in failure.value.message
    assert Actor.objects.count() == 0 and ImportBatch.objects.count() == 0


def test_partyfacts_undo_removes_created_and_restores_changed(data_dir: Path) -> None:
    anc = make_actor("African National Congress", country="ZAF", key="anc")
    before = ledger_state()
    report = import_partyfacts(data_dir / "partyfacts-sample.csv")
    assert report.batch_id is not None
    counts = actions.undo_batch(ImportBatch.objects.get(pk=report.batch_id))
    assert counts["deleted"] > 0 and counts["restored"] == 1
    assert ledger_state() == before
    anc.refresh_from_db()
    assert anc.founded is None


def test_partyfacts_undo_refuses_when_parties_are_used_since(data_dir: Path) -> None:
    report = import_partyfacts(data_dir / "partyfacts-sample.csv")
    make_exchange(*Actor.objects.all()[:2])
    with pytest.raises(LiaisonError, match="used by records added since"):
        actions.undo_batch(ImportBatch.objects.get(pk=report.batch_id))
    assert Actor.objects.count() == 5 + 0


LATIN_1_ROWS = (
    "country,partyfacts_id,technical,name_short,name,name_english,name_other,year_first,"
    "year_last,wikipedia,description\nZAF,1,,P,Parti Démocrate,Democratic Party,,,,,\n"
)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"\x00\x01\x02binary\x00", "binary"),
        (b"country,partyfacts_id\nZAF,1\n", "missing column"),
        (LATIN_1_ROWS.encode("latin-1"), "not valid utf-8"),
    ],
    ids=["empty", "binary", "missing-columns", "latin-1"],
)
def test_partyfacts_unreadable_file_gives_clear_error(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "parties.csv"
    path.write_bytes(content)
    with pytest.raises(LiaisonError, match=f"(?i){message}"):
        import_partyfacts(path)
    assert Actor.objects.count() == 0


def test_partyfacts_reads_other_encoding_when_told(tmp_path: Path) -> None:
    path = tmp_path / "parties.csv"
    path.write_bytes(LATIN_1_ROWS.encode("latin-1"))
    import_partyfacts(path, encoding="latin-1")
    assert Actor.objects.get().names.filter(name="Parti Démocrate").exists()


def test_partyfacts_missing_file_gives_clear_error(tmp_path: Path) -> None:
    with pytest.raises(LiaisonError, match="no such file"):
        import_partyfacts(tmp_path / "nothing.csv")


# --- Exchanges -----------------------------------------------------------------------------


@pytest.fixture
def registry() -> None:
    make_actor("Communist Party of China", country="CHN", aliases=("CPC",))
    make_actor("African National Congress", country="ZAF", aliases=("ANC",))
    make_actor("Workers' Party", country="BRA", aliases=("PT",))
    make_unit("central")


@pytest.mark.usefixtures("registry")
def test_exchanges_import_records_rows(data_dir: Path) -> None:
    report = import_exchanges(data_dir / "exchanges-sample.csv")
    assert (report.created, report.errors) == (3, [])
    meeting = Exchange.objects.get(external_ref="t-1")
    assert meeting.city == "Beijing" and meeting.country_id == "CHN"
    assert set(meeting.participations.values_list("actor__name", "role")) == {
        ("Communist Party of China", "host"),
        ("African National Congress", "guest"),
    }
    assert meeting.attendances.get().person.name == "Nomvula Mokonyane"
    assert meeting.evidence.get().source.url == "https://example.org/news/1"
    assert meeting.topics == ["party building", "governance"]
    call = Exchange.objects.get(external_ref="t-2")
    assert (call.date_precision, call.visibility) == ("month", "internal")


@pytest.mark.usefixtures("registry")
def test_exchanges_second_run_changes_nothing(data_dir: Path) -> None:
    import_exchanges(data_dir / "exchanges-sample.csv")
    before = ledger_state()
    report = import_exchanges(data_dir / "exchanges-sample.csv")
    assert (report.created, report.updated, report.unchanged) == (0, 0, 3)
    assert ledger_state() == before


@pytest.mark.usefixtures("registry")
def test_exchanges_bad_rows_are_each_reported_and_nothing_is_written(data_dir: Path) -> None:
    with pytest.raises(ImportFailedError) as failure:
        import_exchanges(data_dir / "exchanges-bad.csv")
    problems = {(e.row, e.column) for e in failure.value.report.errors}
    assert problems == {
        (2, "date"),
        (3, "country"),
        (4, "participants"),
        (5, "type"),
        (6, "date"),
    }
    assert Exchange.objects.count() == 0


@pytest.mark.usefixtures("registry")
def test_exchanges_changed_row_updates_and_undo_restores(data_dir: Path, tmp_path: Path) -> None:
    import_exchanges(data_dir / "exchanges-sample.csv")
    before = ledger_state()
    changed = tmp_path / "changed.csv"
    changed.write_text(
        (data_dir / "exchanges-sample.csv")
        .read_text()
        .replace("Communist Party of China|host; ANC|guest", "ANC|host; PT|guest")
    )
    report = import_exchanges(changed)
    assert (report.updated, report.unchanged) == (1, 2)
    assert set(
        Exchange.objects.get(external_ref="t-1").participations.values_list(
            "actor__name", flat=True
        )
    ) == {"African National Congress", "Workers' Party"}
    actions.undo_batch(ImportBatch.objects.get(pk=report.batch_id))
    assert ledger_state() == before


@pytest.mark.usefixtures("registry")
def test_exchanges_dry_run_reports_without_writing(data_dir: Path) -> None:
    report = import_exchanges(data_dir / "exchanges-sample.csv", dry_run=True)
    assert report.created == 3 and Exchange.objects.count() == 0


@pytest.mark.usefixtures("registry")
def test_exchanges_rows_without_ref_are_idempotent(tmp_path: Path) -> None:
    path = tmp_path / "noref.csv"
    path.write_text("date,type,participants\n2024-01-02,meeting,ANC|host; CPC|guest\n")
    assert import_exchanges(path).created == 1
    assert import_exchanges(path).unchanged == 1
    assert Exchange.objects.count() == 1


@pytest.mark.usefixtures("registry")
def test_exchanges_ambiguous_name_is_reported(tmp_path: Path) -> None:
    make_actor("Another ANC", country="ZAF", aliases=("ANC",))
    path = tmp_path / "ambiguous.csv"
    path.write_text("date,type,participants\n2024-01-02,meeting,ANC|host\n")
    with pytest.raises(ImportFailedError, match="names 2 actors"):
        import_exchanges(path)


@pytest.mark.usefixtures("registry")
def test_exchanges_import_marks_nothing_proposed(data_dir: Path) -> None:
    import_exchanges(data_dir / "exchanges-sample.csv")
    assert set(Exchange.objects.values_list("review_status", flat=True)) == {ReviewStatus.CONFIRMED}


def test_gzip_is_not_mistaken_for_csv(tmp_path: Path) -> None:
    path = tmp_path / "parties.csv"
    path.write_bytes(gzip.compress(b"country,partyfacts_id\n"))
    with pytest.raises(LiaisonError):
        import_partyfacts(path)


SHARED_PARTYFACTS = (
    Path(__file__).resolve().parents[3] / "shared" / "reference" / "partyfacts-core-parties.csv"
)


@pytest.mark.slow
@pytest.mark.skipif(not SHARED_PARTYFACTS.exists(), reason="needs ../shared/reference (dev only)")
def test_partyfacts_full_export_loads_every_party_and_second_run_changes_nothing() -> None:
    from liaison.ledger.reference import load_countries

    load_countries(actions.SYSTEM)
    first = import_partyfacts(SHARED_PARTYFACTS)
    assert first.errors == [] and first.created + first.updated >= 5500
    assert ExternalId.objects.filter(scheme="partyfacts").count() == first.rows - first.skipped
    second = import_partyfacts(SHARED_PARTYFACTS)
    assert (second.created, second.updated, second.batch_id) == (0, 0, None)
