"""governance 0011: the body roles given at /roller/ before the change become memberships."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.shared import migrate_to as migrate

GUARDIAN = ("guardian", "0003_remove_groupobjectpermission_guardian_gr_content_ae6aec_idx_and_more")
BEFORE = [
    ("governance", "0010_change_request_personal_data"),
    ("samverkan", "0006_personal_data_validators"),
    GUARDIAN,
]
AFTER = [
    ("governance", "0011_body_roles_are_memberships"),
    ("samverkan", "0007_vice_chair_role_and_no_groups"),
    GUARDIAN,
]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_body_roles_from_roller_become_memberships_and_their_grants_go():
    old = migrate(BEFORE)
    try:
        User = old.get_model("auth", "User")
        Organisation = old.get_model("samverkan", "Organisation")
        ContentType = old.get_model("contenttypes", "ContentType")
        Permission = old.get_model("auth", "Permission")
        Group = old.get_model("auth", "Group")
        body = old.get_model("governance", "Body").objects.create(
            county_id=Organisation.objects.get(code="1080").county_id, name="LSVO-test", level="strategic"
        )
        body_type, _ = ContentType.objects.get_or_create(app_label="governance", model="body")
        permission = Permission.objects.create(content_type=body_type, codename="secretary_of_body", name="x")
        Group.objects.create(name="Sekreterare")

        secretary = User.objects.create(username="sara")
        old.get_model("samverkan", "Profile").objects.create(
            user=secretary, organisation=Organisation.objects.get(code="1080")
        )
        homeless = User.objects.create(username="utan")
        assignments = old.get_model("samverkan", "RoleAssignment").objects
        assignments.create(user=secretary, role="secretary", scope_type=body_type, scope_id=body.pk)
        assignments.create(user=homeless, role="member", scope_type=body_type, scope_id=body.pk)
        old.get_model("guardian", "UserObjectPermission").objects.create(
            user=secretary, permission=permission, content_type=body_type, object_pk=str(body.pk)
        )

        new = migrate(AFTER)
        memberships = new.get_model("governance", "Membership").objects.filter(body_id=body.pk)
        by_user = {m.user.username: m for m in memberships.select_related("user", "organisation")}
        assert by_user["sara"].role == "secretary"
        assert by_user["sara"].organisation.code == "1080"
        assert by_user["sara"].starts_on == timezone.localdate()
        assert by_user["utan"].organisation.code == "R10"  # no organisation of their own: the county's region
        history = new.get_model("governance", "HistoricalMembership").objects.filter(body_id=body.pk)
        assert history.filter(history_type="+").count() == 2
        assert (
            not new.get_model("samverkan", "RoleAssignment")
            .objects.filter(scope_type_id=body_type.pk)
            .exists()
        )
        removed = new.get_model("samverkan", "HistoricalRoleAssignment").objects.filter(history_type="-")
        assert removed.count() == 2
        assert not new.get_model("auth", "Permission").objects.filter(codename="secretary_of_body").exists()
        assert not new.get_model("guardian", "UserObjectPermission").objects.exists()
        assert not new.get_model("auth", "Group").objects.filter(name="Sekreterare").exists()
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
