"""The review queue: proposed records beside their evidence; accept, reject, correct, merge."""

from __future__ import annotations

import pytest
from django.test import Client

from liaison.domain.enums import ReviewStatus, UserRole
from liaison.ledger.models import ActorMerge, AuditEntry, Participation
from tests.factories import make_actor, make_user
from tests.web.conftest import PROPOSED_SENTENCE, Ledger, Proposed, body

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client: Client, ledger: Ledger) -> Client:
    """A client logged in as an editor of the Africa bureau."""
    client.force_login(make_user("africa_editor", UserRole.EDITOR, ledger.africa))
    return client


def test_queue_shows_a_proposed_exchange_beside_its_highlighted_evidence(
    editor: Client, proposed: Proposed
) -> None:
    page = body(editor.get("/review/"))
    assert f'id="item-{proposed.exchange.pk}" data-review-item' in page
    assert f"<mark>{PROPOSED_SENTENCE}</mark>" in page
    assert "Windhoek, 3 April 2024." in page  # the sentence's context
    assert "confidence 0.80" in page
    assert 'Exchanges <span class="count">1</span>' in page
    assert 'Counterparts <span class="count">1</span>' in page
    assert 'data-key="a"' in page and 'data-key="r"' in page and 'data-key="e"' in page
    assert '<script src="/static/liaison/review.js" defer></script>' in page


def test_queue_shows_a_proposed_counterpart_with_evidence_and_candidates(
    editor: Client, ledger: Ledger, proposed: Proposed
) -> None:
    page = body(editor.get("/review/?kind=actor"))
    assert f'id="item-{proposed.actor.pk}"' in page
    assert f"<mark>{PROPOSED_SENTENCE}</mark>" in page
    assert f'value="SWAPO Party [{ledger.swapo.pk}]"' in page  # suggested: same country, name
    assert 'data-key="m"' in page
    # "Party" alone does not make a counterpart of another country a candidate.
    assert f"[{ledger.cpv.pk}]" not in page and f"[{ledger.lprp.pk}]" not in page


def test_a_nearly_identical_name_is_suggested_across_countries(
    editor: Client, ledger: Ledger, proposed: Proposed
) -> None:
    namesake = make_actor("Swapo Party of Namibia.", country="ZAF")  # its country misread
    page = body(editor.get("/review/?kind=actor"))
    assert f'value="{namesake.name} [{namesake.pk}]"' in page


def test_accepting_confirms_and_leaves_the_queue(editor: Client, proposed: Proposed) -> None:
    response = editor.post(
        f"/review/exchange/{proposed.exchange.pk}/", {"decision": "accept", "focus": "77"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/review/?kind=exchange&focus=77"
    proposed.exchange.refresh_from_db()
    assert proposed.exchange.review_status == ReviewStatus.CONFIRMED
    page = body(editor.get(response["Location"]))
    assert "Accepted the meeting of 2024-04-03." in page
    assert f'id="item-{proposed.exchange.pk}"' not in page
    entry = AuditEntry.objects.get(action="review_exchange", object_id=str(proposed.exchange.pk))
    assert entry.via == "web"


def test_rejecting_a_counterpart(editor: Client, proposed: Proposed) -> None:
    editor.post(f"/review/actor/{proposed.actor.pk}/", {"decision": "reject"})
    proposed.actor.refresh_from_db()
    assert proposed.actor.review_status == ReviewStatus.REJECTED


@pytest.mark.parametrize("url", ["/review/exchange/{pk}/", "/review/claim/{pk}/"])
def test_decisions_need_a_known_kind_and_a_post(
    editor: Client, proposed: Proposed, url: str
) -> None:
    target = url.format(pk=proposed.exchange.pk)
    assert editor.get(target).status_code == 405
    assert editor.post(target, {"decision": "maybe"}).status_code == 404


def test_merge_page_searches_and_merges_then_the_merge_is_undone(
    editor: Client, ledger: Ledger, proposed: Proposed
) -> None:
    page = body(editor.get(f"/actors/{proposed.actor.pk}/merge/?q=SWAPO"))
    assert f'value="SWAPO Party [{ledger.swapo.pk}]"' in page
    assert (
        "Communist Party of Vietnam"
        not in page.split("Choose the counterpart")[1].split("Evidence for")[0]
    )
    response = editor.post(
        f"/actors/{proposed.actor.pk}/merge/",
        {"keep": f"SWAPO Party [{ledger.swapo.pk}]", "next": "/review/?kind=actor"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/review/?kind=actor"
    proposed.actor.refresh_from_db()
    assert proposed.actor.merged_into == ledger.swapo
    assert Participation.objects.filter(exchange=proposed.exchange, actor=ledger.swapo).exists()
    queue = body(editor.get("/review/?kind=actor"))
    assert "Merged Swapo Party of Namibia into SWAPO Party." in queue
    assert f'id="item-{proposed.actor.pk}"' not in queue

    merge = ActorMerge.objects.get()
    kept_page = body(editor.get(f"/actors/{ledger.swapo.pk}/"))
    assert f'action="/merges/{merge.pk}/undo/"' in kept_page
    assert "Undo merge" in kept_page
    response = editor.post(f"/merges/{merge.pk}/undo/", {"next": f"/actors/{ledger.swapo.pk}/"})
    assert response.status_code == 302
    proposed.actor.refresh_from_db()
    assert proposed.actor.merged_into is None
    assert Participation.objects.filter(exchange=proposed.exchange, actor=proposed.actor).exists()
    page = body(editor.get(f"/actors/{ledger.swapo.pk}/"))
    assert "Undid the merge of Swapo Party of Namibia into SWAPO Party." in page
    assert "undone" in page
    again = editor.post(f"/merges/{merge.pk}/undo/")
    assert "was already undone" in body(editor.get(again["Location"]))


@pytest.mark.parametrize(
    ("keep", "message"),
    [
        ("{self}", "this is the same one"),
        ("No Such Party", "No counterpart is called"),
    ],
)
def test_a_bad_merge_target_is_refused(
    editor: Client, proposed: Proposed, keep: str, message: str
) -> None:
    target = keep.replace("{self}", f"Swapo Party of Namibia [{proposed.actor.pk}]")
    response = editor.post(f"/actors/{proposed.actor.pk}/merge/", {"keep": target})
    assert response.status_code == 400
    assert message in body(response)
    assert not ActorMerge.objects.exists()


def test_correct_link_returns_to_the_queue(editor: Client, proposed: Proposed) -> None:
    page = body(editor.get("/review/"))
    assert f'href="/exchanges/{proposed.exchange.pk}/edit/?next=/review/"' in page
    form = body(editor.get(f"/exchanges/{proposed.exchange.pk}/edit/?next=/review/"))
    assert '<input type="hidden" name="next" value="/review/">' in form
    assert "Saving marks it corrected." in form


def test_empty_queue_says_so(editor: Client, ledger: Ledger) -> None:
    assert "Nothing to review" in body(editor.get("/review/"))
    assert "Nothing to review" in body(editor.get("/review/?kind=actor"))
