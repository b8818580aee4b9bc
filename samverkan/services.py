"""Writes for the core. Each function is atomic and leaves an attributable history entry."""

from datetime import timedelta

from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Model, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from samverkan import pagecache, registry
from samverkan.history import attribute
from samverkan.models import ApiRequestCount, FailedLogin, Organisation, Profile, RoleAssignment
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
    user.save()
    profile = Profile(user=user, organisation=organisation, title=title)
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
