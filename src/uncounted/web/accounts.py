"""Accounts: create a user with a role, change a role. Used by the CLI and the admin page."""

from __future__ import annotations

from django.contrib.auth.models import Group, User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction

from uncounted.errors import ConfigurationError
from uncounted.web.roles import Role, parse_role

__all__ = ["create_user", "parse_role", "set_role"]


def create_user(username: str, role: Role, password: str) -> User:
    """Create an active user in ``role``'s group; the password must pass the validators."""
    username = username.strip()
    if not username:
        raise ConfigurationError("the user name is empty")
    if User.objects.filter(username=username).exists():
        raise ConfigurationError(f"a user named {username!r} already exists")
    candidate = User(username=username)
    try:
        validate_password(password, candidate)
    except DjangoValidationError as exc:
        raise ConfigurationError("password refused: " + " ".join(exc.messages)) from None
    with transaction.atomic():
        user = User.objects.create_user(username=username, password=password)
        set_role(user, role)
    return user


def set_role(user: User, role: Role) -> None:
    """Put ``user`` in exactly one role group (created on first use)."""
    with transaction.atomic():
        user.groups.remove(*Group.objects.filter(name__in=[r.value for r in Role]))
        group, _ = Group.objects.get_or_create(name=role.value)
        user.groups.add(group)
    if hasattr(user, "_uncounted_role"):
        del user._uncounted_role
