"""A body's reporting lines: several parents, never a loop, always in the county; the directory shows every
body, under each body it reports to."""

import pytest
from django.core.exceptions import ValidationError

from governance import selectors, services
from governance.models import ReportingLine
from tests.factories import BodyFactory, county


def lines_set(body, *parents):
    return services.body_update(body=body, values={}, parents=list(parents), by=None, reason="Test")


@pytest.fixture
def line(db):
    """A → B → C: C reports to B, B to A."""
    a, b, c = BodyFactory(name="A"), BodyFactory(name="B"), BodyFactory(name="C")
    lines_set(b, a)
    lines_set(c, b)
    return a, b, c


def names(nodes, depth=0) -> list[str]:
    shown = []
    for node in nodes:
        shown.append("  " * depth + node.body.name)
        shown.extend(names(node.children, depth + 1))
    return shown


def test_a_body_cannot_report_to_itself(line):
    a, _b, _c = line
    with pytest.raises(ValidationError) as refused:
        lines_set(a, a)
    assert "inte rapportera till sig självt" in str(refused.value.message_dict["parents"])


def test_a_longer_loop_is_refused_and_nothing_changes(line):
    a, _b, c = line
    with pytest.raises(ValidationError):
        lines_set(a, c)
    assert not a.parents.exists()


def test_a_loop_through_the_second_parent_is_refused(line):
    a, _b, c = line
    d = BodyFactory(name="D")
    lines_set(a, d)
    with pytest.raises(ValidationError):
        lines_set(d, BodyFactory(name="E"), c)


def test_a_body_of_another_county_cannot_be_a_parent(line):
    a, _b, _c = line
    with pytest.raises(ValidationError) as refused:
        lines_set(a, BodyFactory(county=county("08"), name="Kalmars organ"))
    assert "samma län" in str(refused.value.message_dict["parents"])


def test_a_local_group_reports_to_two_county_wide_groups_and_is_shown_under_both(line):
    a, b, _c = line
    local = BodyFactory(name="Lokal grupp")
    lines_set(local, a, b)
    assert set(local.parents.all()) == {a, b}
    assert names(selectors.body_tree(county("10"))) == [
        "A",
        "  B",
        "    C",
        "    Lokal grupp",
        "  Lokal grupp",
    ]


def test_lines_are_kept_in_the_history(line):
    _a, b, _c = line
    lines_set(b)
    assert ReportingLine.history.filter(body=b, history_type="-").exists()


def test_the_directory_shows_every_body_even_when_a_loop_was_stored(line):
    a, _b, c = line
    ReportingLine.objects.create(body=a, reports_to=c)  # as data from before the rule
    assert sorted(n.strip() for n in names(selectors.body_tree(county("10")))) == ["A", "B", "C"]
