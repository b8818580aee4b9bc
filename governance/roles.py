"""Body roles are memberships. Governance tells the core about them (``samverkan.roles.RoleProvider``),
so that a chair, secretary or member given from `/roller/` is a member of the body like one added on the
body's page, and ending the role there ends the membership."""

from collections.abc import Iterable

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.models import Body, Membership
from samverkan.models import Role
from samverkan.roles import HeldRole

# The portal role each kind of membership gives, and back.
MEMBERSHIP_ROLES = {
    Membership.Role.CHAIR: Role.CHAIR,
    Membership.Role.VICE_CHAIR: Role.VICE_CHAIR,
    Membership.Role.SECRETARY: Role.SECRETARY,
    Membership.Role.MEMBER: Role.MEMBER,
    Membership.Role.CO_OPTED: Role.MEMBER,
}
ROLE_MEMBERSHIPS = {
    role: [kind for kind, given in MEMBERSHIP_ROLES.items() if given == role]
    for role in set(MEMBERSHIP_ROLES.values())
}


class BodyRoles:
    kind = "organ"
    roles = frozenset(ROLE_MEMBERSHIPS)
    scope_model = "governance.Body"

    @staticmethod
    def _today() -> QuerySet[Membership]:
        return Membership.objects.in_force(timezone.localdate())

    def _held(self, membership: Membership) -> HeldRole:
        return HeldRole(
            self.kind, membership.pk, membership.user_id, MEMBERSHIP_ROLES[membership.role], membership.body
        )

    def held(self, user_ids: Iterable[int]) -> list[HeldRole]:
        memberships = self._today().filter(user_id__in=user_ids).select_related("body__county")
        return [self._held(m) for m in memberships.order_by("body__name", "role", "pk")]

    def give(self, *, user: User, role: str, scope: Body, by: User | None, reason: str) -> HeldRole:
        from governance import services

        existing = self._today().filter(user=user, body=scope, role__in=ROLE_MEMBERSHIPS[role]).first()
        if existing is not None:
            return self._held(existing)
        organisation = getattr(getattr(user, "profile", None), "organisation", None)
        if organisation is None:
            raise ValidationError(
                {"scope": _("Personen har ingen organisation och kan därför inte bli medlem i ett organ.")}
            )
        membership = services.membership_add(
            body=scope,
            user=user,
            organisation=organisation,
            role=ROLE_MEMBERSHIPS[role][0],
            starts_on=timezone.localdate(),
            by=by,
            reason=reason,
        )
        return self._held(membership)

    def end(self, *, held_id: int, by: User | None, reason: str) -> None:
        from governance import services

        services.membership_end_now(membership=self._today().get(pk=held_id), by=by, reason=reason)

    def holders(self, roles: Iterable[str], scope_ids) -> QuerySet[User]:
        kinds = [kind for role in roles for kind in ROLE_MEMBERSHIPS[role]]
        memberships = self._today().filter(body_id__in=scope_ids, role__in=kinds)
        return User.objects.filter(pk__in=memberships.values("user_id"))


body_roles = BodyRoles()
