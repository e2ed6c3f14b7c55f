"""Trigger words and their exchange types."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from spacy.tokens import Doc


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("The minister met with the visitors.", "meeting"),
        ("The two leaders held talks in Hanoi.", "meeting"),
        ("She paid an official visit to Peru.", "visit"),
        ("He sent a congratulatory message to the party.", "correspondence"),
        ("They signed a memorandum of understanding.", "agreement"),
        ("The embassy handed over rice to the ministry.", "assistance"),
        ("The presidents spoke over the phone.", "call"),
        ("A seminar on rural reform opened.", "conference"),
    ],
)
def test_triggers_type_the_exchange(run: Callable[..., Doc], text: str, kind: str) -> None:
    assert kind in {t.type for t in run(text)._.lx_triggers}
