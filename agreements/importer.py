"""Import of agreements from the YAML format described in docs/agreement-format.md.

The whole file is read and checked before anything is written; the writing happens in one transaction.
Errors name the file, the path of the bad element and what is wrong.
"""

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from django.contrib.auth.models import User
from django.db import transaction

from agreements import services
from agreements.laws import catalogue, parse_reference
from agreements.models import ActionItem, AgreementVersion, Side
from agreements.parsed import Parsed
from agreements.text import clean_text
from samverkan.models import County, Organisation

KEY_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class AgreementFileError(Exception):
    def __init__(self, file: str, path: str, message: str, line: int | None = None):
        self.file, self.path, self.message, self.line = file, path, message, line
        super().__init__(f"{file}: {path}: {message}" if path else f"{file}: {message}")


PATH_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def line_of(text: str, path: str) -> int | None:
    """The line (from 1) where the element at ``path`` (e.g. ``version.target_groups[1].key``) is written
    in the YAML text, or where its nearest written parent is; None if the text cannot be read."""
    try:
        node = yaml.compose(text)
    except (yaml.YAMLError, ValueError):
        return None
    line = node.start_mark.line + 1 if node is not None else None
    for key, index in PATH_STEP.findall(path):
        found = None
        if key and isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if key_node.value == key:
                    found, line = value_node, key_node.start_mark.line + 1
                    break
        elif index and isinstance(node, yaml.SequenceNode) and int(index) < len(node.value):
            found = node.value[int(index)]
            line = found.start_mark.line + 1
        if found is None:
            break
        node = found
    return line


@dataclass
class Reader:
    """Reads values from nested dicts and lists, raising AgreementFileError with the element's path."""

    file: str
    law_codes: list[str] | None = None

    def laws(self) -> list[str]:
        """The catalogue's law codes, read once per file."""
        if self.law_codes is None:
            self.law_codes = catalogue()
        return self.law_codes

    def fail(self, path: str, message: str):
        raise AgreementFileError(self.file, path, message)

    def mapping(self, value: Any, path: str, allowed: set[str], required: set[str] = frozenset()) -> dict:
        if not isinstance(value, dict):
            self.fail(path, "ska vara en mappning (nyckel: värde)")
        unknown = sorted(set(value) - allowed)
        if unknown:
            self.fail(f"{path}.{unknown[0]}" if path else unknown[0], "okänd nyckel")
        for key in sorted(required):
            if value.get(key) in (None, ""):
                self.fail(f"{path}.{key}" if path else key, "saknas")
        return value

    def items(self, value: Any, path: str) -> list:
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(path, "ska vara en lista")
        return value

    def text(self, value: Any, path: str, *, max_length: int | None = None, required: bool = False) -> str:
        if value is None:
            value = ""
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            self.fail(path, "ska vara text")
        value = clean_text(value)
        if required and not value:
            self.fail(path, "får inte vara tom")
        if max_length and len(value) > max_length:
            self.fail(path, f"är längre än {max_length} tecken")
        return value

    def day(self, value: Any, path: str, *, required: bool = False) -> date | None:
        if value is None:
            if required:
                self.fail(path, "saknas")
            return None
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        self.fail(path, f"ska vara ett datum ÅÅÅÅ-MM-DD, inte {value!r}")

    def number(self, value: Any, path: str, *, minimum: int = 0) -> int | None:
        if value is None:
            return None
        if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
            self.fail(path, f"ska vara ett heltal ≥ {minimum}")
        return value

    def choice(self, value: Any, path: str, choices: list[str]) -> str:
        if value not in choices:
            self.fail(path, f"ska vara en av {', '.join(choices)}, inte {value!r}")
        return value


def parse_file(path: Path) -> Parsed:
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise AgreementFileError(name, "", f"kan inte läsas: {error.strerror}") from None
    except UnicodeDecodeError:
        raise AgreementFileError(name, "", "är inte sparad som UTF-8") from None
    return parse_text(text, name)


