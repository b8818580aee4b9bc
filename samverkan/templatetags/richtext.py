from django import template

from samverkan.richtext import render_text

register = template.Library()


@register.filter
def richtext(value: str):
    """Render the light text format (paragraphs and "- " lists) as escaped HTML."""
    return render_text(value or "")
