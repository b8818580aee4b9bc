"""What deviations shows on other apps' pages (samverkan/blocks.py)."""

from django.http import HttpRequest
from django.template.loader import render_to_string

from deviations import selectors


def agreement_ladders_block(request: HttpRequest, agreement) -> str:
    """The agreement's escalation ladders with their costs, on its page (nothing when it has none)."""
    ladders = selectors.ladders_of(agreement)
    if not ladders:
        return ""
    return render_to_string(
        "deviations/includes/agreement_ladders.html", {"ladders": ladders}, request=request
    )