def parse_text(text: str, name: str) -> Parsed:
    """Check the text of an agreement file; an error carries the path and, where it can be found, the
    line of the element that is wrong."""
    try:
        data = yaml.safe_load(text)
    except ValueError as error:  # e.g. an impossible unquoted date such as 2023-13-01
        raise AgreementFileError(name, "", f"innehåller ett ogiltigt värde: {error}") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"rad {mark.line + 1}, kolumn {mark.column + 1}" if mark else ""
        raise AgreementFileError(
            name,
            where,
            f"är inte giltig YAML: {getattr(error, 'problem', error)}",
            line=mark.line + 1 if mark else None,
        ) from None
    try:
        return parse_data(data, name)
    except AgreementFileError as error:
        error.line = line_of(text, error.path)
        raise


def parse_data(data: Any, name: str) -> Parsed:
    r = Reader(name)
    r.mapping(data, "", {"agreement", "version"}, {"agreement", "version"})
    a = r.mapping(
        data["agreement"],
        "agreement",
        {
            "county",
            "title",
            "short_title",
            "purpose",
            "common_goals",
            "valid_from",
            "valid_to",
            "notice_months",
            "extension_years",
            "review_every_years",
            "review_due",
            "adopted_by",
            "adopted_on",
            "decision_reference",
            "replaces",
            "related",
            "parties",
            "ratifications",
            "signatories",
        },
        {"county", "title", "valid_from", "parties"},
    )
    county = County.objects.filter(code=str(a["county"])).first()
    if county is None:
        r.fail("agreement.county", f"inget län har koden {a['county']!r}")
    agreement = {
        "title": r.text(a["title"], "agreement.title", max_length=300, required=True),
        "short_title": r.text(a.get("short_title"), "agreement.short_title", max_length=120),
        "purpose": r.text(a.get("purpose"), "agreement.purpose"),
        "common_goals": r.text(a.get("common_goals"), "agreement.common_goals"),
        "valid_from": r.day(a["valid_from"], "agreement.valid_from", required=True),
        "valid_to": r.day(a.get("valid_to"), "agreement.valid_to"),
        "notice_months": r.number(a.get("notice_months"), "agreement.notice_months"),
        "extension_years": r.number(a.get("extension_years"), "agreement.extension_years", minimum=1),
        "review_every_years": r.number(
            a.get("review_every_years"), "agreement.review_every_years", minimum=1
        ),
        "review_due": r.day(a.get("review_due"), "agreement.review_due"),
        "adopted_by": r.text(a.get("adopted_by"), "agreement.adopted_by", max_length=200),
        "adopted_on": r.day(a.get("adopted_on"), "agreement.adopted_on"),
        "decision_reference": r.text(
            a.get("decision_reference"), "agreement.decision_reference", max_length=200
        ),
        "replaces_text": r.text(a.get("replaces"), "agreement.replaces", max_length=300),
        "related_text": [
            r.text(item, f"agreement.related[{i}]", required=True)
            for i, item in enumerate(r.items(a.get("related"), "agreement.related"))
        ],
    }
    if agreement["valid_to"] and agreement["valid_to"] < agreement["valid_from"]:
        r.fail("agreement.valid_to", "ligger före valid_from")
    parties = _parties(r, a["parties"], county)
    return Parsed(
        county=county,
        agreement=agreement,
        parties=parties,
        ratifications=_ratifications(r, a.get("ratifications"), county, parties),
        signatories=_signatories(r, a.get("signatories"), county),
        **_version(r, data["version"]),
    )


def _ratifications(r: Reader, value: Any, county: County, parties: list) -> dict[int, dict]:
    """Each party's own ratification (by its council or board, on its own date), by organisation."""
    party_ids = {organisation.pk for organisation, _side in parties}
    found: dict[int, dict] = {}
    for i, item in enumerate(r.items(value, "agreement.ratifications")):
        path = f"agreement.ratifications[{i}]"
        item = r.mapping(item, path, {"party", "by", "on", "reference"}, {"party", "by", "on"})
        organisation = _organisation(r, item["party"], f"{path}.party", county)
        if organisation.pk not in party_ids:
            r.fail(f"{path}.party", f"{organisation.name} är inte part i överenskommelsen")
        if organisation.pk in found:
            r.fail(f"{path}.party", f"{organisation.name} har redan ett fastställande")
        found[organisation.pk] = {
            "ratified_by": r.text(item["by"], f"{path}.by", max_length=200, required=True),
            "ratified_on": r.day(item["on"], f"{path}.on", required=True),
            "ratification_reference": r.text(item.get("reference"), f"{path}.reference", max_length=200),
        }
    return found


