"""Writes for the core. Each function is atomic and leaves an attributable history entry.

A county administrator's people (invite one, import many from a file, edit, deactivate, reactivate) are
recorded in the account's own history (samverkan.models.UserHistory) and the profile's."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Model, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from samverkan import pagecache, registry, selectors
from samverkan.history import attribute
from samverkan.invitations import invitation_token
from samverkan.models import (
    ApiRequestCount,
    County,
    FailedLogin,
    Organisation,
    OrganisationUnit,
    Profile,
    Role,
    RoleAssignment,
)
from samverkan.roles import ASSIGNMENT, ROLE_SPECS, HeldRole, held_from_assignment, scope_model


@pagecache.changes()
@transaction.atomic
def role_assign(*, user: User, role: str, scope: Model, by: User | None, reason: str) -> HeldRole:
    """Give ``user`` the ``role`` on ``scope`` (organisation, county or an app's object such as a body).

    The core records its own roles with the permission they imply; a role an app records (a body's chair
    is a membership) is given through that app's provider. Idempotent: a role already held is returned.
    """
    provider = registry.role_provider(role)
    if provider is not None:
        if not isinstance(scope, scope_model(role)):
            raise ValidationError({"scope": _("Rollen gäller %(kind)s.") % {"kind": _kind(role)}})
        return provider.give(user=user, role=role, scope=scope, by=by, reason=reason)
    spec = ROLE_SPECS[role]
    if not isinstance(scope, spec.model):
        raise ValidationError({"scope": _("Rollen gäller %(kind)s.") % {"kind": _kind(role)}})
    scope_type = ContentType.objects.get_for_model(scope)
    existing = RoleAssignment.objects.filter(
        user=user, role=role, scope_type=scope_type, scope_id=scope.pk
    ).first()
    if existing:
        return held_from_assignment(existing)
    assignment = RoleAssignment(
        user=user, role=role, scope_type=scope_type, scope_id=scope.pk, assigned_by=by
    )
    assignment.full_clean()
    attribute(assignment, by=by, reason=reason)
    assignment.save()
    assign_perm(spec.perm, user, scope)
    return held_from_assignment(assignment)


def _kind(role: str) -> str:
    return str(scope_model(role)._meta.verbose_name)


@pagecache.changes()
@transaction.atomic
def role_remove(*, assignment: RoleAssignment, by: User | None, reason: str) -> None:
    """Withdraw a role the core recorded and the permission it granted; the deletion is kept in history."""
    spec = ROLE_SPECS[assignment.role]
    remove_perm(spec.perm, assignment.user, assignment.scope)
    attribute(assignment, by=by, reason=reason)
    assignment.delete()


@transaction.atomic
def role_end(*, held: HeldRole, by: User | None, reason: str) -> None:
    """End a held role wherever it is recorded: the core's assignment, or the app's record (a body
    membership ends from today)."""
    if held.kind == ASSIGNMENT:
        role_remove(assignment=RoleAssignment.objects.get(pk=held.held_id), by=by, reason=reason)
        return
    provider = registry.role_provider(held.role)
    provider.end(held_id=held.held_id, by=by, reason=reason)


@pagecache.changes()
@transaction.atomic
def person_create(
    *,
    username: str,
    password: str | None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    organisation: Organisation | None = None,
    unit: OrganisationUnit | None = None,
    title: str = "",
    by: User | None,
    reason: str,
) -> User:
    """Create a user with a profile. Without a password the user must set one via password reset."""
    user = User(username=username, first_name=first_name, last_name=last_name, email=email)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    attribute(user, by=by, reason=reason)
    user.save()
    profile = Profile(user=user, organisation=organisation, unit=unit, title=title)
    profile.full_clean()
    attribute(profile, by=by, reason=reason)
    profile.save()
    return user


def login_failure_record(*, username: str, ip_address: str | None) -> None:
    FailedLogin.objects.create(username=FailedLogin.name_key(username), ip_address=ip_address)


def login_success_record(*, username: str, window_seconds: int) -> None:
    """Forget a user's failures once they log in; drop failures older than the window for everybody."""
    since = timezone.now() - timedelta(seconds=window_seconds)
    FailedLogin.objects.filter(Q(username=FailedLogin.name_key(username)) | Q(at__lt=since)).delete()


def login_lock_lift(*, username: str) -> None:
    """Forget the failures counted on a name (its owner has proved who they are, e.g. by a password reset).
    They still count against the addresses they came from."""
    FailedLogin.objects.filter(username=FailedLogin.name_key(username)).update(username="")


def api_request_count(*, client: str, window_start, window_seconds: int) -> int:
    """Count one API request from ``client`` in the rate window that starts at ``window_start`` and return
    the window's count so far. One atomic upsert, so concurrent app servers count together. The first
    request of a client's window also drops windows that have ended for everybody, in the same statement,
    so that every API request costs exactly one query."""
    table = connection.ops.quote_name(ApiRequestCount._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH counted AS (INSERT INTO {table} (client, window_start, hits) VALUES (%s, %s, 1) "  # noqa: S608
            f"ON CONFLICT (client, window_start) DO UPDATE SET hits = {table}.hits + 1 RETURNING hits), "
            f"pruned AS (DELETE FROM {table} WHERE window_start < %s "
            f"AND EXISTS (SELECT 1 FROM counted WHERE hits = 1)) "
            f"SELECT hits FROM counted",
            [client[:64], window_start, window_start - timedelta(seconds=window_seconds)],
        )
        hits = cursor.fetchone()[0]
    return hits


@dataclass(frozen=True)
class PersonData:
    """What a county administrator states about a person (the invite form, or one row of a file)."""

    name: str
    email: str
    organisation: Organisation
    unit: OrganisationUnit | None = None
    title: str = ""

    @property
    def first_and_last(self) -> tuple[str, str]:
        """ "Anna Karin Svensson" → ("Anna Karin", "Svensson"): the last word is the surname."""
        words = self.name.split()
        if len(words) < 2:
            return (words[0] if words else "", "")
        return (" ".join(words[:-1]), words[-1])


def person_data_check(*, county: County, data: PersonData, person: User | None = None) -> None:
    """Refuse what does not fit the county: the reasons by field, as a ValidationError."""
    errors: dict[str, list[str]] = {}
    if not data.name.strip():
        errors["name"] = [_("Ange personens namn.")]
    if data.organisation.county_id != county.pk:
        errors["organisation"] = [_("Organisationen hör inte till %(county)s.") % {"county": county}]
    if data.unit is not None and data.unit.organisation_id != data.organisation.pk:
        errors["unit"] = [_("Enheten hör inte till %(org)s.") % {"org": data.organisation}]
    if selectors.email_taken(data.email, besides=person):
        errors["email"] = [_("E-postadressen används redan av ett annat konto i portalen.")]
    if errors:
        raise ValidationError(errors)


@pagecache.changes()
@transaction.atomic
def person_invite(*, county: County, data: PersonData, by: User, reason: str) -> User:
    """Create the person as an official of their organisation, with no password, and e-mail them a one-time
    link to choose one (samverkan.invitations)."""
    person_data_check(county=county, data=data)
    first, last = data.first_and_last
    email = data.email.strip()
    user = person_create(
        username=email.lower(),
        password=None,
        first_name=first,
        last_name=last,
        email=email,
        organisation=data.organisation,
        unit=data.unit,
        title=data.title,
        by=by,
        reason=reason,
    )
    role_assign(user=user, role=Role.OFFICIAL, scope=data.organisation, by=by, reason=reason)
    invitation_send(person=user, by=by)
    return user


@transaction.atomic
def people_import(
    *, county: County, rows: list[PersonData], by: User, reason: str, first_row: int = 1
) -> list[User]:
    """Invite every row, or nobody: the first refusal undoes the rows before it. The refusal names the row
    (the first person is row ``first_row``, e.g. 2 in a file with a header line)."""
    invited = []
    for number, data in enumerate(rows, start=first_row):
        try:
            invited.append(person_invite(county=county, data=data, by=by, reason=reason))
        except ValidationError as error:
            raise ValidationError(
                _("Rad %(row)s: %(reasons)s") % {"row": number, "reasons": " ".join(error.messages)}
            ) from error
    return invited


def invitation_send(*, person: User, by: User) -> None:
    """E-mail the person their link (after the transaction commits). Sent again, the earlier link still
    works until it expires or a password is chosen."""
    from samverkan.tasks import email_enqueue  # by use: importing a task module binds the task backend

    link = settings.SITE_URL.rstrip("/") + reverse("invitation_accept", args=[invitation_token(person)])
    inviter = by.get_full_name() or by.username
    body = _(
        "Hej %(name)s!\n\n%(inviter)s har bjudit in dig till Samverkan, portalen för länets "
        "samverkansöverenskommelser. Välj ditt lösenord här (länken fungerar en gång och i %(days)s dagar):"
        "\n\n%(link)s\n\nDitt användarnamn är %(username)s."
    ) % {
        "name": person.get_full_name() or person.username,
        "inviter": inviter,
        "days": settings.INVITE_LINK_DAYS,
        "link": link,
        "username": person.username,
    }
    email_enqueue(subject=_("Inbjudan till Samverkan"), body=body, to=[person.email])


@pagecache.changes()
@transaction.atomic
def invitation_accept(*, person: User, password: str) -> User:
    """The invited person's chosen password (already checked by the password validators)."""
    person.set_password(password)
    attribute(person, by=person, reason=_("Lösenord valt via inbjudan"))
    person.save()
    return person


@pagecache.changes()
@transaction.atomic
def person_update(*, county: County, person: User, data: PersonData, by: User, reason: str) -> User:
    """Change a person's name, e-mail, organisation, unit and title. Moving to another organisation moves
    the official role with them."""
    person_data_check(county=county, data=data, person=person)
    profile = person.profile
    moved_from = profile.organisation
    person.first_name, person.last_name = data.first_and_last
    person.email = data.email.strip()
    person.full_clean(exclude=["password"])
    attribute(person, by=by, reason=reason)
    person.save(update_fields=["first_name", "last_name", "email"])
    profile.organisation, profile.unit, profile.title = data.organisation, data.unit, data.title
    profile.full_clean()
    attribute(profile, by=by, reason=reason)
    profile.save()
    if moved_from is not None and moved_from != data.organisation:
        for held in selectors.roles_of(person):
            if held.role == Role.OFFICIAL and held.scope == moved_from:
                role_end(held=held, by=by, reason=reason)
        role_assign(user=person, role=Role.OFFICIAL, scope=data.organisation, by=by, reason=reason)
    return person


@pagecache.changes()
@transaction.atomic
def person_deactivate(*, person: User, by: User, reason: str) -> None:
    """The person can no longer sign in; every role they hold ends (a body membership ends from today), and
    the account with its history stays."""
    if person == by:
        raise ValidationError(_("Du kan inte avaktivera ditt eget konto."))
    for held in selectors.roles_of(person):
        role_end(held=held, by=by, reason=reason)
    person.is_active = False
    attribute(person, by=by, reason=reason)
    person.save(update_fields=["is_active"])


@pagecache.changes()
@transaction.atomic
def person_reactivate(*, person: User, by: User, reason: str) -> None:
    """The person may sign in again, as an official of their organisation; other roles are given anew."""
    person.is_active = True
    attribute(person, by=by, reason=reason)
    person.save(update_fields=["is_active"])
    organisation = person.profile.organisation
    if organisation is not None:
        role_assign(user=person, role=Role.OFFICIAL, scope=organisation, by=by, reason=reason)
