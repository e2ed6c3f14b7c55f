"""The network's ties read on a second connection give the same report as one connection."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from liaison.analytics.report import build_report, report_data
from liaison.analytics.scope import build_scope
from liaison.ledger import figures_queries as q
from tests.analytics.conftest import FROM, TO, build_ledger


def test_no_second_connection_inside_a_transaction(db: None) -> None:
    with transaction.atomic():
        assert not q.reads_in_parallel()


@pytest.mark.django_db(transaction=True)
def test_report_read_on_two_connections_matches_one(monkeypatch: pytest.MonkeyPatch) -> None:
    build_ledger()
    name = str(connection.settings_dict["NAME"])
    in_memory = connection.vendor == "sqlite" and (":memory:" in name or "mode=memory" in name)
    # Committed data on a server or a file: a second connection sees it.
    assert q.reads_in_parallel() is not in_memory
    scope = build_scope(FROM, TO)
    both = report_data(build_report(scope))
    monkeypatch.setattr(q, "reads_in_parallel", lambda: False)
    one = report_data(build_report(scope))
    assert both == one
    assert both["network"]["nodes"] > 0
