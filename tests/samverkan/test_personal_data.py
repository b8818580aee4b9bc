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
    validate_file_name,
    validate_no_identity_numbers,
)
from samverkan.uploads import check_upload
from tests.factories import pdf_upload


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


# Numbers written to get past the guard (issue 20) -----------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "811218 - 9876",
        "811218 \u2013 9876",
        "81 12 18-9876",
        "81 12 18 9876",
        "81.12.18-9876",
        "1981-12-18-9876",
        "1981 12 18 9876",
        "19 811218-9876",
        "811218.9876",
        "811218/9876",
        "811218 / 9876",
        "811218_9876",
        "811218-98 76",
        "811218\u00a0-\u00a09876",  # no-break spaces
        "811218\u202f9876",  # narrow no-break space
        "811218\t9876",
        "8112\u200b18-9876",  # zero-width space
        "811218-98\u00ad76",  # soft hyphen
        "81\u200d1218\u20609876",  # zero-width joiner, word joiner
        "811218\ufeff-9876",  # byte order mark
        "811218\u200e-9876",  # left-to-right mark
        "８１１２１８－９８７６",  # full-width digits and hyphen
        "８１１２１８-9876",
        "\U0001d7d6\U0001d7cf\U0001d7cf\U0001d7d0\U0001d7cf\U0001d7d6-9876",  # mathematical bold digits
        "\u0668\u0661\u0661\u0662\u0661\u0668-9876",  # Arabic-Indic digits
        "640883 - 3231",  # samordningsnummer
        "1964 08 83-3231",
        "64 08 83 3231",
    ],
)
def test_numbers_with_spacing_separators_and_invisible_characters_are_found(value):
    assert find_identity_numbers(f"Ärende om brukare {value}, se bilaga.") == [value]


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("811218 - 9876", "811218 - ****"),
        ("811218-98 76", "811218-** **"),
        ("8112\u200b18-9876", "811218-****"),
        ("８１１２１８－９８７６", "８１１２１８－****"),
        ("1981-12-18-9876", "1981-12-18-****"),
    ],
)
def test_the_refusal_shows_the_number_as_written_but_masked(value, masked):
    assert mask_identity_number(value) == masked
    with translation.override("sv"), pytest.raises(ValidationError) as raised:
        validate_no_identity_numbers(f"Gäller {value}.")
    assert f"({masked})" in raised.value.messages[0]


@pytest.mark.parametrize(
    "text",
    [
        "Ring 0455-12 34 56 eller 0411-12 34 56 eller 070-123 45 67.",
        "Ring 0455 – 12 34 56, 0455/12 34 56, 0701-23 45 67 eller 08-123 456 78.",
        "Ring ０４５５－１２ ３４ ５６ eller 070\u200b-123 45 67.",
        "Mötet 1 maj 2024, 2024-05-01, 2024.05.01, 2024/05/01 och 2024 05 01.",
        "Avtalet gäller 2024-01-01 - 2026-12-31, 2024-01-01 – 2026-12-31 och 2024-01-01/2026-12-31.",
        "Perioden 2024-01-01 2024-12-31 och 2023.01.01 – 2023.12.31.",
        "Mötet 2024-05-01 14.30, 2024-05-01 kl. 14.30 och 2024-05-01 14-16.",
        "Kostnaden blev 1 234 567 890 kr, 1\u00a0234\u00a0567 kr och 12 345 678 901 kr.",
        "Diarienummer RB 2024/1234, Dnr 2024-123456, RS 2023/1234 och 2023 / 000123.",
        "ISBN 978-91-1-234567-8, 978 91 27 12345 6 och 91-7005-123-4.",
        "Ärende 12345678 registrerades 2023-11-30 10:15.",
    ],
)
def test_phone_numbers_amounts_dates_and_diary_numbers_with_the_same_formatting_are_not_reported(text):
    assert find_identity_numbers(text) == []


def test_file_name_with_a_number_is_refused_with_its_own_message():
    with translation.override("sv"), pytest.raises(ValidationError) as raised:
        validate_file_name("utredning_811218-9876.pdf")
    assert raised.value.error_list[0].code == "personal_identity_number"
    assert "Filnamnet" in raised.value.messages[0]
    assert "(811218-****)" in raised.value.messages[0]
    validate_file_name("protokoll 2024-05-01.pdf")
    validate_file_name("")


@pytest.mark.parametrize(
    "name", ["811218-9876.pdf", "scan 81 12 18 - 98 76.pdf", "brukare_19811218_9876_utredning.pdf"]
)
def test_an_upload_whose_name_has_a_number_is_refused_for_the_file_field(name):
    with pytest.raises(ValidationError) as raised:
        check_upload(pdf_upload(name=name), field="file")
    assert list(raised.value.error_dict) == ["file"]
    assert "Filnamnet ser ut att innehålla ett personnummer" in raised.value.message_dict["file"][0]


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
