"""The gunicorn layout liaison ships: what docs/configuration.md tells users to run."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from liaison.web import gunicorn_conf

ROOT = Path(__file__).resolve().parents[2]


def test_each_process_serves_one_request_and_takes_a_connection_only_when_free() -> None:
    assert gunicorn_conf.worker_class == "gthread"
    assert gunicorn_conf.threads == gunicorn_conf.worker_connections == 1
    assert gunicorn_conf.keepalive == 0
    assert gunicorn_conf.workers == 2 * (os.cpu_count() or 1) + 1


def test_gunicorn_knows_every_setting_of_the_layout() -> None:
    config = pytest.importorskip("gunicorn.config")
    settings = config.Config().settings
    names = [name for name in vars(gunicorn_conf) if not name.startswith("_") and name != "os"]
    assert names and all(name in settings for name in names)


def test_the_documented_command_and_the_benchmark_use_the_layout() -> None:
    documented = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    assert "-c python:liaison.web.gunicorn_conf" in documented
    benchmark = (ROOT / "benchmarks" / "web.py").read_text(encoding="utf-8")
    assert "--config=python:liaison.web.gunicorn_conf" in benchmark
