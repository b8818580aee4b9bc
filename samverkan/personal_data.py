"""Personal data guard for every text people write in the portal (deviations, disputes, agendas, protocols…).

The reports describe how cooperation between a region and its municipalities failed, and must not identify
an individual client. Personal identity numbers and coordination numbers are refused outright; they are
checked for a real date and the Luhn checksum, so diary numbers, dates and phone numbers pass. Names can
only be guessed at, so they give a warning the author may dismiss.
"""

import re
import unicodedata
from collections.abc import Iterable
from datetime import date
from functools import lru_cache

from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# ---------------------------------------------------------------------------------------------------------
# Personal identity numbers (personnummer) and coordination numbers (samordningsnummer)
#
# Text is first normalised, keeping for each character the position it came from: compatibility forms
# (NFKC: full-width and mathematical digits, no-break and thin spaces, the small and full-width dashes),
# digits of any script as ASCII, and invisible characters (format characters such as zero-width spaces,
# joiners and soft hyphens, combining marks, control characters, invisible fillers) removed. The digits
# then fall into groups separated by blanks, a dash, a dot, a slash or an underscore, possibly with blanks
# around. A number is a run of whole groups of YYMMDDNNNN or YYYYMMDDNNNN whose breaks lie where people
# break such a number: after the century, between year, month and day (both or neither), before the serial
# (where "+" marks someone aged 100 or more), and between blanks inside the serial ("811218-98 76"). Phone
# numbers ("0455-12 34 56", "070-123 45 67"), amounts in groups of three, diary numbers and ISBNs break
# elsewhere, and runs of digits that go on past a number are no number. Each candidate must be a real
# date in the past (the day plus 60 for a coordination number) with a correct Luhn check digit.

COORDINATION_DAY_OFFSET = 60
_CENTURIES = ("18", "19", "20")
# Letters that display as nothing (Hangul fillers, the Braille blank), beside the categories below.
_INVISIBLE_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Mn", "Me"})
_ASCII_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_DIGITS = re.compile(r"[0-9]+")
_BLANK = r"[ \t_]"
_MARK = r"[-+./\\\u00b7\u2010-\u2015\u2043\u2044\u2212\u2215]"
_SEPARATOR = re.compile(rf"{_BLANK}+|{_BLANK}*{_MARK}{_BLANK}*")
_BLANKS = re.compile(rf"{_BLANK}+")


@lru_cache(maxsize=4096)
def _normalised_char(char: str) -> str:
    """What one character of the user's text stands for when looking for numbers ("" if invisible)."""
    if char in _INVISIBLE_LETTERS or (
        unicodedata.category(char) in _INVISIBLE_CATEGORIES and not char.isspace()
    ):
        return ""
    out = []
    for part in unicodedata.normalize("NFKC", char):
        category = unicodedata.category(part)
        if category == "Nd":
            out.append(str(unicodedata.decimal(part)))
        elif category == "Zs" or part == "\t":
            out.append(" ")
        elif part.isspace() or (category not in _INVISIBLE_CATEGORIES and part not in _INVISIBLE_LETTERS):
            out.append(part)
    return "".join(out)


def _normalised(text: str) -> tuple[str, list[int] | None]:
    """The normalised text and, for each of its characters, the index of the character of ``text`` it comes
    from (None when they are the same: plain ASCII)."""
    if text.isascii() and not _ASCII_CONTROL.search(text):
        return text, None
    chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        part = char if " " <= char < "\x7f" else _normalised_char(char)
        chars.append(part)
        origin.extend([index] * len(part))
    return "".join(chars), origin


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


def _is_number(groups: list[re.Match[str]], separators: list[str], following: list[str], today: date) -> bool:
    """Whether these digit groups, with the separators between them, are a valid number written as people
    write one. ``following`` holds the (next two) digit groups that follow in the same run."""
    digits = "".join(group.group() for group in groups)
    century = digits[:2] if len(digits) == 12 else None
    if century is not None and century not in _CENTURIES:
        return False
    breaks: dict[int, str] = {}  # position in YYMMDDNNNN (0: after the century) -> separator
    position = -len(digits) + 10
    for group, separator in zip(groups, separators, strict=False):
        position += len(group.group())
        breaks[position] = separator
    if not set(breaks) <= {0, 2, 4, 6, 8} or (2 in breaks) != (4 in breaks):
        return False
    if 8 in breaks and (6 not in breaks or not _BLANKS.fullmatch(breaks[8])):
        return False
    if any("+" in separator for position, separator in breaks.items() if position != 6):
        return False
    if 2 in breaks and 8 not in breaks and [len(group) for group in following[:2]] == [2, 2]:
        return False  # a date range: "2024-01-01 - 2026-12-31" is no date followed by a serial 2026
    yymmdd, serial = digits[-10:-4], digits[-4:]
    plus = "+" if "+" in breaks.get(6, "") else ""
    return _luhn_valid(yymmdd + serial) and _birth_date(century, yymmdd, plus, today) is not None


