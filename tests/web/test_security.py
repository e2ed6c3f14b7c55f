"""Security: escaped output, CSRF on every form, log-in rate limiting, production cookies."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.contrib.auth.models import User
from django.test import Client

from liaison.domain.enums import ReviewStatus, UserRole
from liaison.ledger.models import Exchange
from tests.factories import make_actor, make_exchange, make_user
from tests.web.conftest import Ledger, Proposed, body, exchange_post

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"


def test_a_counterpart_named_like_a_script_is_shown_as_text(client: Client, ledger: Ledger) -> None:
    evil = make_actor(SCRIPT, country="ZAF", review_status=ReviewStatus.PROPOSED)
    exchange = make_exchange(evil, ledger.anc, summary=SCRIPT, review_status=ReviewStatus.PROPOSED)
    client.force_login(make_user("admin", UserRole.ADMIN, ledger.central))
    pages = [
        f"/actors/{evil.pk}/",
        f"/actors/{evil.pk}/edit/",
        f"/actors/{evil.pk}/merge/",
        "/actors/?q=script",
        f"/exchanges/{exchange.pk}/",
        f"/exchanges/{exchange.pk}/edit/",
        "/exchanges/",
        "/review/",
        "/review/?kind=actor",
        "/",
        "/audit/",
    ]
    for url in pages:
        page = body(client.get(url))
        assert SCRIPT not in page, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page, url
    suggestions = client.get("/actors/suggest/?q=script")
    assert suggestions["Content-Type"] == "application/json"
    assert json.loads(suggestions.content)["results"][0]["value"] == f"{SCRIPT} [{evil.pk}]"


def test_a_script_in_a_message_is_escaped(client: Client, ledger: Ledger) -> None:
    client.force_login(make_user("admin", UserRole.ADMIN, ledger.central))
    response = client.post("/actors/new/", {"name": SCRIPT, "kind": "party"}, follow=True)
    page = body(response)
    assert "Saved &lt;script&gt;alert(1)&lt;/script&gt;." in page
    assert SCRIPT not in page


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/exchanges/new/", None),
        ("/actors/new/", {"name": "X", "kind": "party"}),
        ("/mechanisms/new/", {"name": "X", "scope": "global"}),
        ("/review/exchange/{exchange}/", {"decision": "accept"}),
        ("/actors/{actor}/merge/", {"keep": "SWAPO Party"}),
        ("/logout/", {}),
    ],
)
def test_every_form_needs_its_csrf_token(
    ledger: Ledger, proposed: Proposed, url: str, data: dict[str, str] | None
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("admin", UserRole.ADMIN, ledger.central))
    target = url.format(exchange=proposed.exchange.pk, actor=proposed.actor.pk)
    count = Exchange.objects.count()
    response = client.post(target, data if data is not None else exchange_post(ledger))
    assert response.status_code == 403
    assert Exchange.objects.count() == count
    proposed.exchange.refresh_from_db()
    assert proposed.exchange.review_status == ReviewStatus.PROPOSED


@pytest.mark.parametrize(
    "url",
    [
        "/exchanges/new/",
        "/actors/new/",
        "/mechanisms/new/",
        "/review/",
        "/actors/{actor}/merge/",
        "/exchanges/{exchange}/edit/",
    ],
)
def test_every_form_carries_the_token(
    client: Client, ledger: Ledger, proposed: Proposed, url: str
) -> None:
    client.force_login(make_user("admin", UserRole.ADMIN, ledger.central))
    page = body(client.get(url.format(actor=proposed.actor.pk, exchange=proposed.exchange.pk)))
    posts = page.count('method="post"')
    assert posts >= 1
    assert page.count('name="csrfmiddlewaretoken"') == posts


def _login(client: Client, password: str, address: str = "10.0.0.1") -> int:
    response = client.post(
        "/login/", {"username": "africa_viewer", "password": password}, REMOTE_ADDR=address
    )
    return response.status_code


def test_login_is_refused_after_five_failures(client: Client, viewer: User) -> None:
    assert [_login(client, "wrong") for _ in range(5)] == [200] * 5
    response = client.post(
        "/login/",
        {"username": "AFRICA_VIEWER", "password": "a long test password"},
        REMOTE_ADDR="10.0.0.1",
    )
    assert response.status_code == 429
    assert "Too many failed log-ins" in body(response)
    assert client.get("/").status_code == 302  # not logged in
    # Another address is not blocked by someone else's failures.
    assert _login(client, "a long test password", address="10.0.0.2") == 302


def test_a_success_forgets_earlier_failures(client: Client, viewer: User) -> None:
    for _ in range(4):
        _login(client, "wrong")
    assert _login(client, "a long test password") == 302
    client.post("/logout/")
    assert [_login(client, "wrong") for _ in range(5)] == [200] * 5
    assert _login(client, "wrong") == 429


def test_production_settings_protect_cookies_and_need_a_secret(tmp_path: object) -> None:
    code = (
        "import json; from django.conf import settings as s; import django; django.setup();"
        "print(json.dumps([s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
        " s.SESSION_COOKIE_HTTPONLY, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS > 0,"
        " s.DEBUG, s.SECRET_KEY]))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "liaison.web.settings",
        "LIAISON_HOME": str(tmp_path),
        "LIAISON_PRODUCTION": "true",
        "LIAISON_SECRET_KEY": "k" * 50,
        "LIAISON_DEBUG": "true",
    }
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert json.loads(out.stdout) == [True, True, True, True, True, False, "k" * 50]
    del env["LIAISON_SECRET_KEY"]
    missing = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert missing.returncode != 0
