"""A misspelled word is corrected to the nearest word of the published agreements (SearchWord)."""

from datetime import date

from django.db import connection
from django.urls import reverse

from agreements import services
from agreements.models import Duty, SearchWord, Side
from agreements.selectors import search, spelling_corrected
from tests.factories import agreement

HJALPMEDLEN = "förskrivning av hjälpmedlen i särskilt boende"


def matched(results) -> set[str]:
    return {
        duty.text
        for group in results.groups
        for hit in group.hits
        for duty in (*hit.municipal, *hit.region, *hit.shared)
        if duty.pk in hit.matched
    }


# The words


def test_adopting_a_version_adds_the_words_of_its_texts_with_how_many_texts_use_them(db):
    agreement()
    words = dict(SearchWord.objects.values_list("word", "uses"))
    assert words["hjälpmedlen"] == 1
    assert words["hjälpmedel"] >= 1  # the area's name
    assert SearchWord.objects.get(word="hjälpmedlen").stem == "hjälpmedl"
    assert "och" not in words and "i" not in words  # stop words and short words are left out


def test_a_draft_adds_no_words_until_it_is_adopted(db):
    first = agreement()
    draft = services.version_revision_create(agreement=first.agreement, by=None, reason="Test")
    services.duty_update(
        duty=Duty.objects.get(version=draft, text=HJALPMEDLEN),
        side=Side.MUNICIPAL,
        text="förskrivning av hjälpmedlen i hemtjänstens trygghetslarm",
        by=None,
        reason="Test",
    )
    assert not SearchWord.objects.filter(word="trygghetslarm").exists()
    assert spelling_corrected("trygghetslam") is None  # a draft's words are never suggested

    services.version_adopt(
        version=draft, adopted_on=date(2025, 1, 1), decision_reference="§ 1", change="Test", by=None
    )
    assert SearchWord.objects.filter(word="trygghetslarm").exists()
    assert spelling_corrected("trygghetslam") == "trygghetslarm"


def test_the_words_are_added_in_the_database_whatever_writes_the_version(db):
    """The trigger, not a service, keeps the words: a status changed by SQL adds them too."""
    version = agreement(status="draft")
    assert not SearchWord.objects.exists()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE agreements_agreementversion SET status = 'adopted', adopted_on = %s, effective_from = %s"
            " WHERE id = %s",
            [date(2024, 1, 1), date(2024, 1, 1), version.pk],
        )
    assert SearchWord.objects.filter(word="hjälpmedlen").exists()


# Correcting


def test_a_misspelled_word_is_corrected_to_the_nearest_published_word(db):
    agreement()
    assert spelling_corrected("hjälpmedlem") == "hjälpmedlen"
    assert spelling_corrected("vem ansvarar för förskrvning") == "förskrivning"


def test_a_word_the_search_finds_is_not_corrected(db):
    agreement()
    assert spelling_corrected("hjälpmedel") is None
    assert spelling_corrected("förskrivningen") is None
    assert spelling_corrected("förskrivnig") is None  # its stem, förskrivn, begins förskrivning


def test_a_form_the_full_text_search_would_miss_is_corrected_to_the_form_the_agreements_use(db):
    agreement()
    assert spelling_corrected("särskilda") == "särskilt"  # särskild:* does not find särskilt


def test_short_words_and_words_with_digits_are_left_alone(db):
    agreement()
    assert spelling_corrected("LVN") is None
    assert spelling_corrected("SoL 4 kap") is None
    assert spelling_corrected("hjälp2medel") is None


def test_without_a_near_word_nothing_is_corrected(db):
    agreement()
    assert spelling_corrected("xylofonen") is None


def test_only_the_misspelled_word_of_several_is_corrected(db):
    agreement()
    assert spelling_corrected("hjälpmedlen särskillt") == "hjälpmedlen särskilt"


# The search


def test_a_misspelled_word_finds_what_the_corrected_word_finds(db, anonymous):
    agreement()
    results = search(anonymous, "hjälpmedlem")
    assert results.corrected == "hjälpmedlen"
    assert matched(results) == {HJALPMEDLEN}


def test_exact_searches_the_words_as_written(db, anonymous):
    agreement()
    results = search(anonymous, "hjälpmedlem", exact=True)
    assert (results.corrected, results.groups, results.sections) == (None, [], [])


def test_a_correctly_spelled_search_says_nothing_of_corrections(db, anonymous):
    agreement()
    results = search(anonymous, "hjälpmedlen")
    assert results.corrected is None
    assert matched(results) == {HJALPMEDLEN}


def test_the_page_says_what_it_searched_for_and_offers_the_words_as_written(db, client):
    agreement()
    html = client.get(reverse("agreements:search"), {"q": "hjälpmedlem"}).content.decode()
    assert "Visar träffar för <strong>hjälpmedlen</strong>" in html
    assert "Sök i stället efter ”hjälpmedlem”" in html
    assert "exakt=1" in html

    exact = client.get(reverse("agreements:search"), {"q": "hjälpmedlem", "exakt": "1"}).content.decode()
    assert "Visar träffar för" not in exact
    assert "Inga åtaganden matchar sökningen" in exact


def test_the_correction_is_escaped_on_the_page(db, client):
    agreement()
    html = client.get(reverse("agreements:search"), {"q": "<b>hjälpmedlem</b>"}).content.decode()
    assert "<b>hjälpmedlem" not in html
