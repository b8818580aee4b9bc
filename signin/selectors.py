"""Reads of the sign-in app."""

from django.db.models import QuerySet

from signin.models import Connection


def connections_usable() -> QuerySet[Connection]:
    """The connections the login page offers: active, with their organisation and county."""
    return (
        Connection.objects.filter(active=True)
        .select_related("organisation__county")
        .order_by("organisation__name")
    )


def connection_for_email(email: str) -> Connection | None:
    """The active connection whose e-mail domains include the address's domain."""
    domain = email.rpartition("@")[2].strip().lower()
    if not domain:
        return None
    for connection in Connection.objects.filter(active=True, email_domains__icontains=domain).select_related(
        "organisation"
    ):
        if domain in connection.domains:
            return connection
    return None
