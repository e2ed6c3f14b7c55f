"""Ingest stores each text once, proposes what it finds, and never duplicates an exchange."""

from __future__ import annotations

import gzip
from datetime import date
from pathlib import Path

import pytest

from liaison.domain.enums import ActorKind, ReviewStatus
from liaison.ingest.documents import Document, Failure, read_documents
from liaison.ingest.run import ingest_paths
from liaison.ledger import review
from liaison.ledger.models import Actor, Claim, Evidence, Exchange, QuarantinedInput, Source
from tests.factories import make_actor

pytestmark = pytest.mark.django_db

VIETNAM_AGENCY = """Updated: 2024-03-06
HANOI, March 5 (VNA) -- Le Hoai Trung, head of the Commission for External Relations of the \
Communist Party of Vietnam Central Committee, met a delegation of the Communist Party of China \
here on Tuesday. The two sides agreed to deepen exchanges on party building.
"""
VIETNAM_PAPER = """Published: 2024-03-06
The Communist Party of Vietnam held talks with a visiting delegation of the Communist Party of \
China in Hanoi on Tuesday, March 5, 2024, state media reported.
"""
VIETNAM_THIRD = """Updated: 2024-03-07
HANOI, March 6 (Xinhua) -- A delegation of the Communist Party of China held talks with the \
Communist Party of Vietnam in Hanoi on March 5, the two parties said on Wednesday.
"""
TWO_MEETINGS = """Updated: 2024-04-11
WINDHOEK, April 10 (NAMPA) -- The SWAPO Party met a delegation of the Workers' Party of Korea \
in Windhoek on Wednesday to discuss youth exchanges. Later the same day, the SWAPO Party held a \
second, separate meeting with the Workers' Party of Korea on cadre training.
"""
UNKNOWN_PARTY = """Updated: 2024-05-21
LUSAKA, May 20 (ZNBC) -- The Patriotic Renewal Movement of Zambia met a delegation of the \
Communist Party of China in Lusaka on Monday. More than 40 party officials attended the talks.
"""


@pytest.fixture
def registry() -> dict[str, Actor]:
    """Make the registry actors that the test texts name."""
    cpc = make_actor("Communist Party of China", country="CHN", aliases=("CPC",))
    cpv = make_actor("Communist Party of Vietnam", country="VNM", aliases=("CPV",))
    commission = make_actor(
        "Commission for External Relations of the CPV Central Committee",
        kind=ActorKind.PARTY_ORGAN,
        country="VNM",
        parent=cpv,
    )
    swapo = make_actor("SWAPO Party", country="NAM")
    wpk = make_actor("Workers' Party of Korea", country="PRK")
    make_actor("Zambia", kind=ActorKind.GOVERNMENT, country="ZMB")
    return {"cpc": cpc, "cpv": cpv, "commission": commission, "swapo": swapo, "wpk": wpk}


