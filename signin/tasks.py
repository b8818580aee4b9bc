"""Background work of the sign-in app."""

import logging

from django.tasks import task

logger = logging.getLogger(__name__)


@task
def metadata_refresh_run() -> int:
    """The daily refresh of every SAML connection's metadata from its URL (signature checked). A provider
    that fails keeps its stored metadata; the failure is logged. Returns how many were refreshed."""
    from signin import services
    from signin.metadata import MetadataError
    from signin.models import Connection

    refreshed = 0
    for connection in Connection.objects.filter(protocol="saml", active=True).exclude(metadata_url=""):
        try:
            services.connection_metadata_refresh(connection=connection, reason="Daglig hämtning av metadata")
        except MetadataError as error:
            logger.warning("Metadata för %s hämtades inte: %s", connection.organisation, error)
        else:
            refreshed += 1
    return refreshed
