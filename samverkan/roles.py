"""What each role means: which kind of object it is scoped to, which object permission it grants there,
and which group (for model-level permissions) its holders belong to."""

from dataclasses import dataclass

from django.apps import apps
from django.db import models

from samverkan.models import County, Role


@dataclass(frozen=True)
class RoleSpec:
    scope_model: str  # "app_label.ModelName"
    permission: str  # codename of the object permission on the scope model
    group: str  # name of the Django group every holder of the role belongs to

    @property
    def model(self) -> type[models.Model]:
        return apps.get_model(self.scope_model)

    @property
    def perm(self) -> str:
        return f"{self.model._meta.app_label}.{self.permission}"


ROLE_SPECS: dict[str, RoleSpec] = {
    Role.OFFICIAL: RoleSpec("samverkan.Organisation", "act_for_organisation", "Tjänstepersoner"),
    Role.EDITOR: RoleSpec("samverkan.County", "edit_agreements", "Redaktörer"),
    Role.COUNTY_ADMIN: RoleSpec("samverkan.County", "administer_county", "Länsadministratörer"),
    Role.CHAIR: RoleSpec("governance.Body", "chair_body", "Ordförande"),
    Role.SECRETARY: RoleSpec("governance.Body", "secretary_of_body", "Sekreterare"),
    Role.MEMBER: RoleSpec("governance.Body", "member_of_body", "Ledamöter"),
}


def scope_county(scope: models.Model) -> County:
    """The county a role scope belongs to: the county itself, or the county of an organisation or body."""
    return scope if isinstance(scope, County) else scope.county


def scope_county_id(scope: models.Model) -> int:
    """Like ``scope_county`` but without loading the county."""
    return scope.pk if isinstance(scope, County) else scope.county_id
