"""Actions on users: create one with a unit and a role."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from liaison.domain.enums import UserRole
from liaison.domain.errors import ErrorCode, LiaisonError
from liaison.ledger.actions.audit import SYSTEM, Author, created, snapshot, write_audit
from liaison.ledger.models import Membership, Unit


@transaction.atomic
def create_user(
    username: str,
    password: str,
    role: UserRole,
    unit: Unit,
    email: str = "",
    author: Author = SYSTEM,
    check_password: bool = True,
) -> AbstractUser:
    """Create a user who belongs to a unit with a role; admins may use the Django admin."""
    user_model = get_user_model()
    if user_model.objects.filter(username=username).exists():
        raise LiaisonError(ErrorCode.CONFLICT, f"a user named {username!r} exists already")
    user = user_model(username=username, email=email)
    if check_password:
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise LiaisonError(ErrorCode.BAD_INPUT, " ".join(error.messages)) from error
    user.set_password(password)
    user.is_staff = user.is_superuser = role is UserRole.ADMIN
    user.save()
    membership = Membership.objects.create(user=user, unit=unit, role=role)
    after = {k: v for k, v in snapshot(user).items() if k != "password"}
    write_audit(author, "create_user", user, None, after)
    created(author, "add_membership", membership)
    assert isinstance(user, AbstractUser)
    return user
