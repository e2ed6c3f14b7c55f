"""Create, check and revoke API tokens; each change is written to the audit history."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from liaison.domain.errors import ErrorCode, LiaisonError
from liaison.ledger.actions import Author, snapshot
from liaison.ledger.actions.audit import write_audit
from liaison.web.apitokens.models import ApiToken

PREFIX = "lia_"
# Recording every use would write on every request; a few minutes' precision is enough.
TOUCH_EVERY = datetime.timedelta(minutes=5)


def hash_token(token: str) -> str:
    """Return the sha256 under which a token is stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _public(token: ApiToken) -> dict[str, object]:
    # The hash stays out of the audit history: it is as good as a password check.
    return {k: v for k, v in snapshot(token).items() if k != "key_hash"}


@transaction.atomic
def create_token(user: User, name: str, author: Author) -> tuple[ApiToken, str]:
    """Make a token for a user; return the row and the token, which is never shown again."""
    if not user.is_active:
        raise LiaisonError(ErrorCode.BAD_INPUT, f"user {user.username!r} is not active")
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, key_hash=hash_token(secret), prefix=secret[:12]
    )
    write_audit(author, "create_api_token", token, None, _public(token))
    return token, secret


@transaction.atomic
def revoke_token(token: ApiToken, author: Author) -> bool:
    """Stop a token from working; return False when it was revoked already."""
    if token.revoked_at is not None:
        return False
    before = _public(token)
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    write_audit(author, "revoke_api_token", token, before, _public(token))
    return True


def user_for_token(secret: str) -> User | None:
    """Return the active user a live token belongs to, or None."""
    token = (
        ApiToken.objects.filter(key_hash=hash_token(secret), revoked_at=None, user__is_active=True)
        .select_related("user")
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
