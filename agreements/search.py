"""Swedish full-text queries.

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


def swedish_query(text: str, *, any_word: bool = False) -> SearchQuery | None:
    """A query where every word (or, with any_word, some word) matches in one of its forms, as a prefix.
    None when the text has no words."""
    words = [w for w in _WORD.findall(text) if not w.isdigit() or len(w) > 1][:12]
    if not words:
        return None
    terms = ["(" + " | ".join(f"{variant}:*" for variant in word_variants(w)) + ")" for w in words]
    return SearchQuery((" | " if any_word else " & ").join(terms), config=CONFIG, search_type="raw")
