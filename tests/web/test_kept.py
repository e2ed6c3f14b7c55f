"""Figures kept until the ledger changes: computed once, by one worker process at a time."""

from __future__ import annotations

import threading

import pytest
from django.core.cache import cache

from liaison.ledger.queries import ledger_version
from liaison.web import kept as kept_module
from liaison.web.kept import kept
from tests.factories import make_exchange

pytestmark = pytest.mark.django_db


class Counted:
    """A computation that counts how often it runs."""

    def __init__(self, value: object) -> None:
        self.value = value
        self.calls = 0

    def __call__(self) -> object:
        self.calls += 1
        return self.value


def test_a_figure_is_computed_once_until_the_ledger_changes() -> None:
    compute = Counted(41)
    assert kept("answer", compute) == 41 and kept("answer", compute) == 41
    assert compute.calls == 1
    make_exchange()  # an audited change: every kept figure is stale
    assert kept("answer", compute) == 41 and compute.calls == 2


def test_a_process_waits_for_the_one_computing_the_figure(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(kept_module, "POLL_SECONDS", 0.01)
    full = f"kept:answer:{ledger_version()}"
    cache.add(f"{full}:computing", True, 60)  # as another worker process would
    finish = threading.Timer(0.1, lambda: cache.set(full, 42, 60))
    finish.start()
    compute = Counted(0)
    assert kept("answer", compute) == 42
    assert compute.calls == 0
    finish.join()


def test_a_process_computes_itself_when_the_other_one_gave_up(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(kept_module, "POLL_SECONDS", 0.01)
    full = f"kept:answer:{ledger_version()}"
    cache.add(f"{full}:computing", True, 60)
    gave_up = threading.Timer(0.05, lambda: cache.delete(f"{full}:computing"))
    gave_up.start()
    compute = Counted(43)
    assert kept("answer", compute) == 43 and compute.calls == 1
    gave_up.join()
    assert not cache.has_key(f"{full}:computing")
