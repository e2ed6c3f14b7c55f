"""Field choices shared by the ledger models, built from the domain enums."""

from enum import StrEnum


def choices(enum: type[StrEnum]) -> list[tuple[str, str]]:
    """Turn a domain enum into Django field choices."""
    return [(member.value, member.value.replace("_", " ")) for member in enum]


def normalize_name(name: str) -> str:
    """Fold a name for lookups: case, quotes, dots, spacing and a leading 'the'."""
    folded = name.casefold().replace("\u2019", "'").replace("\u2018", "'").replace(".", "")
    folded = " ".join(folded.split())
    return folded.removeprefix("the ")
