"""Personal data guard for every text people write in the portal (deviations, disputes, agendas, protocols…).

The reports describe how cooperation between a region and its municipalities failed, and must not identify
an individual client. Personal identity numbers and coordination numbers are refused outright; they are
checked for a real date and the Luhn checksum, so diary numbers, dates and phone numbers pass. Names can
only be guessed at, so they give a warning the author may dismiss.
"""

import re
from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# ---------------------------------------------------------------------------------------------------------
# Personal identity numbers (personnummer) and coordination numbers (samordningsnummer)

# YYMMDDNNNN or YYYYMMDDNNNN, optionally with a separator before the last four digits: "-" (or a dash a
# word processor put there), "+" for people aged 100 or more, or a space. The century is limited to 18-20,
# and a match may neither follow nor be followed by a digit, so parts of longer numbers never match.
_IDENTITY_NUMBER = re.compile(
    r"(?<![0-9])(?P<century>1[89]|20)?(?P<date>[0-9]{6})(?P<sep>[-+\u2010-\u2014\u2212 \u00a0]?)"
    r"(?P<serial>[0-9]{4})(?![0-9])"
)
COORDINATION_DAY_OFFSET = 60


def _luhn_valid(digits: str) -> bool:
    """Luhn check of a digit string whose last digit is the check digit (weights 2, 1, 2, ... from the left
    for the ten digits of a personal identity number)."""
    total = 0
    for position, digit in enumerate(reversed(digits)):
        value = int(digit) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _birth_date(century: str | None, yymmdd: str, separator: str, today: date) -> date | None:
    """The date of birth the number stands for, or None when it is no real date or lies in the future."""
    yy, month, day = int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:])
    if day > COORDINATION_DAY_OFFSET:
        day -= COORDINATION_DAY_OFFSET
    if century is not None:
        year = int(century) * 100 + yy
    else:  # the most recent such date not in the future; a "+" makes the person at least 100 years old
        year = today.year - (today.year - yy) % 100
        if (year, month, day) > (today.year, today.month, today.day):
            year -= 100
        if separator == "+":
            year -= 100
    try:
        born = date(year, month, day)
    except ValueError:
        return None
    return born if born <= today else None


def find_identity_numbers(text: str, *, today: date | None = None) -> list[str]:
    """The substrings of ``text`` that are valid personal identity numbers or coordination numbers."""
    today = today or date.today()
    hits = []
    for match in _IDENTITY_NUMBER.finditer(text):
        century, yymmdd, separator, serial = match.group("century", "date", "sep", "serial")
        if _luhn_valid(yymmdd + serial) and _birth_date(century, yymmdd, separator, today):
            hits.append(match.group())
    return hits


def mask_identity_number(number: str) -> str:
    """The number with its last four digits hidden: "811218-9876" becomes "811218-****"."""
    return number[:-4] + "****"


IDENTITY_NUMBER_MESSAGE = _(
    "Texten ser ut att innehålla ett personnummer eller samordningsnummer (%(hits)s). Portalen får inte "
    "innehålla uppgifter som identifierar en enskild person – beskriv händelsen utan personuppgifter."
)


def validate_no_identity_numbers(value: str) -> None:
    """Django validator refusing text that contains a personal identity number or coordination number."""
    hits = find_identity_numbers(value or "")
    if hits:
        masked = dict.fromkeys(mask_identity_number(hit) for hit in hits)
        raise ValidationError(
            IDENTITY_NUMBER_MESSAGE, code="personal_identity_number", params={"hits": ", ".join(masked)}
        )


# ---------------------------------------------------------------------------------------------------------
# Names (a heuristic: a warning, never a refusal)

# Capitalised words that are organisations, places, laws, months and the like rather than names. Compared in
# lower case, also after dropping a definite or genitive ending ("Regionens", "Karlskronas"). Abbreviations in
# capitals ("IVO", "SoL") are never taken for names; those listed here also pass when written "Bup".
ALLOWED_WORDS = frozenset(
    """
    region regionen regioner landsting landstinget kommun kommuner län länet länsstyrelse sverige sveriges
    blekinge kalmar västernorrland stockholm uppsala södermanland östergötland jönköping kronoberg gotland
    skåne halland västra götaland värmland örebro västmanland dalarna gävleborg jämtland västerbotten
    norrbotten göteborg malmö växjö linköping umeå
    karlskrona ronneby karlshamn olofström sölvesborg borgholm emmaboda hultsfred högsby mönsterås
    mörbylånga nybro oskarshamn torsås vimmerby västervik sundsvall härnösand kramfors sollefteå timrå ånge
    örnsköldsvik
    socialtjänst socialtjänsten socialförvaltning socialnämnd omsorgsförvaltning utbildningsförvaltning
    förvaltning nämnd individ familjeomsorg äldreomsorg funktionsstöd hemtjänst hemsjukvård hemsjukvården
    psykiatri psykiatrin vuxenpsykiatri rättspsykiatri habilitering habiliteringen primärvård primärvården
    vårdcentral vårdcentralen hälsocentral hälsocentralen närakut akut akuten akutmottagning sjukhus
    sjukhuset lasarett lasarettet blekingesjukhuset länssjukhuset elevhälsa elevhälsan skola skolan
    ungdomsmottagning beroendecentrum barnahus försäkringskassa försäkringskassan arbetsförmedling
    arbetsförmedlingen polis polisen kriminalvård kriminalvården migrationsverket skatteverket
    socialstyrelse inspektionen statens institutionsstyrelse kommunförbund kommunförbundet samverkan
    samverkansgrupp ledningssamverkan överenskommelse vård omsorg hälso sjukvård lag lagen
    bup bus lss sip hvb hsl lvu lvm lpt lrv ifo skr lsvo npö
    januari februari mars april maj juni juli augusti september oktober november december
    måndag tisdag onsdag torsdag fredag lördag söndag jul påsk midsommar
    """.split()  # noqa: SIM905 - a word list reads better as text
)
_ENDINGS = ("s", "n", "en", "et", "ns", "ens", "ets", "na", "nas")

