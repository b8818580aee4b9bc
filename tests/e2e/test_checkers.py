"""The checkers themselves: a checker that cannot fail would let every journey pass."""

import pytest

from tests.e2e.conftest import HtmlCollector


def test_the_html_checker_reports_an_error_with_the_page_it_is_on(tmp_path):
    pages = HtmlCollector(tmp_path)
    pages.add(
        '<!DOCTYPE html><html lang="sv"><head><title>T</title></head><body><p><span>x</p></body></html>',
        url="http://test/trasig/",
        test="test_x",
    )
    pages.add(
        '<!DOCTYPE html><html lang="sv"><head><title>T</title></head><body><p>x</p></body></html>',
        url="http://test/hel/",
        test="test_x",
    )

    errors = pages.errors()

    assert errors
    assert all(error.startswith("http://test/trasig/ (test_x)") for error in errors)


# Serialized rollback as every other test on a live server: a plain transactional test's flush creates the
# content types anew (other ids), and the next test that restores the serialized database then fails on them.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_csp_check_fails_on_an_inline_style_the_policy_refused(visitor_factory, transactional_db):
    visitor = visitor_factory()
    visitor.open("/tillganglighet/")
    visitor.page.evaluate("document.body.insertAdjacentHTML('beforeend', '<p style=\"color: red\">x</p>')")
    visitor.page.wait_for_timeout(300)
    with pytest.raises(AssertionError, match="CSP violation"):
        visitor.assert_no_csp_errors()
