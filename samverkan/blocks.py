"""Blocks one app adds to another app's page, such as the agreements a body has adopted on the body's page.

The page's app renders whatever is registered for it without knowing the apps behind the blocks: an app
registers a block from its AppConfig.ready(), as a function of the request and the page's object that
returns HTML (usually render_to_string of one of its templates, empty when it has nothing to show).
"""

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.utils.safestring import SafeString

BODY_PAGE = "governance:body"  # the page of a governance body (samverkansorgan)
AGREEMENT_PAGE = "agreements:detail"  # the page of an agreement (and of each of its versions)

Block = Callable[[HttpRequest, Any], SafeString]

_blocks: defaultdict[str, list[Block]] = defaultdict(list)


def register_block(page: str, block: Block) -> None:
    """Show block on the page, after the blocks registered before it. Registering it again does nothing."""
    if block not in _blocks[page]:
        _blocks[page].append(block)


def blocks_for(page: str, request: HttpRequest, obj: Any) -> list[SafeString]:
    """The page's blocks rendered for the request and object, leaving out the empty ones."""
    return [html for block in _blocks[page] if (html := block(request, obj))]
