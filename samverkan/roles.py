"""What each role means and where it is recorded.

The core records the roles it scopes itself (official of an organisation, editor and administrator of a
county) as ``RoleAssignment`` rows with a django-guardian object permission. Roles scoped to an app's
object (chair, secretary, member of a body) are recorded by that app (a body membership); the app hands
the core a ``RoleProvider`` from its ``AppConfig.ready()`` (``registry.register_role_provider``), so that
`/roller/`, the start page and ``selectors.holders_of`` see every role without the core knowing the app.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from django.apps import apps
from django.contrib.auth.models import User
from django.db import models

from samverkan import registry
from samverkan.models import County, Role

ASSIGNMENT = "tilldelning"  # the kind of a role recorded by the core, as it appears in URLs


@dataclass(frozen=True)
class RoleSpec:
    scope_model: str  # "app_label.ModelName"
    permission: str  # codename of the object permission on the scope model

    @property
    def model(self) -> type[models.Model]:
        return apps.get_model(self.scope_model)

    @property
    def perm(self) -> str:
        return f"{self.model._meta.app_label}.{self.permission}"


ROLE_SPECS: dict[str, RoleSpec] = {
    Role.OFFICIAL: RoleSpec("samverkan.Organisation", "act_for_organisation"),
    Role.EDITOR: RoleSpec("samverkan.County", "edit_agreements"),
    Role.COUNTY_ADMIN: RoleSpec("samverkan.County", "administer_county"),
}


@dataclass(frozen=True)
class HeldRole:
    """One role a person holds, however it is recorded: ``kind`` says where (``ASSIGNMENT`` for the
    core's own record, a provider's ``kind`` otherwise) and ``held_id`` which record."""

    kind: str
    held_id: int
    user_id: int
    role: str
    scope: models.Model

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.held_id}"

    def get_role_display(self) -> str:
        return str(Role(self.role).label)

    def __str__(self) -> str:
        return f"{self.get_role_display()}, {self.scope}"


class RoleProvider(Protocol):
    """What an app that records some roles itself hands the core."""

    kind: str  # a slug for URLs, e.g. "organ"
    roles: frozenset[str]  # the Role values it records
    scope_model: str  # "app_label.ModelName" of the scope of those roles (with a ``county`` field)

    def held(self, user_ids: Iterable[int]) -> list[HeldRole]:
        """The roles the users hold today."""

    def give(self, *, user: User, role: str, scope: models.Model, by: User | None, reason: str) -> HeldRole:
        """Give the role (idempotent: a role already held is returned); raises ValidationError."""

    def end(self, *, held_id: int, by: User | None, reason: str) -> None:
        """End the held role from today; raises ObjectDoesNotExist for a record not held today."""

    def holders(self, roles: Iterable[str], scope_ids: models.QuerySet | Iterable[int]) -> models.QuerySet:
        """Users who hold any of ``roles`` today on any of the scopes."""


def scope_county(scope: models.Model) -> County:
    """The county a role scope belongs to: the county itself, or the county of an organisation or body."""
    return scope if isinstance(scope, County) else scope.county


def scope_county_id(scope: models.Model) -> int:
    """Like ``scope_county`` but without loading the county."""
    return scope.pk if isinstance(scope, County) else scope.county_id


def held_from_assignment(assignment) -> HeldRole:
    return HeldRole(ASSIGNMENT, assignment.pk, assignment.user_id, assignment.role, assignment.scope)


def scope_model(role: str) -> type[models.Model]:
    """The model a role is scoped to (an organisation, a county, or an app's object such as a body)."""
    provider = registry.role_provider(role)
    return apps.get_model(provider.scope_model) if provider else ROLE_SPECS[role].model
