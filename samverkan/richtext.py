"""The light text format of agreements' sections, bodies' mandates and protocol notes: paragraphs separated
by blank lines, and lines starting with "- " as bulleted lists. Text is stored as written and only ever
escaped when rendered, so markup typed or pasted into it is shown as text and can never run in a browser.
Templates use it as {% load richtext %}{{ text|richtext }}."""

import nh3
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

RENDERED_TAGS = {"p", "ul", "li"}


def render_text(text: str) -> SafeString:
    """HTML for a text in the light format."""
    blocks = []
    for block in text.strip().split("\n\n"):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        if not lines:
            continue
        paragraph, items = [], []
        for line in lines:
            if line.startswith("- "):
                if paragraph:
                    blocks.append(f"<p>{escape(' '.join(paragraph))}</p>")
                    paragraph = []
                items.append(line[2:].strip())
            else:
                if items:
                    blocks.append(_list(items))
                    items = []
                paragraph.append(line)
        if paragraph:
            blocks.append(f"<p>{escape(' '.join(paragraph))}</p>")
        if items:
            blocks.append(_list(items))
    # Every piece of text above is escaped; nh3 then keeps only the tags this function writes, so a slip here
    # can never put a script or an attribute on a page.
    return mark_safe(nh3.clean("\n".join(blocks), tags=RENDERED_TAGS, attributes={}))  # noqa: S308


def _list(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{escape(item)}</li>" for item in items) + "</ul>"
