"""Who may see and edit agreements.

The public (and everybody else) reads adopted versions and the superseded history of every agreement.
Drafts are visible only to editors of the agreement's county, who alone may revise and adopt.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet

from agreements.models import Agreement, AgreementVersion, Duty
from samverkan import permissions as core
from samverkan.permissions import AnyUser


def versions_visible(user: AnyUser) -> QuerySet[AgreementVersion]:
    published = ~Q(status=AgreementVersion.Status.DRAFT)
    if not user.is_authenticated:
        return AgreementVersion.objects.filter(published)
    return AgreementVersion.objects.filter(published | Q(agreement__county__in=core.counties_editable(user)))


def agreements_visible(user: AnyUser) -> QuerySet[Agreement]:
    """Agreements with at least one version the user may read."""
    return Agreement.objects.filter(Exists(versions_visible(user).filter(agreement=OuterRef("pk"))))


def duties_visible(user: AnyUser) -> QuerySet[Duty]:
    """Duties of the versions the user may read (a draft's duties only for its county's editors)."""
    return Duty.objects.filter(version__in=versions_visible(user))


def can_edit(user: AnyUser, agreement: Agreement) -> bool:
    """May the user revise the agreement: create and edit drafts, and adopt them?"""
    return core.can_edit_agreements_of(user, agreement.county)


def agreements_editable(user: AnyUser) -> QuerySet[Agreement]:
    return Agreement.objects.filter(county__in=core.counties_editable(user))


def can_watch_notices(user: AnyUser) -> bool:
    """Editors (of any county) see the notice watch for their counties."""
    return core.counties_editable(user).exists()


def can_import(user: AnyUser) -> bool:
    """May the user bring agreements into the portal (from a file or a form) at all? Editors."""
    return core.counties_editable(user).exists()


def can_import_into(user: AnyUser, county) -> bool:
    return core.can_edit_agreements_of(user, county)


def counties_for_new_agreements(user: AnyUser) -> QuerySet:
    return core.counties_editable(user)


def can_keep_law_catalogue(user: AnyUser) -> bool:
    """The law catalogue is national: superusers keep it."""
    return user.is_authenticated and user.is_active and user.is_superuser
