"""Reading a county administrator's file of people to invite: CSV in UTF-8 (with or without the BOM that
Excel writes), separated by commas or by semicolons (as Swedish Excel saves it), with a header line.

Every row is checked before anything is created; each refusal names the line as the file shows it (the
header is line 1) and the column. Nothing here writes: ``services.people_import`` does, all or nothing.
"""

import csv
import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samverkan import selectors
from samverkan.models import County, Organisation, OrganisationUnit
from samverkan.personal_data import validate_no_identity_numbers
from samverkan.services import PersonData

COLUMNS = {
    "name": ({"namn", "name"}, gettext_lazy("namn")),
    "email": ({"e-post", "epost", "e-postadress", "e-mail", "email"}, gettext_lazy("e-post")),
    "organisation": ({"organisation", "organization"}, gettext_lazy("organisation")),
    "unit": ({"enhet", "unit"}, gettext_lazy("enhet")),
    "title": ({"titel", "title"}, gettext_lazy("titel")),
}
REQUIRED = ("name", "email", "organisation")
MAX_ROWS = 2000


@dataclass(frozen=True)
class RowError:
    line: int  # as the file shows it: the header is line 1
    column: str
    message: str


@dataclass
class PeopleFile:
    people: list[PersonData]
    errors: list[RowError]
    first_line: int = 2


def _text(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationError(
            _("Filen är inte sparad som UTF-8. Spara den som ”CSV UTF-8” i Excel och försök igen.")
        ) from error


def _header(row: list[str]) -> dict[str, int]:
    positions = {}
    for index, heading in enumerate(row):
        heading = heading.strip().lower()
        for key, (names, _label) in COLUMNS.items():
            if heading in names and key not in positions:
                positions[key] = index
    missing = [str(COLUMNS[key][1]) for key in REQUIRED if key not in positions]
    if missing:
        raise ValidationError(
            _("Rubrikraden saknar kolumnen/kolumnerna: %(missing)s. Första raden ska vara rubriker: %(all)s.")
            % {"missing": ", ".join(missing), "all": "namn; e-post; organisation; enhet; titel"}
        )
    return positions


def _organisations(county: County) -> dict[str, Organisation]:
    found = {}
    for organisation in Organisation.objects.filter(county=county):
        for key in (organisation.name, organisation.short_name, organisation.code):
            if key:
                found.setdefault(key.strip().lower(), organisation)
    return found


def people_file_read(data: bytes, *, county: County) -> PeopleFile:
    """The people of the file, or the reasons (by line and column) why some cannot be invited. Raises
    ValidationError when the file as a whole cannot be read (encoding, header)."""
    text = _text(data)
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") and ";" in first else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    if not rows:
        raise ValidationError(_("Filen är tom."))
    positions = _header(rows[0])
    if len(rows) - 1 > MAX_ROWS:
        raise ValidationError(_("Filen har fler än %(max)s personer; dela upp den.") % {"max": MAX_ROWS})
    organisations = _organisations(county)
    units = {
        (unit.organisation_id, unit.name.strip().lower()): unit
        for unit in OrganisationUnit.objects.filter(organisation__county=county)
    }
    result = PeopleFile(people=[], errors=[])
    seen_emails: dict[str, int] = {}
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        values = {key: (row[i].strip() if i < len(row) else "") for key, i in positions.items()}
        errors = _row_errors(values, line=line, seen_emails=seen_emails)
        organisation = organisations.get(values.get("organisation", "").lower())
        if values.get("organisation") and organisation is None:
            errors.append(
                RowError(
                    line,
                    str(COLUMNS["organisation"][1]),
                    _("Hittar ingen organisation ”%(name)s” i %(county)s.")
                    % {"name": values["organisation"], "county": county},
                )
            )
        unit = None
        if organisation is not None and values.get("unit"):
            unit = units.get((organisation.pk, values["unit"].lower()))
            if unit is None:
                errors.append(
                    RowError(
                        line,
                        str(COLUMNS["unit"][1]),
                        _("%(org)s har ingen enhet ”%(unit)s”.")
                        % {"org": organisation, "unit": values["unit"]},
                    )
                )
        if errors:
            result.errors.extend(errors)
            continue
        result.people.append(
            PersonData(
                name=values["name"],
                email=values["email"],
                organisation=organisation,
                unit=unit,
                title=values.get("title", ""),
            )
        )
    if not result.people and not result.errors:
        raise ValidationError(_("Filen har inga personer under rubrikraden."))
    return result


def _row_errors(values: dict[str, str], *, line: int, seen_emails: dict[str, int]) -> list[RowError]:
    errors = []

    def refuse(key: str, message: str) -> None:
        errors.append(RowError(line, str(COLUMNS[key][1]), message))

    for key in REQUIRED:
        if not values.get(key):
            refuse(key, _("Saknas."))
    for key, value in values.items():
        try:
            validate_no_identity_numbers(value)
        except ValidationError as error:
            refuse(key, " ".join(error.messages))
    if len(values.get("title", "")) > 120:
        refuse("title", _("Högst 120 tecken."))
    email = values.get("email", "")
    if email:
        try:
            EmailValidator()(email)
        except ValidationError:
            refuse("email", _("”%(email)s” är ingen giltig e-postadress.") % {"email": email})
        else:
            key = email.lower()
            if key in seen_emails:
                refuse("email", _("Samma adress som på rad %(line)s.") % {"line": seen_emails[key]})
            elif selectors.email_taken(email):
                refuse("email", _("Adressen används redan av ett annat konto i portalen."))
            seen_emails.setdefault(key, line)
    return errors


def people_token_rows(people: list[PersonData]) -> list[dict]:
    """The checked people as plain data, to carry (signed) from the preview to the import."""
    return [
        {
            "name": p.name,
            "email": p.email,
            "organisation": p.organisation.pk,
            "unit": p.unit.pk if p.unit else None,
            "title": p.title,
        }
        for p in people
    ]


def people_from_token_rows(rows: list[dict], *, county: County) -> list[PersonData]:
    organisations = Organisation.objects.in_bulk([r["organisation"] for r in rows])
    units = OrganisationUnit.objects.in_bulk([r["unit"] for r in rows if r["unit"]])
    people = []
    for row in rows:
        organisation = organisations.get(row["organisation"])
        if organisation is None or organisation.county_id != county.pk:
            raise ValidationError(_("En organisation i filen finns inte längre. Ladda upp filen igen."))
        unit = units.get(row["unit"]) if row["unit"] else None
        people.append(PersonData(row["name"], row["email"], organisation, unit, row["title"]))
    return people


__all__ = ["PeopleFile", "RowError", "people_file_read", "people_from_token_rows", "people_token_rows"]
