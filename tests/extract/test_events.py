"""Event assembly: what counts as one concrete occurrence, and its fields."""

from __future__ import annotations

from datetime import date

import pytest

from liaison.extract.run import extract_text

PUB = date(2024, 5, 10)


def _events(text: str) -> list[dict[str, object]]:
    return [e.to_json() for e in extract_text(text, "t", PUB).events]


def test_events_single_meeting_gets_date_place_and_sides() -> None:
    events = _events(
        "LUSAKA, May 10 (Xinhua) -- Liu Jianchao, who heads the International Department of the "
        "CPC Central Committee, met with a delegation of the Socialist Party of Zambia on "
        "Wednesday."
    )
    assert len(events) == 1
    event = events[0]
    assert (event["type"], event["mode"], event["date"]) == ("meeting", "in_person", "2024-05-08")
    assert event["location"] == {"city": "Lusaka", "country": "ZMB"}
    names = [p["name"] for p in event["participants"]]  # type: ignore[union-attr]
    assert "International Department of the CPC Central Committee" in names
    assert "Socialist Party of Zambia" in names


def test_events_met_separately_gives_one_event_per_guest() -> None:
    events = _events(
        "The minister met separately on Monday with a delegation of the Communist Party of "
        "Bangladesh "
        "and a delegation of the Socialist Party of Zambia."
    )
    assert len(events) == 2
    assert events[0]["evidence"] == events[1]["evidence"]


def test_events_visits_to_two_countries_are_two_events() -> None:
    events = _events("In March, the premier paid official visits to Peru and Chile.")
    assert sorted(str(e["location"]["country"]) for e in events) == ["CHL", "PER"]  # type: ignore[index]


def test_events_video_meeting_has_no_location() -> None:
    events = _events("On Tuesday, the IDCPC held a video meeting with the SACP.")
    assert events[0]["mode"] == "video"
    assert events[0]["location"] == {"city": None, "country": None}


def test_events_phone_call_is_a_call() -> None:
    events = _events(
        "Chinese President Xi Jinping spoke with Kenyan President Ruto over the phone on Thursday."
    )
    assert [(e["type"], e["mode"]) for e in events] == [("call", "phone")]


@pytest.mark.parametrize(
    "text",
    [
        "The party did not meet any delegation from the ANC last week.",
        "The SACP will send a delegation to visit China next year.",
        "If the talks had taken place, they would have been the first.",
        "The SACP looks forward to holding a seminar with the CPC in June.",
        "Over the years, the CPC has held hundreds of briefings for foreign parties.",
        "The visit by the ANC delegation, planned for May, was postponed.",
        "The party has visited China four times.",
    ],
)
def test_events_not_from_negation_future_hypothesis_or_general(text: str) -> None:
    assert _events(text) == []


def test_events_forum_with_edition_is_a_conference_with_mechanism() -> None:
    events = _events("The SCO Political Parties Forum opened in Urumqi on Wednesday.")
    assert events[0]["type"] == "conference"
    assert events[0]["mechanism"] == "SCO Political Parties Forum"
    assert events[0]["location"] == {"city": "Urumqi", "country": "CHN"}


def test_events_recurring_forum_without_date_is_not_an_event() -> None:
    assert (
        _events("Its partners include the SCO Political Parties Forum and similar platforms.") == []
    )


def test_events_evidence_offsets_point_into_the_text() -> None:
    text = "Intro line\n\nOn Monday, the CPC and the SACP signed a memorandum of understanding."
    result = extract_text(text, "t", PUB)
    span = result.events[0].evidence
    assert text[span.start : span.end] == span.text


def test_events_pronoun_stands_for_the_leader_named_earlier_in_the_paragraph() -> None:
    events = _events(
        "When President Xi Jinping visited Chile in November 2016, he spoke of trade. He "
        "proposed new projects during his visit to Peru in the autumn of 2016."
    )
    peru = [e for e in events if e["location"]["country"] == "PER"]  # type: ignore[index]
    assert len(peru) == 1
    names = [p["name"] for p in peru[0]["participants"]]  # type: ignore[union-attr]
    assert names == ["China", "Peru"]


def test_events_pronoun_without_a_person_in_the_paragraph_adds_no_side() -> None:
    events = _events("Xi Jinping spoke on Monday.\n\nHe visited Chile in November 2016.")
    names = [p["name"] for e in events for p in e["participants"]]  # type: ignore[union-attr]
    assert "China" not in names


def test_events_two_forums_in_one_sentence_keep_their_own_bodies() -> None:
    events = _events(
        "When he attended the Boao Forum for Asia Annual Conference 2021 and the General Debate "
        "of the 75th Session of the UN General Assembly, he spoke about recovery and vaccines, "
        "respectively."
    )
    by_forum = {
        e["mechanism"]: [p["name"] for p in e["participants"]]  # type: ignore[union-attr]
        for e in events
    }
    assert len(events) == 2
    assert "Boao Forum for Asia" in by_forum["Boao Forum for Asia Annual Conference"]
    assert (
        "United Nations General Assembly" not in by_forum["Boao Forum for Asia Annual Conference"]
    )


def test_events_registry_forum_adds_its_organizer() -> None:
    events = _events("The China-CELAC Political Parties Forum was held in Brasilia on May 3.")
    assert len(events) == 1
    first = events[0]["participants"][0]  # type: ignore[index]
    assert first["name"] == "International Department of the CPC Central Committee"
    assert first["role"] == "organizer"