def _organisation(r: Reader, value: Any, path: str, county: County) -> Organisation:
    key = r.text(value, path, required=True)
    organisation = (
        Organisation.objects.filter(county=county, code=key).first()
        or Organisation.objects.filter(county=county, name=key).first()
    )
    if organisation is None:
        r.fail(path, f"ingen organisation i {county} har koden eller namnet {key!r}")
    return organisation


def _parties(r: Reader, value: Any, county: County) -> list[tuple[Organisation, str]]:
    parties = r.mapping(value, "agreement.parties", {"region", "municipal"}, {"region", "municipal"})
    result, seen = [], set()
    for side in ("region", "municipal"):
        for i, item in enumerate(r.items(parties[side], f"agreement.parties.{side}")):
            organisation = _organisation(r, item, f"agreement.parties.{side}[{i}]", county)
            if organisation.pk in seen:
                r.fail(f"agreement.parties.{side}[{i}]", f"{organisation} är redan part")
            seen.add(organisation.pk)
            result.append((organisation, side))
    return result


def _signatories(r: Reader, value: Any, county: County) -> list[dict]:
    result = []
    for i, item in enumerate(r.items(value, "agreement.signatories")):
        path = f"agreement.signatories[{i}]"
        item = r.mapping(item, path, {"name", "title", "organisation"}, {"name"})
        result.append(
            {
                "name": r.text(item["name"], f"{path}.name", max_length=120, required=True),
                "title": r.text(item.get("title"), f"{path}.title", max_length=200),
                "organisation": _organisation(r, item["organisation"], f"{path}.organisation", county)
                if item.get("organisation")
                else None,
            }
        )
    return result


def _version(r: Reader, value: Any) -> dict:
    v = r.mapping(
        value,
        "version",
        {
            "number",
            "status",
            "adopted_on",
            "effective_from",
            "decision_reference",
            "change_log",
            "sections",
            "target_groups",
        },
        {"number", "status"},
    )
    status = r.choice(v["status"], "version.status", ["adopted", "draft"])
    version = {
        "number": r.number(v["number"], "version.number", minimum=1),
        "status": status,
        "adopted_on": r.day(v.get("adopted_on"), "version.adopted_on", required=status == "adopted"),
        "effective_from": r.day(v.get("effective_from"), "version.effective_from"),
        "decision_reference": r.text(
            v.get("decision_reference"), "version.decision_reference", max_length=200
        ),
    }
    change_log = []
    for i, item in enumerate(r.items(v.get("change_log"), "version.change_log")):
        path = f"version.change_log[{i}]"
        item = r.mapping(item, path, {"date", "change", "made_by"}, {"date", "change"})
        change_log.append(
            {
                "date": r.day(item["date"], f"{path}.date", required=True),
                "change": r.text(item["change"], f"{path}.change", required=True),
                "made_by": r.text(item.get("made_by"), f"{path}.made_by", max_length=200),
            }
        )
    sections: list[dict] = []
    _sections(r, v.get("sections"), "version.sections", None, sections, set())
    return {
        "version": version,
        "change_log": change_log,
        "sections": sections,
        "target_groups": _target_groups(r, v.get("target_groups")),
    }


def _sections(r: Reader, value, path: str, parent: str | None, out: list, seen: set) -> None:
    for i, item in enumerate(r.items(value, path)):
        here = f"{path}[{i}]"
        item = r.mapping(item, here, {"number", "title", "text", "sections"}, {"number", "title"})
        number = r.text(item["number"], f"{here}.number", max_length=20, required=True)
        if number in seen:
            r.fail(f"{here}.number", f"avsnitt {number} finns redan")
        if parent and not number.startswith(parent + "."):
            r.fail(f"{here}.number", f"ett underavsnitt till {parent} ska numreras {parent}.x")
        seen.add(number)
        out.append(
            {
                "number": number,
                "title": r.text(item["title"], f"{here}.title", max_length=300, required=True),
                "text": r.text(item.get("text"), f"{here}.text"),
                "parent_number": parent,
            }
        )
        _sections(r, item.get("sections"), f"{here}.sections", number, out, seen)


