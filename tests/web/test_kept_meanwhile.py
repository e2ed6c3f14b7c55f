"""Slow figures after a change: the last ones at once, marked, while one process computes anew."""

from __future__ import annotations

import datetime
import os
import threading
import time
from collections.abc import Callable

import pytest
from django.core.cache import cache

from liaison.web import kept as kept_module
from liaison.web.kept import Kept, kept_meanwhile
from tests.factories import make_exchange

pytestmark = pytest.mark.django_db


class Counted:
    """A computation that returns how often it has run."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> int:
        self.calls += 1
        return self.calls


class Later:
    """Work sent to the background, run when the test says so."""

    def __init__(self) -> None:
        self.work: list[Callable[[], None]] = []

    def __call__(self, work: Callable[[], None]) -> None:
        self.work.append(work)

    def run(self) -> None:
        """Run the work sent so far."""
        while self.work:
            self.work.pop(0)()


@pytest.fixture
def later(monkeypatch: pytest.MonkeyPatch) -> Later:
    """Treat every computation as slow, and hold the background work until run() is called."""
    monkeypatch.setattr(kept_module, "QUICK_SECONDS", 0.0)
    held = Later()
    monkeypatch.setattr(kept_module, "in_background", held)
    return held


def test_the_first_value_is_computed_in_the_request(later: Later) -> None:
    compute = Counted()
    first = kept_meanwhile("figures", compute)
    assert (first.value, first.current, compute.calls) == (1, True, 1)
    again = kept_meanwhile("figures", compute)
    assert (again.value, again.current, compute.calls) == (1, True, 1)
    assert not later.work


def test_after_a_change_the_last_value_is_served_while_one_refresh_runs(later: Later) -> None:
    compute = Counted()
    kept_meanwhile("figures", compute)
    make_exchange()  # an audited change
    stale = kept_meanwhile("figures", compute)
    assert (stale.value, stale.current) == (1, False)
    assert compute.calls == 1 and len(later.work) == 1
    # Others asking meanwhile get the same last value and start no second refresh.
    assert kept_meanwhile("figures", compute).value == 1
    assert len(later.work) == 1
    later.run()
    fresh = kept_meanwhile("figures", compute)
    assert (fresh.value, fresh.current, compute.calls) == (2, True, 2)
    assert not later.work


def test_quick_figures_are_computed_again_in_the_request(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kept_module, "in_background", lambda work: pytest.fail("no background"))
    compute = Counted()
    kept_meanwhile("figures", compute)
    make_exchange()
    fresh = kept_meanwhile("figures", compute)
    assert (fresh.value, fresh.current, compute.calls) == (2, True, 2)


def test_a_failed_refresh_leaves_the_last_value_and_is_tried_again_later(later: Later) -> None:
    calls = Counted()

    def failing() -> int:
        if calls() == 2:
            raise RuntimeError("the database went away")
        return calls.calls

    kept_meanwhile("figures", failing)
    make_exchange()
    assert kept_meanwhile("figures", failing).value == 1
    later.run()  # fails, and says so in the log
    # The mark stays a while: requests meanwhile get the last value and start nothing.
    stale = kept_meanwhile("figures", failing)
    assert (stale.value, stale.current, len(later.work)) == (1, False, 0)
    cache.delete(f"{kept_module._lasting_key('figures')}:refreshing")  # as its expiry would
    assert kept_meanwhile("figures", failing).value == 1 and len(later.work) == 1
    later.run()
    fresh = kept_meanwhile("figures", failing)
    assert (fresh.value, fresh.current) == (3, True)


def test_a_change_during_a_refresh_is_not_taken_for_computed(later: Later) -> None:
    compute = Counted()
    kept_meanwhile("figures", compute)
    make_exchange()
    kept_meanwhile("figures", compute)

    def changing() -> int:
        value = compute()
        make_exchange()  # written while the figures were being computed
        return value

    assert len(later.work) == 1
    later.work.clear()  # in its place, a refresh during which the ledger changes again
    kept_module._refresh(
        kept_module._lasting_key("figures"),
        f"{kept_module._lasting_key('figures')}:refreshing",
        changing,
    )
    after = kept_meanwhile("figures", compute)
    assert (after.value, after.current) == (2, False)  # kept for the version it started from
    assert len(later.work) == 1


def test_old_figures_of_an_unchanged_ledger_are_current_and_refreshed(later: Later) -> None:
    compute = Counted()
    kept_meanwhile("figures", compute)
    lasting = kept_module._lasting_key("figures")
    entry: Kept[int] = cache.get(lasting)
    old = entry.at - datetime.timedelta(seconds=kept_module.KEEP_SECONDS + 1)
    cache.set(lasting, Kept(entry.value, entry.version, old, entry.took), 60)
    served = kept_meanwhile("figures", compute)
    assert (served.value, served.current, len(later.work)) == (1, True, 1)


def test_each_database_has_its_own_last_value(
    later: Later, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept_meanwhile("figures", Counted())
    first = kept_module._lasting_key("figures")
    monkeypatch.setitem(kept_module.connection.settings_dict, "NAME", "another-ledger")
    assert kept_module._lasting_key("figures") != first


@pytest.mark.django_db(transaction=True)
def test_the_refresh_runs_in_a_thread_of_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kept_module, "QUICK_SECONDS", 0.0)
    compute = Counted()
    kept_meanwhile("figures", compute)
    make_exchange()
    assert kept_meanwhile("figures", compute).current is False
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        served = kept_meanwhile("figures", compute)
        if served.current:
            break
        time.sleep(0.02)
    assert (served.value, served.current, compute.calls) == (2, True, 2)


def test_the_background_work_runs_below_the_requests_priority() -> None:
    ours = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    seen: list[int] = []
    done = threading.Event()

    def work() -> None:
        seen.append(os.getpriority(os.PRIO_PROCESS, threading.get_native_id()))
        done.set()

    kept_module.in_background(work)
    assert done.wait(10)
    assert seen[0] >= kept_module.BACKGROUND_NICENESS
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == ours  # the thread's only
