"""Publication dates read from the head of a text: bylines, datelines, "Updated:" lines."""

from __future__ import annotations

from datetime import date

import pytest

from liaison.extract.bylines import byline_city, match_dateline, published_from_text, read_date
from liaison.extract.run import extract_text

HEADLINE = "Party delegations hold talks on rural reform\n"


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        # Keyword lines of news sites and party websites.
        ("Updated: 2022-08-30 16:45", date(2022, 8, 30)),
        ("UPDATED: 2022-08-30T16:45:00+08:00", date(2022, 8, 30)),
        ("Published on 4 March 2021", date(2021, 3, 4)),
        ("Last updated: Sept. 3, 2020, 10:02 a.m.", date(2020, 9, 3)),
        ("Posted at 10 a.m. GMT+8, Jan 9, 2023", date(2023, 1, 9)),
        ("Release date: 12 Nov 2019", date(2019, 11, 12)),
        # Segments of a byline line.
        ("Source: Xinhua | 2021-11-02 08:15:30", date(2021, 11, 2)),
        ("By Jane Okafor | Abuja | March 7, 2022", date(2022, 3, 7)),
        ("By A. Writer in Kunming | Daily Courier | Updated: 2020-12-01 07:05", date(2020, 12, 1)),
        ("Harare Herald · 14 July 2021", date(2021, 7, 14)),
        # A date line of its own, with or without a place and weekday.
        ("June 30, 2022", date(2022, 6, 30)),
        ("30 June 2022", date(2022, 6, 30)),
        ("Thursday, 30 June 2022", date(2022, 6, 30)),
        ("Monday, October 3, 2022", date(2022, 10, 3)),
        ("Lusaka, Thursday, June 30, 2022", date(2022, 6, 30)),
        ("Windhoek, 30 June 2022", date(2022, 6, 30)),
        ("2022/06/30", date(2022, 6, 30)),
        ("30.06.2022", date(2022, 6, 30)),
        ("30/06/2022", date(2022, 6, 30)),
        ("06/30/2022", date(2022, 6, 30)),
        # A statement header that ends with a date after a comma.
        ("Issued by the party's information office, 9 May 2023", date(2023, 5, 9)),
        ("Embassy of the Republic in the Kingdom, 21 August 2020", date(2020, 8, 21)),
    ],
)
def test_published_from_text_reads_byline(head: str, expected: date) -> None:
    text = f"{HEADLINE}{head}\n\nLeaders of the two parties met on Tuesday to discuss training."
    assert published_from_text(text) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("NAIROBI, Oct. 4, 2022 (Xinhua) -- Two parties met.", date(2022, 10, 4)),
        ("Addis Ababa, March 2/2023 (ENA) - The parties signed a plan.", date(2023, 3, 2)),
        ("HANOI, 3 May 2021 (VNA) – Officials met.", date(2021, 5, 3)),
        ("May 2, 2022 -- The dialogue was held.", date(2022, 5, 2)),
    ],
)
def test_published_from_text_reads_dateline_with_year(line: str, expected: date) -> None:
    assert published_from_text(f"{HEADLINE}{line}") == expected


@pytest.mark.parametrize(
    "head",
    [
        # A dateline without its year gives no publication date: the year is not guessed.
        "BEIJING, May 9 (Xinhua) -- The two sides met on Tuesday.",
        "Ulaanbaatar, August 16 (MONTSAME). The chairman received the delegation.",
        # "03/04/2022" may be March or April: never guessed.
        "03/04/2022",
        # A date inside the story's first paragraph is the event's, not the publication's.
        "On May 2, 2022, leaders of the two parties met in the capital and agreed to deepen "
        "exchanges between their youth wings, women's leagues and training schools, the "
        "statement said, adding that a further round of talks would follow.",
        # Impossible dates.
        "February 30, 2022",
        "2022-13-01",
        "",
    ],
)
def test_published_from_text_finds_no_date(head: str) -> None:
    assert published_from_text(f"{HEADLINE}{head}\n\nMore text.") is None


def test_published_from_text_stops_after_the_head() -> None:
    paragraphs = "\n".join(f"Paragraph {i} of the story has a few words." for i in range(12))
    assert published_from_text(f"{HEADLINE}{paragraphs}\nJune 30, 2022") is None


def test_read_date_rejects_a_longer_number() -> None:
    assert read_date("2022-06-305") is None
    found = read_date("the 5th of May, 2021 and more", 4)
    assert found is not None and found.value == date(2021, 5, 5)


@pytest.mark.parametrize(
    ("line", "city", "day"),
    [
        ("BEIJING, April 18 (Xinhua) -- Text.", "BEIJING", "April 18"),
        ("MOSCOW, February 18. /TASS/. Text.", "MOSCOW", "February 18"),
        ("Ulaanbaatar, August 16 (MONTSAME). Text.", "Ulaanbaatar", "August 16"),
        ("Luanda – The two parties signed a plan.", "Luanda", None),
        ("Kathmandu, June 12, 2024", "Kathmandu", "June 12, 2024"),
    ],
)
def test_match_dateline(line: str, city: str, day: str | None) -> None:
    match = match_dateline(line)
    assert match is not None
    assert match["city"] == city
    assert match["date"] == day


def test_match_dateline_rejects_a_sentence() -> None:
    assert match_dateline("The party held talks, May 3 being a holiday, in the city.") is None


def test_byline_city() -> None:
    cities = {"windhoek": "Windhoek", "dodoma": "Dodoma", "xi'an": "Xi'an"}
    assert byline_city("By Anna Shikongo | Windhoek", cities) == "Windhoek"
    assert byline_city("By Juma Mussa, Dodoma", cities) == "Dodoma"
    assert byline_city("By WANG LEI in Xi'an | China Daily", cities) == "Xi'an"
    assert byline_city("Officials from Windhoek and Dodoma met in a third city.", cities) is None


def test_text_without_a_publication_date_still_yields_its_event_undated() -> None:
    text = (
        f"{HEADLINE}HARARE, May 9 (Xinhua) -- The chairman of the Zimbabwe African National "
        "Union-Patriotic Front (ZANU-PF) met a delegation of the Communist Party of China (CPC) "
        "in Harare on Tuesday.\n"
    )
    events = extract_text(text, "undated").events
    assert [(e.type, e.date) for e in events] == [("meeting", None)]
    dated = extract_text(text, "dated", date(2024, 5, 10)).events
    assert [(e.type, e.date) for e in dated] == [("meeting", "2024-05-07")]