def _target_groups(r: Reader, value) -> list[dict]:
    groups, keys = [], set()
    for i, item in enumerate(r.items(value, "version.target_groups")):
        path = f"version.target_groups[{i}]"
        item = r.mapping(
            item,
            path,
            {
                "key",
                "name",
                "section",
                "description",
                "common_goals",
                "columns",
                "responsibility_areas",
                "development_areas",
            },
            {"key", "name"},
        )
        columns = r.mapping(item.get("columns") or {}, f"{path}.columns", set(Side.values))
        key = r.text(item["key"], f"{path}.key", max_length=60, required=True)
        if not KEY_PATTERN.match(key):
            r.fail(f"{path}.key", "får bara innehålla a–z, 0–9 och bindestreck")
        if key in keys:
            r.fail(f"{path}.key", f"nyckeln {key!r} används redan")
        keys.add(key)
        groups.append(
            {
                "key": key,
                "name": r.text(item["name"], f"{path}.name", max_length=300, required=True),
                "section_number": r.text(item.get("section"), f"{path}.section", max_length=20),
                "description": r.text(item.get("description"), f"{path}.description"),
                "common_goals": r.text(item.get("common_goals"), f"{path}.common_goals"),
                "column_headings": {
                    side: r.text(text, f"{path}.columns.{side}", max_length=120, required=True)
                    for side, text in columns.items()
                },
                "areas": [
                    _area(r, area, f"{path}.responsibility_areas[{j}]")
                    for j, area in enumerate(
                        r.items(item.get("responsibility_areas"), f"{path}.responsibility_areas")
                    )
                ],
                "development_areas": [
                    _development_area(r, area, f"{path}.development_areas[{j}]")
                    for j, area in enumerate(
                        r.items(item.get("development_areas"), f"{path}.development_areas")
                    )
                ],
            }
        )
    return groups


def _area(r: Reader, item, path: str) -> dict:
    item = r.mapping(item, path, {"name", "description", "duties"}, {"name"})
    duties = []
    for k, duty in enumerate(r.items(item.get("duties"), f"{path}.duties")):
        here = f"{path}.duties[{k}]"
        duty = r.mapping(duty, here, {"side", "text", "laws"}, {"side", "text"})
        laws = []
        for m, law in enumerate(r.items(duty.get("laws"), f"{here}.laws")):
            try:
                laws.append(parse_reference(r.text(law, f"{here}.laws[{m}]", required=True), r.laws()))
            except ValueError as error:
                r.fail(f"{here}.laws[{m}]", str(error))
        duties.append(
            {
                "side": r.choice(duty["side"], f"{here}.side", Side.values),
                "text": r.text(duty["text"], f"{here}.text", required=True),
                "laws": laws,
            }
        )
    return {
        "name": r.text(item["name"], f"{path}.name", max_length=300, required=True),
        "description": r.text(item.get("description"), f"{path}.description"),
        "duties": duties,
    }


def _development_area(r: Reader, item, path: str) -> dict:
    item = r.mapping(item, path, {"name", "owner_group", "description", "actions"}, {"name"})
    actions = []
    for k, action in enumerate(r.items(item.get("actions"), f"{path}.actions")):
        here = f"{path}.actions[{k}]"
        action = r.mapping(action, here, {"title", "owner", "due", "status"}, {"title"})
        actions.append(
            {
                "title": r.text(action["title"], f"{here}.title", max_length=300, required=True),
                "owner": r.text(action.get("owner"), f"{here}.owner", max_length=200),
                "due": r.day(action.get("due"), f"{here}.due"),
                "status": r.choice(
                    action.get("status", "planned"), f"{here}.status", ActionItem.Status.values
                ),
            }
        )
    return {
        "name": r.text(item["name"], f"{path}.name", max_length=300, required=True),
        "owner_group": r.text(item.get("owner_group"), f"{path}.owner_group", max_length=200),
        "description": r.text(item.get("description"), f"{path}.description"),
        "actions": actions,
    }


@transaction.atomic
def agreement_text_import(*, text: str, name: str, by: User | None) -> AgreementVersion:
    """Check the text of one file again (the database may have changed since it was shown) and import it
    in one transaction: nothing is written if anything fails."""
    return services.agreement_version_import(parsed=parse_text(text, name), source=name, by=by)


def agreement_import(*, paths: list[Path], by: User | None) -> list[AgreementVersion]:
    """Check every file, then import them all in one transaction (all or nothing)."""
    parsed = [(path, parse_file(path)) for path in paths]
    with transaction.atomic():
        return [services.agreement_version_import(parsed=p, source=str(path), by=by) for path, p in parsed]
