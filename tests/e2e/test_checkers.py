"""The checkers themselves: a checker that cannot fail would let every journey pass."""

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
