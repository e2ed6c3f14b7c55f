"""Register the Doc attributes our components read and write."""

from __future__ import annotations

from spacy.tokens import Doc

# Each attribute holds a list (or a value) that one component assigns; see docs/extraction.md.
ATTRIBUTES: dict[str, object] = {
    "lx_reference": None,
    "lx_published": None,
    "lx_offset": 0,
    "lx_sentences": None,
    "lx_dateline": None,
    "lx_dates": None,
    "lx_actors": None,
    "lx_countries": None,
    "lx_places": None,
    "lx_people": None,
    "lx_mechanisms": None,
    "lx_triggers": None,
    "lx_claims": None,
    "lx_events": None,
    "lx_trail": None,
}


def ensure_extensions() -> None:
    """Register the liaison Doc extensions once."""
    for name, default in ATTRIBUTES.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)


def text_of(doc: Doc) -> str:
    """Return the doc's text, cached: spaCy rebuilds Doc.text from every token on each access."""
    cached = doc.user_data.get("lx_text")
    if not isinstance(cached, str):
        cached = doc.text
        doc.user_data["lx_text"] = cached
    return cached
