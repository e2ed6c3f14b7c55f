"""People with their role and organization."""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Doc


def test_people_apposition_gives_role_and_org(run: Callable[..., Doc]) -> None:
    doc = run(
        "Amara Diallo, secretary-general of the South African Communist Party, met the guests."
    )
    person = doc._.lx_people[0]
    assert person.name == "Amara Diallo"
    assert person.org == "South African Communist Party"
    assert not person.state


def test_people_title_before_name_marks_state_role(run: Callable[..., Doc]) -> None:
    doc = run("Chinese Premier Wen Kaiming met Peruvian Foreign Minister Rosa Quispe.")
    people = {p.name: (p.role, p.org, p.state) for p in doc._.lx_people}
    assert people["Wen Kaiming"] == ("Chinese Premier", "China", True)
    assert people["Rosa Quispe"][1:] == ("Peru", True)
