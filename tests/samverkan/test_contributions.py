"""What one app adds to another's pages through the core: actions on a duty, blocks on a page."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.utils.html import format_html
from django.utils.safestring import SafeString

from samverkan import actions, blocks


@pytest.fixture
def no_duty_actions(monkeypatch):
    monkeypatch.setattr(actions, "_duty_actions", [])


@pytest.fixture
def no_blocks(monkeypatch):
    monkeypatch.setattr(blocks, "_blocks", blocks.defaultdict(list))


def test_a_duty_action_is_offered_only_to_users_its_check_admits(no_duty_actions):
    actions.register_duty_action("Fråga", lambda duty: f"/fraga/{duty}", lambda user: user.is_authenticated)
    actions.register_duty_action("Läs", lambda duty: f"/las/{duty}", lambda user: True)
    assert [a.label for a in actions.duty_actions_for(AnonymousUser())] == ["Läs"]


def test_registering_a_duty_action_again_replaces_it(no_duty_actions):
    actions.register_duty_action("Fråga", lambda duty: "/gammal", lambda user: True)
    actions.register_duty_action("Fråga", lambda duty: f"/ny/{duty}", lambda user: True)
    [action] = actions.duty_actions_for(AnonymousUser())
    assert action.url(7) == "/ny/7"


def test_a_page_shows_its_blocks_in_order_and_leaves_out_empty_ones(no_blocks):
    def first(request, obj):
        return format_html("<p>{}</p>", obj)

    blocks.register_block("sida", first)
    blocks.register_block("sida", lambda request, obj: SafeString(""))
    blocks.register_block("sida", first)  # a second ready() adds nothing
    blocks.register_block("annan", lambda request, obj: format_html("<p>annan</p>"))
    assert blocks.blocks_for("sida", RequestFactory().get("/"), "LSVO") == ["<p>LSVO</p>"]
