"""A body's reporting line: never a loop, and a county's directory shows every body even if one exists."""

import pytest
from django.core.exceptions import ValidationError

from governance import selectors
from governance.models import Body
from tests.factories import BodyFactory, county


@pytest.fixture
def line(db):
    """A → B → C: C reports to B, B to A."""
    a = BodyFactory(name="A")
    b = BodyFactory(name="B", parent=a)
    c = BodyFactory(name="C", parent=b)
    return a, b, c


def test_a_body_cannot_report_to_itself(line):
    a, _b, _c = line
    a.parent = a
    with pytest.raises(ValidationError) as refused:
        a.full_clean()
    assert "inte rapportera till sig självt" in str(refused.value.message_dict["parent"])


def test_a_longer_loop_is_refused_too(line):
    a, _b, c = line
    a.parent = c
    with pytest.raises(ValidationError):
        a.full_clean()


def test_a_body_of_another_county_cannot_be_the_parent(line):
    a, _b, _c = line
    a.parent = BodyFactory(county=county("08"), name="Kalmars organ")
    with pytest.raises(ValidationError) as refused:
        a.full_clean()
    assert "samma län" in str(refused.value.message_dict["parent"])


def test_an_ordinary_line_is_accepted(line):
    _a, _b, c = line
    c.full_clean()


def test_the_directory_shows_every_body_even_when_a_loop_was_stored(line):
    a, _b, c = line
    Body.objects.filter(pk=a.pk).update(parent=c)  # as data from before the rule
    tree = selectors.body_tree(county("10"))
    shown = []

    def walk(nodes):
        for node in nodes:
            shown.append(node.body.name)
            walk(node.children)

    walk(tree)
    assert sorted(shown) == ["A", "B", "C"]
