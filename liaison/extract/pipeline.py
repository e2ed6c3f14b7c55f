"""Build the extraction pipeline: spaCy's blank English tokenizer and our components."""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language

# Importing the component modules registers their factories with spaCy.
from liaison.extract import actors, claims, dates, events, mechanisms, people, sentences, triggers

COMPONENTS = (
    "liaison_sentences_v1",
    "liaison_dates_v1",
    "liaison_actors_v1",
    "liaison_people_v1",
    "liaison_mechanisms_v1",
    "liaison_triggers_v1",
    "liaison_claims_v1",
    "liaison_events_v1",
)
_MODULES = (actors, claims, dates, events, mechanisms, people, sentences, triggers)
# Texts are cut into chunks below this size before they reach the tokenizer (see run.py).
MAX_CHUNK = 200_000


@lru_cache(maxsize=1)
def build_pipeline() -> Language:
    """Return the pipeline, built once per process."""
    nlp = spacy.blank("en")
    nlp.max_length = MAX_CHUNK * 2
    for name in COMPONENTS:
        nlp.add_pipe(name)
    return nlp
