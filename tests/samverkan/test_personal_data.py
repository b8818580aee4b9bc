from datetime import date

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation

from samverkan.personal_data import (
    check_text,
    find_identity_numbers,
    mask_identity_number,
    name_warning_message,
    name_warnings,
    validate_no_identity_numbers,
)


def check_digit(nine: str) -> str:
    """Luhn check digit over YYMMDDNNN, computed independently of the module under test."""
    total = 0
    for index, digit in enumerate(nine):
        product = int(digit) * (2 if index % 2 == 0 else 1)
        total += product // 10 + product % 10
    return str((10 - total % 10) % 10)


def number(yyyymmdd: str, serial: str = "123", sep: str = "-", long: bool = False) -> str:
    """A number with a correct check digit; ``long`` gives the twelve digit form."""
    digits = yyyymmdd[2:] + serial
    return f"{yyyymmdd if long else yyyymmdd[2:]}{sep}{serial}{check_digit(digits)}"


def test_helper_agrees_with_known_numbers():
    assert check_digit("811218987") == "6"
    assert check_digit("640883323") == "1"
    assert number("19811218", "987") == "811218-9876"


# Valid numbers --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "811218-9876",
        "8112189876",
        "19811218-9876",
        "198112189876",
        "811218+9876",
        "811218 9876",
        "811218\u20139876",  # en dash, as a word processor may write it
        "640883-3231",  # samordningsnummer: day 83 is the 23rd
        "6408833231",
        "19640883-3231",
        "196408833231",
    ],
)
def test_known_numbers_are_found_in_every_format(value):
    assert find_identity_numbers(f"Klienten med nummer {value} ringde igen.") == [value]


@pytest.mark.parametrize(
    "yyyymmdd",
    [
        "20050315",
        "19991231",
        "20200101",
        "19450508",
        "20050375",  # samordningsnummer for the 15th
        "19991291",  # samordningsnummer for the 31st
        "20200161",  # samordningsnummer for the 1st
    ],
)
@pytest.mark.parametrize(("sep", "long"), [("-", False), ("", False), (" ", False), ("-", True), ("", True)])
def test_generated_numbers_are_found(yyyymmdd, sep, long):
    for serial in ("001", "238", "999"):
        value = number(yyyymmdd, serial, sep, long)
        assert find_identity_numbers(f"({value})") == [value]


def test_plus_separator_means_a_hundred_years_or_older():
    value = number("19200610", "555", sep="+")
    assert find_identity_numbers(f"Född 1920, {value}.") == [value]


def test_several_numbers_are_returned_in_order():
    first, second = number("19750102", "456"), number("20101224", "789", long=True)
    assert find_identity_numbers(f"{second} och {first}") == [second, first]


def test_number_next_to_letters_and_punctuation_is_found():
    assert find_identity_numbers("pnr:811218-9876, se ovan") == ["811218-9876"]


# Invalid numbers ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value", ["811218-9875", "8112189870", "19811218-9871", "198112189879", "640883-3232", "811218+9877"]
)
def test_wrong_check_digit_is_not_reported(value):
    assert find_identity_numbers(value) == []


@pytest.mark.parametrize(
    "yyyymmdd",
    [
        "19990230",  # 30 February
        "19990231",
        "19990100",  # day 00
        "19991301",  # month 13
        "19990001",  # month 00
        "19990132",
        "19810229",  # 1981 is no leap year
        "19990160",  # samordningsnummer for day 00
        "19990192",  # samordningsnummer for day 32
        "19810289",  # samordningsnummer for 29 February 1981
    ],
)
@pytest.mark.parametrize("long", [False, True])
def test_invalid_date_is_not_reported_even_with_correct_check_digit(yyyymmdd, long):
    assert find_identity_numbers(number(yyyymmdd, long=long)) == []


def test_leap_days():
    assert find_identity_numbers(number("20000229")) == [number("20000229")]
    assert find_identity_numbers(number("20000289")) == [number("20000289")]  # samordningsnummer
    assert find_identity_numbers(number("20000229", long=True)) == [number("20000229", long=True)]
    assert find_identity_numbers(number("19000229", long=True)) == []
    assert find_identity_numbers(number("19000229", sep="+")) == []  # "+": born 1900, no leap year
    assert find_identity_numbers(number("19040229", sep="+")) == [number("19040229", sep="+")]
    assert find_identity_numbers(number("20010229")) == []


def test_century_is_inferred_from_today():
    value = number("20000229")
    assert find_identity_numbers(value, today=date(2100, 2, 28)) == [value]  # born 2000
    assert find_identity_numbers(value, today=date(2100, 3, 1)) == []  # born 2100, no leap year


def test_future_birth_date_is_not_reported():
    assert find_identity_numbers(number("20991231", long=True)) == []
    value = number("20250601", long=True)
    assert find_identity_numbers(value, today=date(2025, 6, 1)) == [value]
    assert find_identity_numbers(value, today=date(2025, 5, 31)) == []


@pytest.mark.parametrize(
    "text",
    [
        "Kortnummer 4581811218987612",  # a valid number inside a 16 digit run
        "1811218-9876",
        "811218-98761",
        "19811218-98762",
        "2198112189876",
        "OCR 0019811218987600",
    ],
)
def test_digits_inside_longer_runs_are_not_reported(text):
    assert find_identity_numbers(text) == []


