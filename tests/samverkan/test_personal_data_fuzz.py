"""Property-based tests of the personal data guard: every valid number is found wherever it stands, and no
text makes it fail with anything but a validation error."""

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


words = st.text(alphabet=st.characters(blacklist_categories=["Nd", "Cs"]), max_size=40)


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
