"""Property-based tests of the agreement import format: whatever a file holds, the importer answers with a
precise AgreementFileError or a parsed agreement, never with another exception."""

import contextlib

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agreements.importer import AgreementFileError, parse_data, parse_file
from tests.factories import agreement_data

FAST = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
scalars = st.none() | st.booleans() | st.integers(-5, 5000) | st.text(max_size=20) | st.dates()
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12,
)


@FAST
@given(data=values)
def test_arbitrary_data_is_refused_with_a_file_error(db, data):
    try:
        parse_data(data, "fuzz.yaml")
    except AgreementFileError as error:
        assert str(error)


@st.composite
def mutated(draw):
    """A valid agreement with one value somewhere replaced by something arbitrary."""
    data = agreement_data()
    node, path = data, []
    while isinstance(node, dict | list) and node:
        keys = list(node) if isinstance(node, dict) else list(range(len(node)))
        key = draw(st.sampled_from(keys))
        path.append(key)
        if not isinstance(node[key], dict | list) or draw(st.booleans()):
            node[key] = draw(values)
            break
        node = node[key]
    return data


@FAST
@given(data=mutated())
def test_one_bad_value_in_a_valid_agreement_is_refused_precisely_or_accepted(db, data):
    try:
        parse_data(data, "fuzz.yaml")
    except AgreementFileError as error:
        assert "fuzz.yaml" in str(error)


@FAST
@given(text=st.text(max_size=200))
def test_any_file_content_is_refused_or_parsed(db, tmp_path_factory, text):
    path = tmp_path_factory.mktemp("fuzz") / "a.yaml"
    path.write_text(text, encoding="utf-8")
    with contextlib.suppress(AgreementFileError):
        parse_file(path)


def test_the_unmutated_example_parses(db):
    assert parse_data(yaml.safe_load(yaml.safe_dump(agreement_data(), allow_unicode=True)), "ok.yaml")
