"""Claims against the record of the small ledger (conftest.py), verdicts worked out by hand."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest

from liaison.analytics import claims as c
from liaison.analytics.claims import Verdict
from liaison.analytics.report import build_report
from liaison.analytics.scope import build_scope
from liaison.domain.errors import LiaisonError
from liaison.ledger import actions
from tests.analytics.conftest import FROM, TO, Ledger

END = "2024-12-31"


def _claim(value: float, qualifier: str, subject: str, as_of: str | None, text: str) -> None:
    source = actions.SourceInput(url=f"https://example.org/{abs(hash(text))}", title="T", text=text)
    actions.record_claim(
        value,
        subject,
        qualifier,
        datetime.date.fromisoformat(as_of) if as_of else None,
        actions.EvidenceInput(source=source, text=text, start=0, end=len(text)),
    )


def _checks() -> dict[str, c.ClaimCheck]:
    report = build_report(build_scope(FROM, TO))
    return {f"{k.claim.qualifier} {k.claim.value:g} {k.claim.subject}": k for k in report.claims}


def test_verdicts(ledger: Ledger) -> None:
    _claim(
        4,
        "more than",
        "political parties and political organizations",
        END,
        "It has ties with more than 4 political parties and political organizations.",
    )
    _claim(10, "over", "countries", END, "Its partners come from over 10 countries.")
    _claim(3, "about", "visits", END, "The department made about 3 visits.")
    _claim(
        50,
        "nearly",
        "percent of them from developing countries",
        END,
        "Nearly 50 percent of them from developing countries.",
    )
    _claim(2, "over", "countries", "2023-06-30", "By June it had partners in over 2 countries.")
    _claim(1, "more than", "African countries", END, "It met more than 1 African countries.")
    checks = _checks()

    # Parties and organizations up to 2024-12-31: parties A1 A3 A4 A5 A7 (A2 counts as A1),
    # organizations A6 A9 -> 7; "more than 4" needs > 4: agrees.
    parties = checks["more than 4 political parties and political organizations"]
    assert (parties.metric, parties.params) == (
        "counterparts",
        {"kinds": ["party", "organization"]},
    )
    assert (parties.record, parties.verdict) == (7, Verdict.AGREES)
    # Countries reached: 5; "over 10" needs > 10: the claim is above the record.
    countries = checks["over 10 countries"]
    assert (countries.record, countries.verdict) == (5, Verdict.ABOVE)
    # Visits E2 E3 E9 = 3; "about 3" allows 2.7 to 3.3: agrees.
    visits = checks["about 3 visits"]
    assert (visits.metric, visits.record, visits.verdict) == ("exchanges", 3, Verdict.AGREES)
    # Developing share 75 %; "nearly 50" allows 45 to 50: the claim is below the record.
    share = checks["nearly 50 percent of them from developing countries"]
    assert (share.metric, share.record, share.verdict) == (
        "developing_share",
        75,
        Verdict.BELOW,
    )
    # The claim's own period: 2023-01-01 to 2023-06-30 holds E2 (A1, ZAF) and E3 (A3, KEN):
    # 2 countries; "over 2" needs > 2: above the record (the whole period has 5).
    june = checks["over 2 countries"]
    assert june.period == (FROM, datetime.date(2023, 6, 30))
    assert (june.record, june.verdict) == (2, Verdict.ABOVE)
    # "African" limits the count to Africa: ZAF (A1 A2) and KEN (A3 A8) = 2 > 1: agrees.
    africa = checks["more than 1 African countries"]
    assert africa.params == {"region": "Africa"}
    assert (africa.record, africa.verdict) == (2, Verdict.AGREES)


def test_not_comparable_and_why(ledger: Ledger) -> None:
    _claim(300, "more than", "participants", END, "More than 300 participants attended the forum.")
    _claim(100, "over", "countries", None, "Partners in over 100 countries.")
    _claim(3, "exactly", "batches", END, "It sent 3 batches.")
    # 2023-01-01 to 2023-01-15 holds no exchange at all.
    _claim(1, "over", "parties", "2023-01-15", "It met over 1 parties.")
    _claim(7, "zillions of", "parties", END, "It met zillions of 7 parties.")
    checks = _checks()
    assert all(k.verdict is Verdict.NOT_COMPARABLE for k in checks.values())
    assert checks["more than 300 participants"].rule == "attendance of one event"
    assert "attended one event" in checks["more than 300 participants"].reason
    assert "no date" in checks["over 100 countries"].reason
    assert "no rule maps 'batches'" in checks["exactly 3 batches"].reason
    assert "no exchange in the claim's period" in checks["over 1 parties"].reason
    assert "qualifier 'zillions of' is not in the rules" in checks["zillions of 7 parties"].reason


def test_claims_outside_the_period_are_left_out(ledger: Ledger) -> None:
    _claim(1, "over", "parties", "2025-02-01", "It met over 1 parties.")
    assert _checks() == {}


def test_rules_are_data_and_extendable(tmp_path: Path, ledger: Ledger) -> None:
    _claim(3, "exactly", "batches", END, "It sent 3 batches.")
    data = json.loads(c.RULES_FILE.read_text(encoding="utf-8"))
    # A new rule: "batches" of cadres are delegations sent (E2 abroad, E9 by roles: 2);
    # "exactly 3" needs 3, so the claim is above the record.
    data["rules"].insert(
        0, {"name": "batches", "subject_any": ["batch"], "metric": "delegations_sent"}
    )
    path = tmp_path / "rules.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    report = build_report(build_scope(FROM, TO), rules=c.load_rules(path))
    (check,) = report.claims
    assert (check.rule, check.record, check.verdict) == ("batches", 2, Verdict.ABOVE)


@pytest.mark.parametrize(
    "rule",
    [
        {"name": "neither"},
        {"name": "both", "metric": "counterparts", "not_comparable": "x"},
        {"name": "unknown", "metric": "no_such_metric"},
        {"name": "not claimable", "metric": "growth"},
    ],
)
def test_bad_rules_are_refused(tmp_path: Path, rule: dict[str, object]) -> None:
    path = tmp_path / "rules.json"
    path.write_text(json.dumps({"qualifiers": {}, "rules": [rule]}), encoding="utf-8")
    with pytest.raises(LiaisonError):
        c.load_rules(path)
