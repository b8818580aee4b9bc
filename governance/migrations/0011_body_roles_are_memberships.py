"""Body roles are memberships: a chair, secretary or member given through /roller/ (a RoleAssignment with
a guardian permission on the body, which governance never read) becomes a membership from the day it was
given, unless the person already holds that role in the body. The assignments, their permissions and
the body's permission codenames go."""

from django.db import migrations
from django.utils import timezone

BODY_PERMISSIONS = ["chair_body", "secretary_of_body", "member_of_body"]
KIND = {"chair": "chair", "vice_chair": "vice_chair", "secretary": "secretary", "member": "member"}
REASON = "Rollen från /roller/ är nu ett medlemskap i organet"
ROLE_REASON = "Rollen finns nu som medlemskap i organet"


def _organisation(apps, user_id, body):
    Profile = apps.get_model("samverkan", "Profile")
    Organisation = apps.get_model("samverkan", "Organisation")
    profile = Profile.objects.filter(user_id=user_id).select_related("organisation").first()
    if profile and profile.organisation_id:
        return profile.organisation
    # Nobody can be a member without an organisation: fall back on the county's region.
    county_orgs = Organisation.objects.filter(county_id=body.county_id).order_by("-kind", "pk")
    return county_orgs.filter(kind="region").first() or county_orgs.first()


def forward(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    RoleAssignment = apps.get_model("samverkan", "RoleAssignment")
    HistoricalRoleAssignment = apps.get_model("samverkan", "HistoricalRoleAssignment")
    Body = apps.get_model("governance", "Body")
    Membership = apps.get_model("governance", "Membership")
    HistoricalMembership = apps.get_model("governance", "HistoricalMembership")
    Permission = apps.get_model("auth", "Permission")
    body_type = ContentType.objects.filter(app_label="governance", model="body").first()
    if body_type is None:
        return
    now = timezone.now()
    today = timezone.localdate()
    for assignment in RoleAssignment.objects.filter(scope_type=body_type).order_by("pk"):
        body = Body.objects.filter(pk=assignment.scope_id).first()
        kind = KIND.get(assignment.role)
        if body is not None and kind is not None:
            held = Membership.objects.filter(
                body=body, user_id=assignment.user_id, role=kind, starts_on__lte=today
            ).exclude(ends_on__lt=today)
            organisation = _organisation(apps, assignment.user_id, body)
            if not held.exists() and organisation is not None:
                starts_on = min(timezone.localdate(assignment.created_at), today)
                membership = Membership.objects.create(
                    body=body,
                    user_id=assignment.user_id,
                    organisation=organisation,
                    role=kind,
                    starts_on=starts_on,
                )
                HistoricalMembership.objects.create(
                    id=membership.pk,
                    body_id=body.pk,
                    user_id=assignment.user_id,
                    organisation_id=organisation.pk,
                    function="",
                    role=kind,
                    starts_on=starts_on,
                    ends_on=None,
                    history_date=now,
                    history_type="+",
                    history_change_reason=REASON,
                )
        fields = {f.attname: getattr(assignment, f.attname) for f in RoleAssignment._meta.concrete_fields}
        HistoricalRoleAssignment.objects.create(
            **fields, history_date=now, history_type="-", history_change_reason=ROLE_REASON
        )
        assignment.delete()
    # Deleting the codenames deletes every guardian grant of them (user and group object permissions).
    Permission.objects.filter(content_type=body_type, codename__in=BODY_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("guardian", "0002_generic_permissions_index"),
        ("governance", "0010_change_request_personal_data"),
        ("samverkan", "0007_vice_chair_role_and_no_groups"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="body",
            options={
                "ordering": ["county__name", "name"],
                "verbose_name": "samverkansorgan",
                "verbose_name_plural": "samverkansorgan",
            },
        ),
        migrations.RunPython(forward, migrations.RunPython.noop),
    ]
