"""Named forums and dialogues."""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Doc


def test_mechanisms_find_registry_forum_with_edition_year(run: Callable[..., Doc]) -> None:
    doc = run("Leaders attended the Boao Forum for Asia Annual Conference 2019 in March.")
    mention = doc._.lx_mechanisms[0]
    assert mention.key == "bfa_annual"
    assert mention.text.endswith("2019")


def test_mechanisms_find_unknown_forum_by_shape(run: Callable[..., Doc]) -> None:
    doc = run("The first Andes-Amazon Political Parties Forum opened in Quito on Monday.")
    assert [m.name for m in doc._.lx_mechanisms] == ["Andes-Amazon Political Parties Forum"]


def test_mechanisms_tell_bilateral_series(run: Callable[..., Doc]) -> None:
    doc = run(
        "They held the Dialogue Mechanism between the Communist Party of China and United Russia."
    )
    assert doc._.lx_mechanisms[0].bilateral


def test_mechanisms_skip_press_conferences(run: Callable[..., Doc]) -> None:
    doc = run("The spokesman spoke at the Regular Press Conference on Monday.")
    assert doc._.lx_mechanisms == []