# Ordinary text --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "2024-05-01",
        "Mötet 2024-05-01 kl. 14.30 flyttades till 2024-05-15.",
        "20240501",
        "Ring 0455-73 10 00 eller 070-123 45 67.",
        "0455-731000, 070-1234567, +46 455 73 10 00, 08-123 456 78",
        "Ärendet har diarienummer RS 2023/1234.",
        "Dnr 2024-123456 och 2023-000123",
        "Kostnaden blev 1 234 567 kr under 2023.",
        "Ärende 12345678 registrerades 2023-11-30 10:15.",
        f"Region Blekinge, organisationsnummer {number('19232100', '008')}",  # month 21: no person
        "Överenskommelsen gäller 2024-01-01 -- 2026-12-31 och revideras 2025.",
    ],
)
def test_ordinary_text_is_not_reported(text):
    assert find_identity_numbers(text) == []


# Validator ------------------------------------------------------------------------------------------------


def test_validator_accepts_text_without_numbers():
    validate_no_identity_numbers(
        "Utskrivningen 2024-05-01 skedde utan samordnad planering (dnr RS 2023/1234)."
    )
    validate_no_identity_numbers("")


def test_validator_refuses_number_with_swedish_masked_message():
    with translation.override("sv"), pytest.raises(ValidationError) as raised:
        validate_no_identity_numbers("Gäller 811218-9876, samma som 811218-9876, och 196408833231.")
    error = raised.value.error_list[0]
    assert error.code == "personal_identity_number"
    message = raised.value.messages[0]
    assert "personnummer eller samordningsnummer" in message
    assert "beskriv händelsen utan personuppgifter" in message
    assert "(811218-****, 19640883****)" in message
    assert "9876" not in message
    assert "3231" not in message


def test_validator_works_on_a_form_field():
    class ReportForm(forms.Form):
        description = forms.CharField(validators=[validate_no_identity_numbers])

    form = ReportForm(data={"description": "Klient 19811218-9876 skrevs ut utan SIP."})
    assert not form.is_valid()
    assert form.has_error("description", code="personal_identity_number")
    assert ReportForm(data={"description": "Skrevs ut utan SIP."}).is_valid()


def test_mask():
    assert mask_identity_number("811218-9876") == "811218-****"
    assert mask_identity_number("198112189876") == "19811218****"


# Names ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Vi fick ett samtal från patienten Anna Svensson igår.", ["patienten Anna Svensson"]),
        ("Igår ringde Anna Svensson till vårdcentralen.", ["Anna Svensson"]),
        ("Sedan ringde brukaren Erik till hemtjänsten.", ["brukaren Erik"]),
        ("Samtal med klienten Olle om boendet.", ["klienten Olle"]),
        ("Patienten Anna kom till akuten.", ["Patienten Anna"]),
        ("Kontakt togs men hennes namn är Lisa Berg enligt anteckningen.", ["hennes namn är Lisa Berg"]),
        ("Mannen, som heter Karl, nekades plats.", ["heter Karl"]),
        ("Kontaktperson: Anna-Karin Lind.", ["Anna-Karin Lind"]),
        ("Frågan gällde t.ex. Per Olsson och hans boende.", ["Per Olsson"]),
        ("Anna Svensson sökte hjälp, och Anna Svensson fick vänta.", ["Anna Svensson"]),
        ("Beslutet om Ali Hassan Omar överklagades.", ["Ali Hassan Omar"]),
    ],
)
def test_names_are_warned_about(text, expected):
    assert name_warnings(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Samverkan mellan Region Blekinge och Karlskrona kommun fungerade inte.",
        "Remissen skickades till BUP Karlskrona.",
        "Patienten skrevs ut. Vårdplaneringen hölls inte.",
        "Mötet hölls i Ronneby.",
        "Enligt SoL och LSS skulle en SIP ha hållits med IFO Karlskrona och Psykiatrin Kalmar.",
        "Regionens Vårdcentral Ronneby kontaktade Socialtjänsten Sundsvall och Kommunens HVB.",
        "Utskrivning från Psykiatrin Härnösand skedde på Fredag Juni 2024.",
        "Frågan togs upp av Region Kalmar län och Landstinget Västernorrland.",
        "Kontakt med LVU-handläggare och IVO.",
        "Hon ringde.\nSvaret dröjde.",
    ],
)
def test_organisations_abbreviations_and_sentence_starts_are_not_warned_about(text):
    assert name_warnings(text) == []


def test_name_warning_message():
    message = name_warning_message(["Anna Svensson", "brukaren Erik"])
    assert message.startswith("Kontrollera att texten inte innehåller namn på enskilda personer:")
    assert "Anna Svensson" in message
    assert "brukaren Erik" in message


def test_check_text():
    text = "Brukaren Erik Berg, 811218-9876, väntade på Region Blekinge."
    assert check_text(text) == (["811218-9876"], ["Brukaren Erik Berg"])
    assert check_text("Utskrivningen fungerade inte.") == ([], [])
