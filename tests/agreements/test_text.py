from django.template import Context, Template
from django.utils.safestring import SafeString

from agreements.text import clean_text, render_highlight
from samverkan.richtext import render_text


def test_blank_lines_separate_paragraphs():
    assert render_text("Första stycket\nfortsätter här.\n\nAndra stycket.") == (
        "<p>Första stycket fortsätter här.</p>\n<p>Andra stycket.</p>"
    )


def test_lines_starting_with_a_dash_form_a_list():
    assert render_text("Parterna ska:\n- samverka\n- informera varandra\n\nSlut.") == (
        "<p>Parterna ska:</p>\n<ul><li>samverka</li><li>informera varandra</li></ul>\n<p>Slut.</p>"
    )


def test_text_after_a_list_in_the_same_block_starts_a_new_paragraph():
    assert (
        render_text("- ett\n- två\nEfter listan.")
        == "<ul><li>ett</li><li>två</li></ul>\n<p>Efter listan.</p>"
    )


def test_a_dash_without_a_blank_is_not_a_list():
    assert render_text("-5 grader") == "<p>-5 grader</p>"


def test_markup_is_shown_as_text():
    html = render_text("Detta är <b>fett</b> & <script>alert(1)</script>\n- <i>punkt</i>")
    assert "<b>" not in html
    assert "<script>" not in html
    assert "&lt;b&gt;fett&lt;/b&gt; &amp; &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<li>&lt;i&gt;punkt&lt;/i&gt;</li>" in html


def test_rendered_text_is_safe_for_templates():
    assert isinstance(render_text("Text"), SafeString)
    html = Template("{% load richtext %}{{ text|richtext }}").render(Context({"text": "<b>x</b>"}))
    assert html == "<p>&lt;b&gt;x&lt;/b&gt;</p>"


def test_empty_text_renders_nothing():
    assert render_text("") == ""
    assert render_text("\n\n  \n\n") == ""
    assert Template("{% load richtext %}{{ text|richtext }}").render(Context({"text": None})) == ""


def test_clean_text_normalises_line_endings_and_trailing_blanks():
    assert clean_text("  Rad ett  \r\nRad två\t\r\n\r\n") == "Rad ett\nRad två"


def test_clean_text_drops_control_characters_but_keeps_tabs_and_newlines():
    assert clean_text("a\x00b\x02c\x1bd\te\nf") == "abcd\te\nf"


def test_clean_text_keeps_blank_lines_between_paragraphs():
    assert clean_text("Ett.\n\n- punkt\n") == "Ett.\n\n- punkt"


def test_highlight_escapes_the_text_and_marks_the_matches():
    assert render_highlight("<b>\x02hjälpmedel\x03</b>") == "&lt;b&gt;<mark>hjälpmedel</mark>&lt;/b&gt;"
