"""What agreements shows on other apps' pages (samverkan.blocks), registered in AgreementsConfig.ready()."""

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from agreements import permissions


def body_agreements_block(request: HttpRequest, body) -> SafeString:
    """The agreements the body has adopted and the user may read, for the body's page."""
    adopted = permissions.agreements_visible(request.user).filter(adopting_body=body).order_by("title")
    return render_to_string("agreements/includes/adopted_by_body.html", {"agreements": adopted}, request)
