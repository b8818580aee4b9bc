from samverkan import permissions
from samverkan.models import Role, RoleAssignment
from tests.factories import county, organisation


def test_official_acts_for_own_organisation_but_not_for_another(karlskrona_official):
    assert permissions.can_act_for(karlskrona_official, organisation("1080"))
    assert not permissions.can_act_for(karlskrona_official, organisation("1081"))


def test_anonymous_acts_for_nobody(db, anonymous):
    assert not permissions.organisations_acting_for(anonymous).exists()


def test_superuser_acts_for_no_organisation_without_the_role(superuser):
    assert not permissions.organisations_acting_for(superuser).exists()


def test_editor_edits_own_county_agreements_only(blekinge_editor):
    assert permissions.can_edit_agreements_of(blekinge_editor, county("10"))
    assert not permissions.can_edit_agreements_of(blekinge_editor, county("08"))


def test_official_is_not_an_editor(karlskrona_official):
    assert not permissions.can_edit_agreements_of(karlskrona_official, county("10"))


def test_county_admin_manages_roles_in_own_county_only(blekinge_admin, ronneby_official, kalmar_official):
    assert permissions.can_manage_roles(blekinge_admin)
    assert permissions.users_manageable(blekinge_admin).filter(pk=ronneby_official.pk).exists()
    assert not permissions.users_manageable(blekinge_admin).filter(pk=kalmar_official.pk).exists()


def test_officials_and_editors_do_not_manage_roles(karlskrona_official, blekinge_editor):
    assert not permissions.can_manage_roles(karlskrona_official)
    assert not permissions.can_manage_roles(blekinge_editor)


def test_county_admin_assigns_roles_in_own_county(blekinge_admin, lsvo):
    assert permissions.can_assign_role(blekinge_admin, Role.OFFICIAL, organisation("1081"))
    assert permissions.can_assign_role(blekinge_admin, Role.EDITOR, county("10"))
    assert permissions.can_assign_role(blekinge_admin, Role.CHAIR, lsvo)
    assert not permissions.can_assign_role(blekinge_admin, Role.OFFICIAL, organisation("0880"))
    assert not permissions.can_assign_role(blekinge_admin, Role.EDITOR, county("08"))


def test_only_superusers_make_county_admins(blekinge_admin, superuser):
    assert not permissions.can_assign_role(blekinge_admin, Role.COUNTY_ADMIN, county("10"))
    assert permissions.can_assign_role(superuser, Role.COUNTY_ADMIN, county("10"))
    assert not permissions.assignable_scopes(blekinge_admin, Role.COUNTY_ADMIN).exists()


def test_assignable_scopes_are_the_admins_county(blekinge_admin):
    codes = set(permissions.assignable_scopes(blekinge_admin, Role.OFFICIAL).values_list("code", flat=True))
    assert codes == {"R10", "1060", "1080", "1081", "1082", "1083"}


def test_a_body_role_is_a_membership_of_the_body_not_an_assignment(lsvo_chair, lsvo):
    assert lsvo_chair.memberships.get().body == lsvo
    assert not RoleAssignment.objects.filter(user=lsvo_chair).exists()
