"""Roles and what each may do: the one table every permission check reads.

A user's role is the Django group of that name (a superuser counts as ``admin``). Views
ask for a capability, never for a role, so that the rules live here alone:

========================  =====  =======  ========  ======
capability                admin  analyst  reviewer  viewer
========================  =====  =======  ========  ======
view_figures              yes    yes      yes       yes
view_testimony            yes    yes      yes       no
view_victim_names         yes    yes      yes       no
edit_testimony            yes    yes      no        no
review_links              yes    no       yes       no
start_runs                yes    yes      no        no
view_identity             yes    no       no        no
manage_accounts           yes    no       no        no
========================  =====  =======  ========  ======

``view_testimony`` covers every free-text field (as-told text, narratives, notes) and
sources by pseudonym; a viewer sees figures and aggregates only.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class Role(StrEnum):
    ADMIN = "admin"
    ANALYST = "analyst"
    REVIEWER = "reviewer"
    VIEWER = "viewer"


class Capability(StrEnum):
    VIEW_FIGURES = "view_figures"
    VIEW_TESTIMONY = "view_testimony"
    VIEW_VICTIM_NAMES = "view_victim_names"
    EDIT_TESTIMONY = "edit_testimony"
    REVIEW_LINKS = "review_links"
    START_RUNS = "start_runs"
    VIEW_IDENTITY = "view_identity"
    MANAGE_ACCOUNTS = "manage_accounts"


C = Capability
GRANTS: dict[Role, frozenset[Capability]] = {
    Role.ADMIN: frozenset(Capability),
    Role.ANALYST: frozenset(
        {
            C.VIEW_FIGURES,
            C.VIEW_TESTIMONY,
            C.VIEW_VICTIM_NAMES,
            C.EDIT_TESTIMONY,
            C.START_RUNS,
        }
    ),
    Role.REVIEWER: frozenset(
        {C.VIEW_FIGURES, C.VIEW_TESTIMONY, C.VIEW_VICTIM_NAMES, C.REVIEW_LINKS}
    ),
    Role.VIEWER: frozenset({C.VIEW_FIGURES}),
}

# When a user is (wrongly) in several role groups, the least powerful one wins.
_PRECEDENCE = (Role.VIEWER, Role.REVIEWER, Role.ANALYST, Role.ADMIN)


def parse_role(name: str) -> Role:
    """The role named ``name`` (any case); a ConfigurationError listing the roles otherwise."""
    from uncounted.errors import ConfigurationError

    try:
        return Role(name.strip().lower())
    except ValueError:
        roles = ", ".join(r.value for r in Role)
        raise ConfigurationError(f"--role {name!r}: expected one of {roles}") from None


def role_of(user: Any) -> Role | None:
    """The role of a signed-in user, or None (anonymous, inactive or in no role group)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    cached: Role | bool | None = getattr(user, "_uncounted_role", False)
    if cached is not False:
        return cached if isinstance(cached, Role) else None
    role: Role | None = None
    if user.is_superuser:
        role = Role.ADMIN
    else:
        names = set(user.groups.values_list("name", flat=True))
        role = next((r for r in _PRECEDENCE if r.value in names), None)
    user._uncounted_role = role
    return role


def can(user: Any, capability: Capability) -> bool:
    """True when ``user``'s role grants ``capability``."""
    role = role_of(user)
    return role is not None and capability in GRANTS[role]


def capabilities(user: Any) -> frozenset[Capability]:
    """Everything ``user`` may do (empty for anonymous users and users without a role)."""
    role = role_of(user)
    return GRANTS[role] if role is not None else frozenset()
