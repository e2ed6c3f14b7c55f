"""Generate press texts from our own templates, for the ingest tests and benchmarks."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

# (party, its capital, its agency) for hosts; guests are drawn from the same list.
PARTIES = [
    ("Communist Party of Vietnam", "Hanoi", "VNA"),
    ("Lao People's Revolutionary Party", "Vientiane", "KPL"),
    ("Cambodian People's Party", "Phnom Penh", "AKP"),
    ("South African Communist Party", "Johannesburg", "SAnews"),
    ("African National Congress", "Pretoria", "SAnews"),
    ("Chama Cha Mapinduzi", "Dodoma", "Daily News"),
    ("SWAPO Party", "Windhoek", "NAMPA"),
    ("Prosperity Party", "Addis Ababa", "ENA"),
    ("Workers' Party", "Brasilia", "Agencia Brasil"),
    ("Communist Party of Cuba", "Havana", "Prensa Latina"),
    ("United Russia", "Moscow", "TASS"),
    ("Pakistan Muslim League (N)", "Islamabad", "APP"),
    ("Awami League", "Dhaka", "BSS"),
    ("Mongolian People's Party", "Ulaanbaatar", "MONTSAME"),
    ("Communist Party of Nepal (Unified Marxist-Leninist)", "Kathmandu", "RSS"),
    ("MPLA", "Luanda", "ANGOP"),
    ("FRELIMO", "Maputo", "AIM"),
    ("ZANU-PF", "Harare", "New Ziana"),
]
GUESTS = ["Communist Party of China", "International Department of the CPC Central Committee"]
TOPICS = [
    "party building and governance",
    "poverty reduction",
    "cadre training",
    "youth exchanges",
    "the Global Development Initiative",
    "green development",
]
MONTHS = "January February March April May June July August September October November December"
MONTH_NAMES = MONTHS.split()


def _agency(day: date, host: tuple[str, str, str], guest: str, topic: str) -> str:
    party, city, agency = host
    return (
        f"Updated: {day.isoformat()}\n"
        f"{city.upper()}, {MONTH_NAMES[day.month - 1]} {day.day} ({agency}) -- "
        f"Leaders of the {party} met a visiting delegation of the {guest} here on "
        f"{day.strftime('%A')}. The two sides exchanged views on {topic} and agreed to "
        "keep up regular contacts between the two parties.\n"
    )


def _newspaper(day: date, host: tuple[str, str, str], guest: str, topic: str) -> str:
    party, city, _ = host
    return (
        f"Published: {day.isoformat()}\n"
        f"By a staff reporter, {city}\n\n"
        f"The {party} held talks with a delegation of the {guest} in {city} on "
        f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}. Officials said the talks "
        f"focused on {topic}.\n"
    )


def _two_meetings(day: date, host: tuple[str, str, str], guest: str, topic: str) -> str:
    party, city, agency = host
    later = day + timedelta(days=1)
    return (
        f"Updated: {later.isoformat()}\n"
        f"{city.upper()}, {MONTH_NAMES[later.month - 1]} {later.day} ({agency}) -- "
        f"A delegation of the {guest} held talks with the {party} in {city} on "
        f"{day.strftime('%A')}, {MONTH_NAMES[day.month - 1]} {day.day}, on {topic}. "
        f"On {later.strftime('%A')}, the delegation also met the {party}'s youth wing.\n"
    )


STYLES = (_agency, _newspaper, _two_meetings)


def generate(count: int, seed: int = 7) -> Iterator[dict[str, str]]:
    """Yield `count` press records (id, url, published, text); every fifth repeats an event."""
    pick = random.Random(seed)
    start = date(2022, 1, 3)
    previous: tuple[date, tuple[str, str, str], str, str] | None = None
    for number in range(count):
        if previous is not None and number % 5 == 4:
            day, host, guest, topic = previous  # the same event, told by another outlet
            style = _newspaper if number % 2 else _agency
        else:
            day = start + timedelta(days=pick.randrange(1400))
            host, guest, topic = pick.choice(PARTIES), pick.choice(GUESTS), pick.choice(TOPICS)
            style = pick.choice(STYLES)
        previous = (day, host, guest, topic)
        text = style(day, host, guest, topic)
        yield {
            "id": f"generated-{number:06d}",
            "url": f"https://news.example.org/{number:06d}",
            "published": text.split("\n", 1)[0].split(": ")[1],
            "text": text,
        }


def write_feed(path: Path, count: int, seed: int = 7) -> Path:
    """Write generated records as a JSON Lines feed."""
    with path.open("w", encoding="utf-8") as handle:
        for record in generate(count, seed):
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path
