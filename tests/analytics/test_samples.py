"""The claims check on the sample corpus: the demo ledger, press texts ingested."""

from __future__ import annotations

import pytest

from liaison.analytics.claims import Verdict
from liaison.analytics.render import render_html
from liaison.analytics.report import build_report
from liaison.analytics.scope import build_scope
from liaison.demo import prepare_demo
from liaison.ledger.models import Claim

pytestmark = pytest.mark.django_db


def test_sample_claims_get_verdicts() -> None:
    # Reference data, units, the sample exchanges, then the press texts through ingest_paths.
    prepare_demo(lambda step: None)
    stored = Claim.objects.count()
    assert stored > 0

    report = build_report(build_scope())
    checks = report.claims
    assert len(checks) == stored  # no period: every stored claim is checked
    verdicts = {check.verdict for check in checks}
    # Which claims agree depends on what the extractor finds; some are always compared (the
    # headline ones below) and some never are (head counts, aid, undated figures).
    assert {Verdict.ABOVE, Verdict.NOT_COMPARABLE} <= verdicts
    for check in checks:
        assert check.reason
        compared = check.verdict is not Verdict.NOT_COMPARABLE
        # A verdict other than "not comparable" always comes with a metric and a record value.
        assert compared == (check.record is not None and bool(check.metric))

    # The headline claim of the corpus: "more than 600 political parties and political
    # organizations". The sample ledger knows far fewer, so the claim is above the record.
    (six_hundred,) = [
        k for k in checks if k.claim.value == 600 and k.claim.subject == "political parties"
    ][:1]
    assert six_hundred.metric == "counterparts"
    assert six_hundred.params == {"kinds": ["party", "organization"]}
    assert six_hundred.verdict is Verdict.ABOVE
    assert six_hundred.record is not None and six_hundred.record < 600
    assert "Claims against the record" in render_html(report)