def write(folder: Path, **texts: str) -> Path:
    """Write texts as files named after the keywords."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return folder


def ledger_rows() -> dict[str, int]:
    """Count the rows ingest writes."""
    return {
        model.__name__: model.objects.count()
        for model in (Source, Exchange, Evidence, Claim, Actor, QuarantinedInput)
    }


def test_ingest_stores_each_source_and_proposes_its_exchanges(
    registry: dict[str, Actor], tmp_path: Path
) -> None:
    report = ingest_paths([str(write(tmp_path, a=VIETNAM_AGENCY))])
    assert report.counts["documents ingested"] == 1
    exchange = Exchange.objects.get()
    assert exchange.review_status == ReviewStatus.PROPOSED
    assert str(exchange.date) == "2024-03-05"
    assert exchange.country_id == "VNM"
    actors = set(exchange.participations.values_list("actor__name", flat=True))
    assert "Communist Party of China" in actors
    evidence = exchange.evidence.get()
    assert evidence.source.doc.endswith("a.txt")
    assert evidence.source.text[evidence.start : evidence.end] == evidence.text


def test_ingest_second_run_changes_nothing_and_says_so(
    registry: dict[str, Actor], tmp_path: Path
) -> None:
    folder = write(tmp_path, a=VIETNAM_AGENCY, b=TWO_MEETINGS, c=UNKNOWN_PARTY)
    first = ingest_paths([str(folder)])
    before = ledger_rows()
    second = ingest_paths([str(folder)])
    assert first.changed and not second.changed
    assert second.counts["documents unchanged"] == 3
    assert ledger_rows() == before


def test_ingest_merges_reports_of_one_exchange_from_several_outlets(
    registry: dict[str, Actor], tmp_path: Path
) -> None:
    folder = write(tmp_path, a=VIETNAM_AGENCY, b=VIETNAM_PAPER, c=VIETNAM_THIRD)
    report = ingest_paths([str(folder)])
    assert Exchange.objects.count() == 1
    exchange = Exchange.objects.get()
    assert exchange.evidence.values("source").distinct().count() == 3
    assert report.counts["exchanges also reported"] == 2


def test_ingest_keeps_two_meetings_that_one_text_tells_apart(
    registry: dict[str, Actor], tmp_path: Path
) -> None:
    ingest_paths([str(write(tmp_path, a=TWO_MEETINGS))])
    assert Exchange.objects.filter(date="2024-04-10").count() == 2


def test_ingest_proposes_an_unknown_party_and_records_claims(
    registry: dict[str, Actor], tmp_path: Path
) -> None:
    ingest_paths([str(write(tmp_path, a=UNKNOWN_PARTY))])
    proposed = Actor.objects.get(review_status=ReviewStatus.PROPOSED)
    assert "Patriotic Renewal Movement" in proposed.name
    claim = Claim.objects.get()
    assert claim.value == 40 and claim.review_status == ReviewStatus.PROPOSED
    assert claim.evidence.get().text.startswith("More than 40")


def test_ingest_never_overwrites_a_corrected_exchange(
    registry: dict[str, Actor], tmp_path: Path
) -> None:
    ingest_paths([str(write(tmp_path / "one", a=VIETNAM_AGENCY))])
    exchange = Exchange.objects.get()
    review.correct_exchange(exchange.pk, {"city": "Ha Noi", "summary": "Checked by hand."})
    ingest_paths([str(write(tmp_path / "two", b=VIETNAM_PAPER))])
    exchange.refresh_from_db()
    assert Exchange.objects.count() == 1
    assert (exchange.city, exchange.summary) == ("Ha Noi", "Checked by hand.")
    assert exchange.review_status == ReviewStatus.CORRECTED


def test_ingest_does_not_bring_back_rejected_proposals(
    registry: dict[str, Actor], tmp_path: Path
) -> None:
    ingest_paths([str(write(tmp_path / "one", a=VIETNAM_AGENCY, c=UNKNOWN_PARTY))])
    for exchange in Exchange.objects.all():
        review.decide("exchange", exchange.pk, "reject")
    proposed = Actor.objects.get(review_status=ReviewStatus.PROPOSED)
    review.decide("actor", proposed.pk, "reject")
    again = UNKNOWN_PARTY.replace("Monday", "Monday, the party said")
    ingest_paths([str(write(tmp_path / "two", b=VIETNAM_PAPER, d=again))])
    assert (
        not Exchange.objects.exclude(review_status=ReviewStatus.REJECTED)
        .filter(participations__actor=registry["cpv"])
        .exists()
    )
    assert Actor.objects.filter(review_status=ReviewStatus.PROPOSED).count() == 0


def test_ingest_stores_a_new_text_at_a_known_url_as_a_new_version(
    registry: dict[str, Actor], tmp_path: Path
) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text(
        '{"id": "n1", "url": "https://example.org/n", "text": "First text of the story."}\n',
        encoding="utf-8",
    )
    ingest_paths([str(feed)])
    feed.write_text(
        '{"id": "n1", "url": "https://example.org/n", "text": "Second, corrected text."}\n',
        encoding="utf-8",
    )
    ingest_paths([str(feed)])
    first, second = Source.objects.order_by("version")
    assert (first.version, second.version, second.supersedes) == (1, 2, first)


def test_ingest_sets_bad_inputs_aside_and_goes_on(
    registry: dict[str, Actor], tmp_path: Path
) -> None:
    folder = write(tmp_path, good=VIETNAM_AGENCY, empty="")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02PK\x03\x04" * 100)
    (folder / "latin1.txt").write_bytes("Réunion à Hanoï".encode("latin-1"))
    (folder / "cut.txt.gz").write_bytes(gzip.compress(VIETNAM_PAPER.encode())[:40])
    (folder / "feed.jsonl").write_text('{"text": "ok"}\n{"text": \n', encoding="utf-8")
    report = ingest_paths([str(folder)])
    failed = {Path(f.doc.split(":")[0]).name for f in report.failures}
    assert failed == {"empty.txt", "binary.txt", "latin1.txt", "cut.txt.gz", "feed.jsonl"}
    assert QuarantinedInput.objects.filter(resolved_at=None).count() == 5
    assert Exchange.objects.count() == 1
    reasons = " ".join(f.reason for f in report.failures)
    assert "binary" in reasons and "UTF-8" in reasons and "JSON" in reasons


def test_read_documents_refuses_a_huge_file_without_reading_it(tmp_path: Path) -> None:
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as handle:
        handle.truncate(6 * 2**20)  # sparse: no memory or disk spent
    (item,) = read_documents([str(huge)])
    assert isinstance(item, Failure) and "too large" in item.reason


def test_read_documents_expands_globs_and_names_documents_by_path(tmp_path: Path) -> None:
    write(tmp_path / "x", story="Text one.")
    write(tmp_path / "y", story="Text two.")
    documents = list(read_documents([str(tmp_path / "*" / "*.txt")]))
    assert all(isinstance(d, Document) for d in documents)
    assert sorted(d.doc for d in documents) == [
        str(tmp_path / "x" / "story.txt"),
        str(tmp_path / "y" / "story.txt"),
    ]


def test_import_undo_removes_an_ingest_batch(registry: dict[str, Actor], tmp_path: Path) -> None:
    from liaison.ledger import actions
    from liaison.ledger.models import ImportBatch

    before = ledger_rows()
    report = ingest_paths([str(write(tmp_path, a=VIETNAM_AGENCY, c=UNKNOWN_PARTY))])
    assert report.batch_id is not None
    actions.undo_batch(ImportBatch.objects.get(pk=report.batch_id))
    assert ledger_rows() == before


def test_ingest_lists_texts_that_nothing_dates_and_records_them_with_published(
    registry: dict[str, Actor], tmp_path: Path
) -> None:
    yearless = (
        "WINDHOEK, Sept. 19 -- The SWAPO Party met a delegation of the Workers' Party of Korea "
        "in Windhoek on Thursday to discuss youth exchanges.\n"
    )
    undated = ingest_paths([str(write(tmp_path / "plain", a=yearless))])
    assert undated.counts["events without a date"] == 1
    assert [Path(doc).name for doc in undated.undated] == ["a.txt"]
    assert not Exchange.objects.exists()

    dated = ingest_paths(
        [str(write(tmp_path / "dated", b=yearless + "More news.\n"))],
        published=date(2024, 9, 20),
    )
    assert dated.undated == []
    assert Exchange.objects.get().date.year == 2024