def _number_spans(text: str, today: date) -> list[tuple[int, int]]:
    """Where in ``text`` valid numbers stand, as (start, end) of the characters the user wrote."""
    normalised, origin = _normalised(text)
    spans = []
    runs: list[list[re.Match[str]]] = []
    separators: list[list[str]] = []
    for group in _DIGITS.finditer(normalised):
        between = normalised[runs[-1][-1].end() : group.start()] if runs else ""
        if runs and _SEPARATOR.fullmatch(between):
            runs[-1].append(group)
            separators[-1].append(between)
        else:
            runs.append([group])
            separators.append([])
    for run, between in zip(runs, separators, strict=True):
        start = 0
        while start < len(run):
            end = _number_end(run, between, start, today)
            if end is None:
                start += 1
                continue
            first, last = run[start].start(), run[end - 1].end() - 1
            if origin is not None:
                first, last = origin[first], origin[last]
            spans.append((first, last + 1))
            start = end
    return spans


def _number_end(run: list[re.Match[str]], between: list[str], start: int, today: date) -> int | None:
    """The end (exclusive) of the longest number in ``run`` that starts at group ``start``, if any."""
    found, count = None, 0
    for end in range(start + 1, len(run) + 1):
        count += len(run[end - 1].group())
        if count > 12:
            break
        if count not in (10, 12):
            continue
        following = [group.group() for group in run[end : end + 2]]
        if _is_number(run[start:end], between[start : end - 1], following, today):
            found = end
    return found


def find_identity_numbers(text: str, *, today: date | None = None) -> list[str]:
    """The substrings of ``text`` that are valid personal identity numbers or coordination numbers, as the
    user wrote them (spaces, dashes, full-width digits and invisible characters included)."""
    today = today or date.today()
    return [text[start:end] for start, end in _number_spans(text, today)]


def mask_identity_number(number: str) -> str:
    """The number as written, with its last four digits hidden and invisible characters left out:
    "811218-9876" becomes "811218-****", "811218-98 76" becomes "811218-** **"."""
    masked, hidden = [], 0
    for char in reversed(number):
        part = _normalised_char(char) if not " " <= char < "\x7f" else char
        if not part:
            continue
        if hidden < 4 and any(c.isdigit() for c in part):
            hidden += sum(c.isdigit() for c in part)
            char = "*"
        masked.append(char)
    return "".join(reversed(masked))


IDENTITY_NUMBER_MESSAGE = _(
    "Texten ser ut att innehålla ett personnummer eller samordningsnummer (%(hits)s). Portalen får inte "
    "innehålla uppgifter som identifierar en enskild person – beskriv händelsen utan personuppgifter."
)
FILE_NAME_MESSAGE = _(
    "Filnamnet ser ut att innehålla ett personnummer eller samordningsnummer (%(hits)s). Portalen får "
    "inte innehålla uppgifter som identifierar en enskild person – byt namn på filen och ladda upp den igen."
)


def _masked_hits(hits: list[str]) -> str:
    return ", ".join(dict.fromkeys(mask_identity_number(hit) for hit in hits))


def validate_no_identity_numbers(value: str) -> None:
    """Django validator refusing text that contains a personal identity number or coordination number."""
    hits = find_identity_numbers(value or "")
    if hits:
        raise ValidationError(
            IDENTITY_NUMBER_MESSAGE, code="personal_identity_number", params={"hits": _masked_hits(hits)}
        )


def validate_file_name(name: str) -> None:
    """Refuse an uploaded file whose name contains a personal identity number or coordination number."""
    hits = find_identity_numbers(name or "")
    if hits:
        raise ValidationError(
            FILE_NAME_MESSAGE, code="personal_identity_number", params={"hits": _masked_hits(hits)}
        )


def is_free_text(field: models.Field) -> bool:
    """Whether people write the model field's value: an editable CharField or TextField without choices
    (slugs, e-mail addresses and links are no free text)."""
    return (
        isinstance(field, models.CharField | models.TextField)
        and not isinstance(field, models.SlugField | models.EmailField | models.URLField)
        and field.editable
        and not field.choices
    )


def guard_free_text(app_config: AppConfig, *, machine_set: Iterable[str] = ()) -> None:
    """Give every free-text field of the app's models the personal-number validator, so that full_clean(),
    model forms and the admin refuse such numbers wherever a text is written, new fields included. Called
    from the app's ``ready()``. ``machine_set`` names, as "Model.field", the text fields the portal fills in
    itself (hashes, content types, names copied from elsewhere). History models keep what was saved."""
    from simple_history.models import HistoricalChanges

    skip = set(machine_set)
    for model in app_config.get_models():
        if issubclass(model, HistoricalChanges):
            continue
        for field in model._meta.local_concrete_fields:
            name = f"{model.__name__}.{field.name}"
            if name in skip:
                skip.discard(name)
            elif is_free_text(field) and validate_no_identity_numbers not in field.validators:
                # A new list: a history model's copy of the field shares the old one. The validators
                # property is cached, and migrations read _validators.
                field._validators = [*field._validators, validate_no_identity_numbers]
                field.__dict__.pop("validators", None)
    if skip:
        raise ImproperlyConfigured(f"guard_free_text: no such fields in {app_config.label}: {sorted(skip)}")


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
