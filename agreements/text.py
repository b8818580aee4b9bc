"""Text of sections and descriptions as stored (written in the light text format, samverkan/richtext.py)
and search headlines as shown."""

import nh3
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


def clean_text(text: str) -> str:
    """Normalise line endings and drop trailing blanks and control characters."""
    text = "".join(ch for ch in text.replace("\r\n", "\n") if ch == "\n" or ch == "\t" or ch >= " ")
    return "\n".join(line.rstrip() for line in text.strip().split("\n"))


START, STOP = "\x02", "\x03"  # markers PostgreSQL puts around matched words; never in stored text


def render_highlight(text: str) -> SafeString:
    """Escape a search headline and turn its markers into <mark> elements."""
    marked = escape(text).replace(START, "<mark>").replace(STOP, "</mark>")
    return mark_safe(nh3.clean(marked, tags={"mark"}, attributes={}))  # noqa: S308
