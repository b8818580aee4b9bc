"""Swedish full-text queries.

A question such as "vem ansvarar för LVM?" is searched for what it asks about ("LVM"): the question words
are left out. Words of the field also find their known synonyms (avgiftning finds abstinens).

PostgreSQL's Swedish stemmer leaves inflections with a dropped e apart: "hjälpmedel" → 'hjälpmedel' but
"hjälpmedlen" → 'hjälpmedl'. So every word of a query matches as a prefix of its stem (which also finds
compounds such as "hjälpmedelscentral"), and words that end in an unstressed -el, -en or -er also match
the form without the e, and inflected forms also match the base form with it.
"""

import re

from django.contrib.postgres.search import SearchQuery

CONFIG = "swedish"
VOWELS = "aeiouyåäö"
_WORD = re.compile(r"\w+", re.UNICODE)
_BASE_WITH_E = re.compile(rf"^(.*[^{VOWELS}])e([lnr])$")  # hjälpmedel -> hjälpmed + l
_INFLECTED = re.compile(rf"^(.*[^{VOWELS}])([lnr])(?:en|et|er|ar|arna|erna|ens|ets|na|a|e)$")  # hjälpmedlen


# Words that frame a question rather than say what it is about. Left out of a query unless nothing else is
# left. Kept short and deliberate: every word here can never be searched for on its own in a longer query.
QUESTION_WORDS = frozenset(
    """
    vem vilka vilken vilket vad hur var varför när vart ansvarar ansvara ansvarig ansvariga står
    för som är om gäller det den de en ett har ska skall kan får i på av till med och eller vid
    """.split()  # noqa: SIM905 -- a word list reads better as words
)

# Synonyms used in the field, each group searched as one word. Maintained here: add a group when users
# search for one word and the agreements say another.
SYNONYMS: tuple[frozenset[str], ...] = tuple(
    frozenset(group.split())
    for group in (
        "avgiftning abstinens abstinensbehandling",
        "missbruk beroende",
        "spelmissbruk spelberoende",
        "funktionsnedsättning funktionshinder funktionsvariation",
        "läkemedel medicin mediciner",
        "försörjningsstöd bistånd",
        "bostad boende",
        "tandvård tandhälsa",
    )
)


def synonyms_of(word: str) -> list[str]:
    """The word and the words the field uses for the same thing, the word itself first."""
    word = word.lower()
    found = [word]
    for group in SYNONYMS:
        if word in group:
            found.extend(sorted(group - {word}))
    return list(dict.fromkeys(found))


def query_words(text: str) -> list[str]:
    """The words a search is about: the question words left out (unless they are all there is)."""
    words = [w for w in _WORD.findall(text) if not w.isdigit() or len(w) > 1][:12]
    about = [w for w in words if w.lower() not in QUESTION_WORDS]
    return about or words


def word_variants(word: str) -> list[str]:
    """The forms a query word should match, e.g. hjälpmedel → [hjälpmedel, hjälpmedl]."""
    word = word.lower()
    variants = [word]
    if len(word) >= 5:
        if match := _BASE_WITH_E.match(word):
            variants.append(match[1] + match[2])
        if match := _INFLECTED.match(word):
            variants.append(match[1] + "e" + match[2])
    return list(dict.fromkeys(variants))


def tsquery_text(text: str, *, any_word: bool = False) -> str | None:
    """The text of a ``to_tsquery`` where every word (or, with any_word, some word) matches in one of its
    forms, as a prefix. None when the text has no words."""
    words = query_words(text)
    if not words:
        return None
    terms = [
        "(" + " | ".join(f"{v}:*" for synonym in synonyms_of(w) for v in word_variants(synonym)) + ")"
        for w in words
    ]
    return (" | " if any_word else " & ").join(terms)


def swedish_query(text: str, *, any_word: bool = False) -> SearchQuery | None:
    """``tsquery_text`` as a query for the ORM."""
    raw = tsquery_text(text, any_word=any_word)
    return None if raw is None else SearchQuery(raw, config=CONFIG, search_type="raw")
