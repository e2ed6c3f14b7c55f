"""Helpers for the extraction tests."""

from __future__ import annotations

from datetime import date

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from liaison.extract.pipeline import build_pipeline


@pytest.fixture(scope="session")
def nlp() -> Language:
    """Return the extraction pipeline."""
    return build_pipeline()


@pytest.fixture
def run(nlp: Language):  # type: ignore[no-untyped-def]
    """Return a function that runs the pipeline over a text published on a day."""

    def _run(text: str, published: date | None = date(2024, 5, 10)) -> Doc:
        doc = nlp.make_doc(text)
        doc._.lx_published = published
        return nlp(doc)

    return _run
