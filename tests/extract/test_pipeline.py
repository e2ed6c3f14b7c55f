"""The pipeline is built from declared, versioned components."""

from __future__ import annotations

from spacy.language import Language

from liaison.extract.pipeline import COMPONENTS


def test_pipeline_components_are_versioned(nlp: Language) -> None:
    assert nlp.pipe_names == list(COMPONENTS)
    assert all(name.startswith("liaison_") and name.endswith("_v1") for name in nlp.pipe_names)


def test_pipeline_analysis_has_no_problems(nlp: Language) -> None:
    analysis = nlp.analyze_pipes(pretty=False)
    assert all(not problems for problems in analysis["problems"].values())


def test_pipeline_uses_blank_english_tokenizer(nlp: Language) -> None:
    assert nlp.lang == "en"
    assert "ner" not in nlp.pipe_names and "parser" not in nlp.pipe_names
