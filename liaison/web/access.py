"""Who may see what: the one rule for internal exchanges, used by every list, page and count.

An exchange marked internal is seen by the members of its unit and of every unit above it
(``Unit.ancestors()``); superusers and members of a root unit (one with no parent) see all. A
user without a membership sees only public records.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Q, QuerySet

from liaison.domain.enums import Visibility
from liaison.ledger.models import Evidence, Exchange, Membership, Source, Unit

AnyUser = AbstractBaseUser | AnonymousUser
_KEPT_UNITS = "_liaison_visible_units"  # where a user object keeps its units, once read
_KEPT_MEMBERSHIP = "_liaison_membership"
_UNREAD = object()
_USER_FIELD = Membership._meta.get_field("user")


def visible_units(user: AnyUser) -> frozenset[int] | None:
    """Return the ids of the units whose internal exchanges a user sees; None means all units.

    The answer is kept on the user object, which lives as long as the request that loaded it:
    a page asks several times (its lists, its kept figures' scope) and reads the units once.
    """
    if not user.is_authenticated:
        return frozenset()
    if getattr(user, "is_superuser", False):
        return None
    known = user.__dict__.get(_KEPT_UNITS, _UNREAD)
    if known is _UNREAD:
        known = _read_units(user)
        user.__dict__[_KEPT_UNITS] = known
    return known  # type: ignore[no-any-return]


def membership_of(user: AnyUser) -> Membership | None:
    """Return a user's membership (unit and role), or None; read once per request.

    Kept on the user object, as the units are, and given to its `membership` relation too:
    the visible units, the role and the page's header all read it, with one query.
    """
    if not user.is_authenticated:
        return None
    known = user.__dict__.get(_KEPT_MEMBERSHIP, _UNREAD)
    if known is _UNREAD:
        known = Membership.objects.filter(user_id=user.pk).select_related("unit").first()
        user.__dict__[_KEPT_MEMBERSHIP] = known
        _USER_FIELD.remote_field.set_cached_value(user, known)
    return known  # type: ignore[no-any-return]


def _read_units(user: AnyUser) -> frozenset[int] | None:
    """Read the units whose internal exchanges a user sees from the memberships and units."""
    membership = membership_of(user)
    if membership is None:
        return frozenset()
    if membership.unit.parent_id is None:
        return None
    # The user's unit is an ancestor of exactly the units below it: walk down the (small) tree.
    children: dict[int | None, list[int]] = defaultdict(list)
    for pk, parent in Unit.objects.values_list("id", "parent_id"):
        children[parent].append(pk)
    seen = {membership.unit_id}
    stack = [membership.unit_id]
    while stack:
        for child in children[stack.pop()]:
            if child not in seen:
                seen.add(child)
                stack.append(child)
    return frozenset(seen)


def sees_everything(user: AnyUser) -> bool:
    """Tell whether a user sees every internal record (superuser or member of a root unit)."""
    return visible_units(user) is None


def visible_exchanges(user: AnyUser) -> QuerySet[Exchange]:
    """Return the exchanges a user may see."""
    units = visible_units(user)
    exchanges = Exchange.objects.all()
    if units is None:
        return exchanges
    return exchanges.filter(Q(visibility=Visibility.PUBLIC) | Q(unit_id__in=units))


def shown_sql(user: AnyUser) -> tuple[str, list[Any]]:
    """Return visible_exchanges' condition on exchanges named `e`, as SQL and its parameters."""
    units = visible_units(user)
    if units is None:
        return "1 = 1", []
    if not units:
        return "e.visibility = %s", [Visibility.PUBLIC.value]
    marks = ", ".join(["%s"] * len(units))
    return f"(e.visibility = %s OR e.unit_id IN ({marks}))", [Visibility.PUBLIC.value, *units]


def can_see_exchange(user: AnyUser, exchange: Exchange) -> bool:
    """Tell whether a user may see one exchange (the same rule, without a query when public)."""
    if exchange.visibility == Visibility.PUBLIC:
        return True
    units = visible_units(user)
    return units is None or exchange.unit_id in units


def visible_sources(user: AnyUser) -> QuerySet[Source]:
    """Return the sources a user may see: those not cited only by exchanges hidden from them."""
    if visible_units(user) is None:
        return Source.objects.all()
    shown = visible_exchanges(user)
    cited_by_shown = Evidence.objects.filter(source=OuterRef("pk"), exchange__in=shown)
    cited_by_hidden = Evidence.objects.filter(
        source=OuterRef("pk"), exchange__isnull=False
    ).exclude(exchange__in=shown)
    return Source.objects.filter(Exists(cited_by_shown) | ~Exists(cited_by_hidden))
