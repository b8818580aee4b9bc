"""What changed between two versions of an agreement: sections, areas and duties."""

from dataclasses import dataclass, field
from difflib import SequenceMatcher

from agreements.models import AgreementVersion, Duty, ResponsibilityArea, Section, Side


@dataclass
class SectionChange:
    number: str
    kind: str  # added, removed, changed
    old: Section | None
    new: Section | None


@dataclass
class DutyChange:
    kind: str  # added, removed, changed
    side: str
    old: str = ""
    new: str = ""


@dataclass
class AreaChange:
    target_group: str
    area: str
    kind: str  # added, removed, changed
    duties: list[DutyChange] = field(default_factory=list)


@dataclass
class VersionDiff:
    old: AgreementVersion
    new: AgreementVersion
    sections: list[SectionChange]
    areas: list[AreaChange]

    @property
    def is_empty(self) -> bool:
        return not self.sections and not self.areas


def _sections(version: AgreementVersion) -> dict[str, Section]:
    return {s.number: s for s in Section.objects.filter(version=version).order_by("order")}


def _duties(version: AgreementVersion) -> dict[tuple[str, str], dict[str, list[str]]]:
    """(target group name, area name) -> side -> duty texts in order."""
    table: dict[tuple[str, str], dict[str, list[str]]] = {}
    rows = (
        Duty.objects.filter(version=version)
        .order_by("area__target_group__order", "area__order", "order")
        .values_list("area__target_group__name", "area__name", "side", "text")
    )
    for group, area, side, text in rows:
        table.setdefault((group, area), {s: [] for s in Side.values})[side].append(text)
    for group, area in ResponsibilityArea.objects.filter(version=version).values_list(
        "target_group__name", "name"
    ):
        table.setdefault((group, area), {s: [] for s in Side.values})
    return table


def _duty_changes(old: dict[str, list[str]], new: dict[str, list[str]]) -> list[DutyChange]:
    changes = []
    for side in Side.values:
        a, b = old.get(side, []), new.get(side, [])
        for tag, i1, i2, j1, j2 in SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
            if tag == "equal":
                continue
            olds, news = a[i1:i2], b[j1:j2]
            for k in range(max(len(olds), len(news))):
                o = olds[k] if k < len(olds) else ""
                n = news[k] if k < len(news) else ""
                kind = "changed" if o and n else ("removed" if o else "added")
                changes.append(DutyChange(kind, side, o, n))
    return changes


def version_diff(old: AgreementVersion, new: AgreementVersion) -> VersionDiff:
    old_sections, new_sections = _sections(old), _sections(new)
    section_changes = []
    for number in list(dict.fromkeys([*old_sections, *new_sections])):
        a, b = old_sections.get(number), new_sections.get(number)
        if a and not b:
            section_changes.append(SectionChange(number, "removed", a, None))
        elif b and not a:
            section_changes.append(SectionChange(number, "added", None, b))
        elif (a.title, a.text) != (b.title, b.text):
            section_changes.append(SectionChange(number, "changed", a, b))
    old_duties, new_duties = _duties(old), _duties(new)
    area_changes = []
    for key in list(dict.fromkeys([*old_duties, *new_duties])):
        group, area = key
        if key not in new_duties:
            kind = "removed"
        elif key not in old_duties:
            kind = "added"
        else:
            kind = "changed"
        duties = _duty_changes(old_duties.get(key, {}), new_duties.get(key, {}))
        if kind != "changed" or duties:
            area_changes.append(AreaChange(group, area, kind, duties))
    return VersionDiff(old, new, section_changes, area_changes)
