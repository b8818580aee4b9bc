"""Property-based tests of the personal data guard: every valid number is found wherever it stands, and no
text makes it fail with anything but a validation error."""

import unicodedata
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from samverkan.personal_data import check_text, find_identity_numbers, validate_no_identity_numbers

FAST = settings(
    max_examples=200, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
TODAY = date(2026, 11, 24)


def luhn_digit(nine: str) -> str:
    total = 0
    for i, ch in enumerate(nine):
        n = int(ch) * (2 if i % 2 == 0 else 1)
        total += n // 10 + n % 10
    return str((10 - total % 10) % 10)


@st.composite
def identity_numbers(draw) -> str:
    born = draw(st.dates(min_value=date(1930, 1, 1), max_value=TODAY - timedelta(days=1)))
    coordination = draw(st.booleans())
    serial = f"{draw(st.integers(0, 999)):03d}"
    day = born.day + (60 if coordination else 0)
    nine = f"{born:%y%m}{day:02d}{serial}"
    digits = nine + luhn_digit(nine)
    form = draw(st.sampled_from(["short", "short-dash", "long", "long-dash"]))
    century = f"{born.year // 100}"
    return {
        "short": digits,
        "short-dash": f"{digits[:6]}-{digits[6:]}",
        "long": century + digits,
        "long-dash": f"{century}{digits[:6]}-{digits[6:]}",
    }[form]


def _no_digit(char: str) -> bool:
    """Characters that are no digits even after normalisation ("²", "⑩" and "㏠" are digits to the guard)."""
    return not any(c.isdigit() for c in unicodedata.normalize("NFKC", char))


words = st.text(alphabet=st.characters(blacklist_categories=["Nd", "Cs"]).filter(_no_digit), max_size=40)


@FAST
@given(number=identity_numbers(), before=words, after=words)
def test_every_valid_number_is_found_wherever_it_stands(number, before, after):
    text = f"{before} {number} {after}"
    assert number in find_identity_numbers(text, today=TODAY)


@FAST
@given(text=st.text(max_size=300))
def test_any_text_gives_a_validation_error_or_nothing(text):
    try:
        validate_no_identity_numbers(text)
    except ValidationError as error:
        assert error.code == "personal_identity_number"
    numbers, names = check_text(text)
    assert all(number in text for number in numbers)
    assert all(isinstance(name, str) for name in names)


@FAST
@given(digits=st.text(alphabet="0123456789-+ ", min_size=10, max_size=40))
def test_digit_soup_never_breaks_the_guard(digits):
    for hit in find_identity_numbers(digits, today=TODAY):
        assert hit in digits


# Formatting (issue 20): separators between the groups, invisible characters, full-width digits ------------

BLANKS = [" ", "  ", "\t", "\u00a0", "\u202f", "\u2009", "\u2007", "\u3000"]
MARKS = [
    "-",
    "\u2010",
    "\u2011",
    "\u2012",
    "\u2013",
    "\u2014",
    "\u2212",
    "\uff0d",
    "\ufe63",
    ".",
    "/",
    "\uff0f",
]
INVISIBLE = [
    "\u200b",
    "\u200c",
    "\u200d",
    "\u2060",
    "\ufeff",
    "\u00ad",
    "\u200e",
    "\u200f",
    "\u034f",
    "\u180e",
]
FULL_WIDTH = {str(d): chr(0xFF10 + d) for d in range(10)}


@st.composite
def separators(draw, *, blank_only: bool = False) -> str:
    """Something people put between the groups of a number: blanks, or a dash, dot or slash with or without
    blanks around it."""
    blank = st.sampled_from(BLANKS)
    if blank_only:
        return draw(blank)
    spaced_mark = st.tuples(
        st.sampled_from(["", *BLANKS]), st.sampled_from(MARKS), st.sampled_from(["", *BLANKS])
    )
    return draw(st.one_of(blank, spaced_mark.map("".join)))


@st.composite
def disguised(draw, groups: list[str], joins: list[str]) -> str:
    """The groups joined, some digits full-width, invisible characters slipped in between the characters."""
    text = groups[0] + "".join(join + group for join, group in zip(joins, groups[1:], strict=True))
    wide = draw(st.sampled_from(["none", "all", "some"]))
    chars = [
        FULL_WIDTH[c]
        if c in FULL_WIDTH and (wide == "all" or (wide == "some" and draw(st.booleans())))
        else c
        for c in text
    ]
    for _ in range(draw(st.integers(0, 3))):
        chars.insert(draw(st.integers(1, len(chars) - 1)), draw(st.sampled_from(INVISIBLE)))
    return "".join(chars)


@st.composite
def written_numbers(draw, *, valid: bool = True) -> str:
    """A personal identity or coordination number, ten or twelve digits, written the ways people write one:
    with or without the century, date parts and the serial separated or not. With ``valid`` false, the
    same with a wrong check digit."""
    born = draw(st.dates(min_value=date(1930, 1, 1), max_value=TODAY - timedelta(days=1)))
    day = born.day + (60 if draw(st.booleans()) else 0)
    nine = f"{born:%y%m}{day:02d}{draw(st.integers(0, 999)):03d}"
    check = int(luhn_digit(nine))
    digits = nine + str(check if valid else (check + draw(st.integers(1, 9))) % 10)
    groups, joins = [], []
    if draw(st.booleans()):  # twelve digits
        groups.append(f"{born.year // 100}")
        joins.append(draw(st.one_of(st.just(""), separators())))
    if draw(st.booleans()):  # "81 12 18", "1981-12-18"
        groups += [digits[:2], digits[2:4], digits[4:6]]
        joins += [draw(separators()), draw(separators())]
    else:
        groups.append(digits[:6])
    main = draw(st.one_of(st.just(""), separators()))
    joins.append(main)
    if main and draw(st.booleans()):  # "811218-98 76"
        groups += [digits[6:8], digits[8:]]
        joins.append(draw(separators(blank_only=True)))
    else:
        groups.append(digits[6:])
    groups, joins = _merged(groups, joins)
    return draw(disguised(groups, joins))


def _merged(groups: list[str], joins: list[str]) -> tuple[list[str], list[str]]:
    """Groups joined by nothing become one group."""
    merged, kept = [groups[0]], []
    for join, group in zip(joins, groups[1:], strict=True):
        if join:
            merged.append(group)
            kept.append(join)
        else:
            merged[-1] += group
    return merged, kept


@FAST
@given(number=written_numbers(), before=words, after=words)
def test_a_valid_number_is_found_however_it_is_spaced_disguised_or_widened(number, before, after):
    assert find_identity_numbers(f"{before} {number} {after}", today=TODAY) == [number]


@FAST
@given(number=written_numbers(valid=False), before=words, after=words)
def test_a_number_with_a_wrong_check_digit_passes_however_it_is_written(number, before, after):
    assert find_identity_numbers(f"{before} {number} {after}", today=TODAY) == []


def _digits(draw, count: int) -> str:
    return "".join(str(draw(st.integers(0, 9))) for _ in range(count))


@st.composite
def harmless(draw) -> str:
    """Numbers that are no personal numbers, formatted with the same separators, invisible characters and
    full-width digits: phone numbers, dates and date ranges, times, amounts, diary numbers, ISBNs."""
    day = draw(st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 12, 31)))
    other = draw(st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 12, 31)))
    iso, iso_other = [f"{day:%Y}", f"{day:%m}", f"{day:%d}"], [f"{other:%Y}", f"{other:%m}", f"{other:%d}"]
    kind = draw(
        st.sampled_from(["area", "mobile", "stockholm", "date", "range", "time", "amount", "dnr", "isbn"])
    )
    groups = {
        "area": [f"0{_digits(draw, 3)}", _digits(draw, 2), _digits(draw, 2), _digits(draw, 2)],
        "mobile": [f"07{_digits(draw, 1)}", _digits(draw, 3), _digits(draw, 2), _digits(draw, 2)],
        "stockholm": ["08", _digits(draw, 3), _digits(draw, 3), _digits(draw, 2)],
        "date": iso,
        "range": iso + iso_other,
        "time": [*iso, f"{draw(st.integers(0, 23)):02d}", f"{draw(st.sampled_from([0, 15, 30, 45])):02d}"],
        "amount": [
            str(draw(st.integers(1, 999))),
            *(_digits(draw, 3) for _ in range(draw(st.integers(1, 4)))),
        ],
        "dnr": [f"{day:%Y}", _digits(draw, draw(st.sampled_from([3, 4, 6])))],
        "isbn": ["978", "91", _digits(draw, 2), _digits(draw, 5), _digits(draw, 1)],
    }[kind]
    if kind == "time":  # "2024-05-01 14.30": the time has its own separator, not blanks
        joins = [
            draw(separators()),
            draw(separators()),
            draw(separators(blank_only=True)),
            draw(st.sampled_from(".:")),
        ]
    else:
        joins = [draw(separators()) for _ in groups[1:]]
    if kind == "amount":
        joins = [draw(separators(blank_only=True)) for _ in groups[1:]]
    return draw(disguised(groups, joins))


@FAST
@given(text=harmless(), before=words, after=words)
def test_phone_numbers_dates_amounts_and_diary_numbers_pass_however_they_are_written(text, before, after):
    assert find_identity_numbers(f"{before} {text} {after}", today=TODAY) == []