# Words: letters, possibly joined by hyphens or apostrophes ("Anna-Karin").
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
# Words before a full stop that do not end a sentence.
_ABBREVIATIONS = frozenset(
    """
    t.ex bl.a m.fl s.k d.v.s dvs o.s.v osv p.g.a pga fr.o.m t.o.m m.m f.d kl ca resp enl jfr tel nr inkl ang
    """.split()  # noqa: SIM905
)
# Phrases after which a capitalised word is very likely a person's name.
_NAME_CUE = re.compile(
    r"(?i:\b(?:patient|patienten|brukare|brukaren|klient|klienten|den\s+enskilde|den\s+enskilda|individen|"
    r"barnet|eleven|ungdomen|flickan|pojken|kvinnan|mannen|mamman|modern|pappan|fadern|vårdnadshavaren|"
    r"sonen|dottern|personen|(?:hennes|hans|deras|dess|\w+ens|\w+ets)\s+namn\s+är|heter|kallas|vid\s+namn))"
    r"\s+"
)


def _is_allowed(word: str) -> bool:
    lower = word.lower()
    return lower in ALLOWED_WORDS or any(
        lower.endswith(ending) and lower[: -len(ending)] in ALLOWED_WORDS for ending in _ENDINGS
    )


def _is_name(word: str) -> bool:
    """Capitalised like a name ("Anna", "Anna-Karin"; not "LSS" or "SoL") and not an allowed word."""
    return len(word) > 1 and word.istitle() and not _is_allowed(word)


def _at_sentence_start(text: str, position: int) -> bool:
    before = text[max(0, position - 100) : position].rstrip(" \t\u00a0\"'«»“”‘’([*•–-")
    if not before or before[-1] in "\r\n!?":
        return True
    if before[-1] != ".":
        return False
    last_word = (before[:-1].split() or [""])[-1].lstrip("(\"'«“”‘’")
    return last_word.lower() not in _ABBREVIATIONS


def _adjacent(text: str, end: int, start: int) -> bool:
    """Whether only blanks on the same line separate two words."""
    gap = text[end:start]
    return bool(gap) and not gap.strip(" \t\u00a0")


def name_warnings(text: str) -> list[str]:
    """Phrases in ``text`` that look like the name of an individual, deduplicated, in order of appearance.

    Flags two or more consecutive capitalised words that are neither allowed words nor the first word of a
    sentence ("Anna Svensson"), and capitalised words after a cue such as "patienten" or "heter".
    """
    words = list(_WORD.finditer(text))

    runs: list[list[re.Match[str]]] = [[]]
    for word in words:
        if not _is_name(word.group()) or _at_sentence_start(text, word.start()):
            runs.append([])
        elif runs[-1] and not _adjacent(text, runs[-1][-1].end(), word.start()):
            runs.append([word])
        else:
            runs[-1].append(word)
    spans = [(run[0].start(), run[-1].end()) for run in runs if len(run) > 1]

    index_at = {word.start(): index for index, word in enumerate(words)}
    for cue in _NAME_CUE.finditer(text):
        names: list[re.Match[str]] = []
        index = index_at.get(cue.end())
        while index is not None and index < len(words) and _is_name(words[index].group()):
            if names and not _adjacent(text, names[-1].end(), words[index].start()):
                break
            names.append(words[index])
            index += 1
        if names:
            spans.append((cue.start(), names[-1].end()))

    kept: list[tuple[int, int]] = []
    for start, end in sorted(spans, key=lambda span: (span[0], -span[1])):
        if not any(start >= s and end <= e for s, e in kept):
            kept.append((start, end))
    return list(dict.fromkeys(" ".join(text[start:end].split()) for start, end in kept))


def name_warning_message(hits: Iterable[str]) -> str:
    """A Swedish warning listing the suspected names."""
    return gettext("Kontrollera att texten inte innehåller namn på enskilda personer: %(hits)s.") % {
        "hits": ", ".join(f"”{hit}”" for hit in hits)
    }


def check_text(text: str) -> tuple[list[str], list[str]]:
    """The identity numbers and the suspected names in ``text``."""
    return find_identity_numbers(text), name_warnings(text)
