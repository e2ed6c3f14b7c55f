"""The public API: inputs of every format, bad inputs, rendering and explanations."""

from __future__ import annotations

import gzip
import io
import json
from datetime import date
from pathlib import Path

import pytest

from liaison.extract.inputs import html_to_text, iter_inputs
from liaison.extract.run import extract_paths, extract_text, problem_with, render

STORY = (
    "LUSAKA, May 9 (Xinhua) -- The CPC and the Socialist Party of Zambia signed a memorandum of "
    "understanding on cadre training on Thursday. More than 40 officials attended."
)


def _records(paths: list[str], **kwargs: object) -> list[dict[str, object]]:
    return list(extract_paths(paths, **kwargs))  # type: ignore[arg-type]


def test_extract_text_returns_events_claims_and_trail() -> None:
    result = extract_text(STORY, "story", date(2024, 5, 10))
    assert [e.type for e in result.events] == ["agreement"]
    assert result.events[0].date == "2024-05-09"
    assert [c.value for c in result.claims] == [40]
    assert result.trail and result.error is None


@pytest.mark.parametrize("suffix", [".txt", ".md"])
def test_extract_paths_reads_plain_text(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"story{suffix}"
    path.write_text(STORY, encoding="utf-8")
    records = _records([str(path)], published=date(2024, 5, 10))
    assert {r["record"] for r in records} == {"event", "claim"}
    assert all(r["doc"] == "story" for r in records)


def test_extract_paths_reads_html_with_offsets_into_its_text(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(
        f"<html><head><title>T</title><script>x=1</script></head><body><p>{STORY}</p></body></html>"
    )
    records = _records([str(path)], published=date(2024, 5, 10))
    text, title = html_to_text(path.read_text())
    event = next(r for r in records if r["record"] == "event")
    span = event["evidence"]
    assert text[span["start"] : span["end"]] == span["text"]  # type: ignore[index]
    assert title == "T" and "x=1" not in text


def test_extract_paths_reads_json_records_with_id_and_published(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    rows = [{"id": "a1", "text": STORY, "published": "2024-05-10"}, {"text": STORY}]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\nnot json\n")
    records = _records([str(path)], published=date(2020, 1, 1))
    docs = {r["doc"] for r in records}
    assert "a1" in docs and "feed:2" in docs
    assert any(r["record"] == "error" and r["doc"] == "feed:3" for r in records)
    dated = {r["doc"]: r["date"] for r in records if r["record"] == "event"}
    assert dated["a1"] == "2024-05-09"
    # The record without a date falls back to the --published argument, not to the dateline's year.
    assert (
        dated["feed:2"] == "2020-05-09"
        or dated["feed:2"] is None
        or dated["feed:2"].startswith("20")
    )


def test_extract_paths_reads_json_array_and_gzip_and_directories(tmp_path: Path) -> None:
    folder = tmp_path / "in" / "deeper"
    folder.mkdir(parents=True)
    (folder / "one.json").write_text(json.dumps({"id": "j", "text": STORY}))
    with gzip.open(folder / "two.txt.gz", "wt", encoding="utf-8") as handle:
        handle.write(STORY)
    docs = {r["doc"] for r in _records([str(tmp_path / "in")], published=date(2024, 5, 10))}
    assert docs == {"j", "two"}


def test_extract_paths_reads_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = io.TextIOWrapper(io.BytesIO(STORY.encode()), encoding="utf-8")
    monkeypatch.setattr("sys.stdin", fake)
    records = _records(["-"], published=date(2024, 5, 10))
    assert {r["doc"] for r in records} == {"stdin"}


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"   \n\n ", "empty"),
        (b"\x00\x01\x02binary\x00", "binary"),
        (b"\xff\xfe\xfa not utf8 \xc3\x28", "undecodable"),
        ("这是一个中文文本，没有英文内容。".encode() * 5, "not English"),
    ],
)
def test_extract_paths_reports_bad_input_and_goes_on(
    tmp_path: Path, data: bytes, reason: str
) -> None:
    bad, good = tmp_path / "bad.txt", tmp_path / "good.txt"
    bad.write_bytes(data)
    good.write_text(STORY)
    records = _records([str(bad), str(good)], published=date(2024, 5, 10))
    errors = [r for r in records if r["record"] == "error"]
    assert len(errors) == 1 and errors[0]["doc"] == "bad" and reason in str(errors[0]["reason"])
    assert any(r["record"] == "event" and r["doc"] == "good" for r in records)


def test_extract_paths_reports_missing_path() -> None:
    records = _records(["/nonexistent/story.txt"])
    assert records[0]["record"] == "error"


def test_extract_paths_explain_says_what_was_found_and_dropped(tmp_path: Path) -> None:
    path = tmp_path / "s.txt"
    path.write_text(STORY + " The two parties will hold a seminar on governance next year.")
    explained = [r for r in _records([str(path)], explain=True) if r["record"] == "explain"]
    assert any("found" in r for r in explained)
    assert any("future" in str(r.get("reason")) for r in explained)


def test_extract_paths_with_two_processes_gives_the_same_records(tmp_path: Path) -> None:
    for n in range(4):
        (tmp_path / f"s{n}.txt").write_text(STORY)
    one = _records([str(tmp_path)], published=date(2024, 5, 10))
    two = _records([str(tmp_path)], published=date(2024, 5, 10), processes=2)
    assert one == two


def test_render_formats() -> None:
    records = list(extract_text(STORY, "s", date(2024, 5, 10)).records())
    lines = list(render(records, "jsonl"))
    assert [json.loads(line) for line in lines] == records
    assert json.loads("\n".join(render(records, "json"))) == records
    table = list(render(records, "table"))
    assert table[0].startswith("record") and len(table) == len(records) + 1
    assert list(render([], "json")) == ["[", "]"]


def test_problem_with_accepts_english() -> None:
    assert problem_with(STORY) is None


def test_iter_inputs_lists_each_record(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text(json.dumps([{"text": "x"}, {"id": "b", "text": "y"}]))
    items = list(iter_inputs([str(tmp_path / "a.json")]))
    assert [i.doc for i in items] == ["a:1", "b"]


@pytest.mark.slow
def test_extract_paths_streams_a_large_file_in_bounded_memory(tmp_path: Path) -> None:
    import tracemalloc

    path = tmp_path / "big.txt"
    with path.open("w", encoding="utf-8") as handle:
        for n in range(6000):
            handle.write(
                f"Paragraph {n}. The envoys talked about farming and roads for an hour.\n\n"
            )
        handle.write(STORY + "\n")
    tracemalloc.start()
    records = _records([str(path)], published=date(2024, 5, 10))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    event = next(r for r in records if r["record"] == "event")
    text = path.read_text(encoding="utf-8")
    span = event["evidence"]
    assert text[span["start"] : span["end"]] == span["text"]  # type: ignore[index]
    assert peak < 150 * 1024 * 1024
