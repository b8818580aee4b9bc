"""Writes for agreements. Each public function is atomic and attributable (history user and reason).

Adopted and superseded versions are frozen: these functions refuse to change them, and so does the
database (triggers from migration 0002).
"""

from datetime import date

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.text import slugify
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from agreements import CACHE_SCOPE, selectors
from agreements.models import (
    ActionItem,
    Agreement,
    AgreementParty,
    AgreementVersion,
    ChangeLogEntry,
    DevelopmentArea,
    Duty,
    Law,
    LegalReference,
    ResponsibilityArea,
    Section,
    Side,
    Signatory,
    TargetGroup,
)
from agreements.parsed import Parsed
from agreements.text import clean_text
from governance.models import Body  # an agreement is adopted by a body: agreements builds on governance
from samverkan import pagecache
from samverkan.concurrency import guard
from samverkan.history import attribute
from samverkan.models import County, Organisation
from samverkan.tasks import enqueue_on_commit


def _bulk(model, objects: list, *, by: User | None, reason: str) -> list:
    if not objects:
        return []
    if hasattr(model, "history"):
        return bulk_create_with_history(objects, model, default_user=by, default_change_reason=reason)
    return model.objects.bulk_create(objects)


def _require_draft(version: AgreementVersion) -> None:
    if version.is_frozen:
        raise ValidationError(
            _("Version %(number)s är %(status)s och kan inte ändras. Skapa en ny version.")
            % {"number": version.number, "status": version.get_status_display().lower()}
        )


# --- Import -----------------------------------------------------------------------------------------


@pagecache.changes(CACHE_SCOPE)
@transaction.atomic
def party_ratification_record(
    *, party: AgreementParty, ratified_by: str, ratified_on, reference: str, by: User | None, reason: str
) -> AgreementParty:
    """Record that the party's own council or board ratified the agreement (or correct the record); an
    empty ``ratified_on`` takes the ratification back. The history keeps every change."""
    party.ratified_by, party.ratified_on, party.ratification_reference = ratified_by, ratified_on, reference
    if ratified_on and not ratified_by.strip():
        raise ValidationError(
            {"ratified_by": _("Ange vilket organ hos parten som fastställde överenskommelsen.")}
        )
    adopted_on = party.agreement.adopted_on
    if ratified_on and adopted_on and ratified_on < adopted_on:
        raise ValidationError(
            {"ratified_on": _("En part kan inte fastställa överenskommelsen före antagandet.")}
        )
    party.full_clean()
    attribute(party, by=by, reason=reason)
    party.save(update_fields=["ratified_by", "ratified_on", "ratification_reference"])
    return party


@pagecache.changes(CACHE_SCOPE)
@transaction.atomic
def agreement_adopting_body_set(
    *, agreement: Agreement, body: Body | None, by: User | None, reason: str = ""
) -> Agreement:
    """Link the agreement to the body that adopted it (a body of the agreement's county), or unlink it;
    also after an import, whose text named no body of the portal."""
    if body is not None and body.county_id != agreement.county_id:
        raise ValidationError({"adopting_body": _("Organet ska höra till överenskommelsens län.")})
    agreement.adopting_body = body
    if body is not None and not agreement.adopted_by:
        agreement.adopted_by = body.name
    attribute(agreement, by=by, reason=reason or _("Antagande organ angivet"))
    agreement.save(update_fields=["adopting_body", "adopted_by"])
    return agreement


@pagecache.changes(CACHE_SCOPE)
@transaction.atomic
def agreement_version_import(*, parsed: Parsed, source: str, by: User | None) -> AgreementVersion:
    """Create (or update) the agreement described by a parsed file and add its version."""
    reason = _("Import från %(file)s") % {"file": source}
    agreement = Agreement.objects.filter(county=parsed.county, title=parsed.agreement["title"]).first()
    if agreement is None:
        agreement = Agreement(county=parsed.county, **parsed.agreement)
    else:
        if agreement.versions.filter(number=parsed.version["number"]).exists():
            raise ValidationError(
                _("%(file)s: överenskommelsen har redan en version %(number)s")
                % {"file": source, "number": parsed.version["number"]}
            )
        for field, value in parsed.agreement.items():
            setattr(agreement, field, value)
    agreement.adopting_body = selectors.adopting_body_find(parsed.county, agreement.adopted_by)
    agreement.full_clean(exclude=["related"])
    attribute(agreement, by=by, reason=reason)
    agreement.save()
    agreement.parties.all().delete()
    AgreementParty.objects.bulk_create(
        AgreementParty(
            agreement=agreement, organisation=org, side=side, **parsed.ratifications.get(org.pk, {})
        )
        for org, side in parsed.parties
    )
    agreement.signatories.all().delete()
    Signatory.objects.bulk_create(
        Signatory(agreement=agreement, order=i, **item) for i, item in enumerate(parsed.signatories)
    )

    data = parsed.version
    version = AgreementVersion(
        agreement=agreement,
        number=data["number"],
        decision_reference=data["decision_reference"],
        created_by=by,
    )
    attribute(version, by=by, reason=reason)
    version.save()
    _content_create(version, parsed, by=by, reason=reason)
    if data["status"] == AgreementVersion.Status.ADOPTED:
        _adopt(
            version,
            adopted_on=data["adopted_on"],
            effective_from=data["effective_from"] or max(data["adopted_on"], agreement.valid_from),
            decision_reference=data["decision_reference"],
            by=by,
            reason=reason,
        )
    return version


@pagecache.changes(CACHE_SCOPE)
@transaction.atomic
def agreement_create(
    *,
    county: County,
    values: dict,
    region_parties: list[Organisation],
    municipal_parties: list[Organisation],
    first_target_group: str = "",
    by: User | None,
) -> AgreementVersion:
    """A new agreement made in the browser: its terms and parties, and a first draft version with a section
    for the purpose and, if named, a first target group whose table the editor then fills in. Written by
    the same code as an imported file."""
    title = values["title"].strip()
    if Agreement.objects.filter(county=county, title=title).exists():
        raise ValidationError({"title": _("Det finns redan en överenskommelse med den titeln i länet.")})
    parties = [(org, Side.REGION) for org in region_parties] + [
        (org, Side.MUNICIPAL) for org in municipal_parties
    ]
    if not parties:
        raise ValidationError({"municipal_parties": _("Välj överenskommelsens parter.")})
    if any(org.county_id != county.pk for org, _side in parties):
        raise ValidationError({"municipal_parties": _("Parterna ska höra till länet.")})
    purpose = values.get("purpose", "")
    group = first_target_group.strip()
    parsed = Parsed(
        county=county,
        agreement={
            "title": title,
            "short_title": values.get("short_title", ""),
            "purpose": purpose,
            "common_goals": "",
            "valid_from": values["valid_from"],
            "valid_to": values.get("valid_to"),
            "notice_months": values.get("notice_months"),
            "extension_years": values.get("extension_years"),
            "review_every_years": None,
            "review_due": None,
            "adopted_by": "",
            "adopted_on": None,
            "decision_reference": "",
            "replaces_text": "",
            "related_text": [],
        },
        parties=parties,
        signatories=[],
        version={
            "number": 1,
            "status": "draft",
            "adopted_on": None,
            "effective_from": None,
            "decision_reference": "",
        },
        change_log=[],
        sections=[{"number": "1", "title": _("Syfte"), "text": purpose, "parent_number": None}],
        target_groups=[
            {
                "key": slugify(group)[:60].strip("-") or "malgrupp",
                "name": group,
                "section_number": "1",
                "description": "",
                "common_goals": "",
                "areas": [],
                "development_areas": [],
            }
        ]
        if group
        else [],
    )
    return agreement_version_import(parsed=parsed, source=_("formuläret Ny överenskommelse"), by=by)


@pagecache.changes(CACHE_SCOPE)
@transaction.atomic
def version_draft_from_document(
    *, agreement: Agreement, sections: list[dict], target_groups: list[dict], source: str, by: User | None
) -> AgreementVersion:
    """A draft version with the content read from a document (agreements/docx_import.py): a new draft, or
    the agreement's draft if it has no content yet (as a new agreement from the form has). A draft with
    content is not overwritten."""
    reason = _("Utkast från %(file)s") % {"file": source}
    draft = agreement.versions.filter(status=AgreementVersion.Status.DRAFT).first()
    if draft is not None:
        if Duty.objects.filter(version=draft).exists() or Section.objects.filter(version=draft).count() > 1:
            raise ValidationError(
                _(
                    "Överenskommelsen har redan ett utkast med innehåll (version %(n)s). "
                    "Anta eller ändra det först."
                )
                % {"n": draft.number}
            )
        for model in (ResponsibilityArea, TargetGroup, Section):
            for item in model.objects.filter(version=draft):
                attribute(item, by=by, reason=reason)
                item.delete()
        version = draft
    else:
        number = (agreement.versions.aggregate(last=Max("number"))["last"] or 0) + 1
        version = AgreementVersion(agreement=agreement, number=number, created_by=by)
        attribute(version, by=by, reason=reason)
        version.save()
    content = Parsed(
        county=agreement.county,
        agreement={},
        parties=[],
        signatories=[],
        version={},
        change_log=[],
        sections=sections,
        target_groups=target_groups,
    )
    _content_create(version, content, by=by, reason=reason)
    return version


@pagecache.changes(CACHE_SCOPE)
@transaction.atomic
def law_save(*, law: Law, by: User, reason: str) -> Law:
    """Add a law to the catalogue or change one (a superuser's work). A law never replaces itself, nor
    (through others) a law that replaces it."""
    seen, current = {law.pk}, law.replaced_by
    while current is not None:
        if current.pk in seen:
            raise ValidationError(
                {"replaced_by": _("En lag kan inte ersättas av sig själv, inte heller via andra.")}
            )
        seen.add(current.pk)
        current = current.replaced_by
    law.full_clean()
    attribute(law, by=by, reason=reason)
    law.save()
    return law


@pagecache.changes(CACHE_SCOPE)
@transaction.atomic
def target_group_headings_set(
    *, group: TargetGroup, headings: dict[str, str], by: User | None
) -> TargetGroup:
    """A draft table's own column headings, e.g. by service ("Socialtjänst", "Hälso- och sjukvård")."""
    _require_draft(group.version)
    group.column_headings = {side: text.strip() for side, text in headings.items() if text and text.strip()}
    group.full_clean()
    attribute(group, by=by, reason=_("Kolumnrubriker ändrade"))
    group.save(update_fields=["column_headings"])
    return group


def _content_create(version: AgreementVersion, parsed: Parsed, *, by: User | None, reason: str) -> None:
    _bulk(
        ChangeLogEntry,
        [ChangeLogEntry(version=version, order=i, **entry) for i, entry in enumerate(parsed.change_log)],
        by=by,
        reason=reason,
    )
    by_number: dict[str, Section] = {}
    for i, item in enumerate(parsed.sections):  # parents come before their children
        section = Section(
            version=version,
            order=i,
            number=item["number"],
            title=item["title"],
            text=item["text"],
            parent=by_number.get(item["parent_number"]),
        )
        attribute(section, by=by, reason=reason)
        section.save()
        by_number[section.number] = section
    laws = {law.code: law for law in Law.objects.all()}
    for g, group_data in enumerate(parsed.target_groups):
        group = TargetGroup(
            version=version,
            order=g,
            key=group_data["key"],
            name=group_data["name"],
            section_number=group_data["section_number"],
            description=group_data["description"],
            common_goals=group_data["common_goals"],
            column_headings=group_data.get("column_headings") or {},
        )
        attribute(group, by=by, reason=reason)
        group.save()
        areas = _bulk(
            ResponsibilityArea,
            [
                ResponsibilityArea(
                    version=version,
                    target_group=group,
                    order=a,
                    name=area["name"],
                    description=area["description"],
                )
                for a, area in enumerate(group_data["areas"])
            ],
            by=by,
            reason=reason,
        )
        duties, references = [], []
        for area, area_data in zip(areas, group_data["areas"], strict=True):
            for d, duty_data in enumerate(area_data["duties"]):
                duty = Duty(
                    version=version, area=area, order=d, side=duty_data["side"], text=duty_data["text"]
                )
                duties.append(duty)
                references.append(duty_data["laws"])
        duties = _bulk(Duty, duties, by=by, reason=reason)
        LegalReference.objects.bulk_create(
            LegalReference(
                version=version,
                duty=duty,
                order=r,
                law=laws[ref.law],
                chapter=ref.chapter,
                paragraph=ref.paragraph,
                point=ref.point,
            )
            for duty, refs in zip(duties, references, strict=True)
            for r, ref in enumerate(refs)
        )
        for a, dev_data in enumerate(group_data["development_areas"]):
            dev = DevelopmentArea.objects.create(
                version=version,
                target_group=group,
                order=a,
                name=dev_data["name"],
                owner_group=dev_data["owner_group"],
                description=dev_data["description"],
            )
            _bulk(
                ActionItem,
                [
                    ActionItem(development_area=dev, order=i, **action)
                    for i, action in enumerate(dev_data["actions"])
                ],
                by=by,
                reason=reason,
            )


# --- Versions ---------------------------------------------------------------------------------------


def _adopt(
    version: AgreementVersion,
    *,
    adopted_on: date,
    effective_from: date,
    decision_reference: str,
    by: User | None,
    reason: str,
) -> None:
    current = AgreementVersion.objects.filter(
        agreement=version.agreement_id, status=AgreementVersion.Status.ADOPTED
    ).first()
    if current:
        current.status = AgreementVersion.Status.SUPERSEDED
        attribute(current, by=by, reason=reason)
        current.save(update_fields=["status"])
    version.status = AgreementVersion.Status.ADOPTED
    version.adopted_on = adopted_on
    version.effective_from = effective_from
    version.decision_reference = decision_reference
    version.full_clean()
    attribute(version, by=by, reason=reason)
    version.save(update_fields=["status", "adopted_on", "effective_from", "decision_reference"])
    enqueue_on_commit("agreements.tasks.version_pdf_render", version.pk)  # the task renders the PDF


@pagecache.changes(CACHE_SCOPE)
@transaction.atomic
def version_adopt(
    *,
    version: AgreementVersion,
    adopted_on: date,
    effective_from: date | None = None,
    decision_reference: str,
    change: str,
    by: User | None,
) -> AgreementVersion:
    """Adopt a draft: record the change in its log, freeze it and mark the previous adopted version
    superseded. It is in force from ``effective_from`` (default: ``adopted_on``); until then the previous
    version stays in force (``Agreement.state_on``)."""
    version = AgreementVersion.objects.select_for_update().get(pk=version.pk)
    _require_draft(version)
    if not decision_reference.strip():
        raise ValidationError(
            {"decision_reference": _("Ange beslutsreferensen, t.ex. protokollsparagrafen.")}
        )
    if not change.strip():
        raise ValidationError({"change": _("Beskriv vad som ändrats i versionen.")})
    made_by = (by.get_full_name() or by.username) if by else ""
    order = (ChangeLogEntry.objects.filter(version=version).aggregate(m=Max("order"))["m"] or 0) + 1
    entry = ChangeLogEntry(version=version, order=order, date=adopted_on, change=change, made_by=made_by)
    entry.full_clean()
    entry.save()
    _adopt(
        version,
        adopted_on=adopted_on,
        effective_from=effective_from or adopted_on,
        decision_reference=decision_reference,
        by=by,
        reason=_("Antagen: %(ref)s") % {"ref": decision_reference},
    )
    return version


@pagecache.changes(CACHE_SCOPE)
@transaction.atomic
def version_revision_create(*, agreement: Agreement, by: User | None, reason: str) -> AgreementVersion:
    """Start a new draft as a copy of the newest adopted version (which may not be in force yet), or of the
    newest version."""
    if agreement.versions.filter(status=AgreementVersion.Status.DRAFT).exists():
        raise ValidationError(_("Det finns redan ett utkast till en ny version."))
    base = (
        agreement.versions.filter(status=AgreementVersion.Status.ADOPTED).first()
        or agreement.versions.order_by("-number").first()
    )
    number = (agreement.versions.aggregate(m=Max("number"))["m"] or 0) + 1
    draft = AgreementVersion(agreement=agreement, number=number, based_on=base, created_by=by)
    attribute(draft, by=by, reason=reason)
    draft.save()
    if base:
        _content_copy(base, draft, by=by, reason=reason)
    return draft


def _content_copy(
    source: AgreementVersion, target: AgreementVersion, *, by: User | None, reason: str
) -> None:
    sections = list(Section.objects.filter(version=source).order_by("order"))
    new_sections: dict[int, Section] = {}
    for section in sections:  # ordered so that parents come first
        copy = Section(
            version=target,
            order=section.order,
            number=section.number,
            title=section.title,
            text=section.text,
            parent=new_sections.get(section.parent_id),
        )
        attribute(copy, by=by, reason=reason)
        copy.save()
        new_sections[section.pk] = copy
    for group in TargetGroup.objects.filter(version=source):
        old_group_id = group.pk
        group.pk, group.version = None, target
        attribute(group, by=by, reason=reason)
        group.save()
        _areas_copy(old_group_id, group, target, by=by, reason=reason)


def _areas_copy(old_group_id: int, group: TargetGroup, target: AgreementVersion, *, by, reason: str) -> None:
    areas = list(ResponsibilityArea.objects.filter(target_group_id=old_group_id).order_by("order"))
    new_areas = _bulk(
        ResponsibilityArea,
        [
            ResponsibilityArea(
                version=target, target_group=group, order=a.order, name=a.name, description=a.description
            )
            for a in areas
        ],
        by=by,
        reason=reason,
    )
    area_map = {old.pk: new for old, new in zip(areas, new_areas, strict=True)}
    duties = list(Duty.objects.filter(area__in=areas).prefetch_related("legal_references").order_by("order"))
    new_duties = _bulk(
        Duty,
        [
            Duty(version=target, area=area_map[d.area_id], order=d.order, side=d.side, text=d.text)
            for d in duties
        ],
        by=by,
        reason=reason,
    )
    LegalReference.objects.bulk_create(
        LegalReference(
            version=target,
            duty=new,
            order=ref.order,
            law_id=ref.law_id,
            chapter=ref.chapter,
            paragraph=ref.paragraph,
            point=ref.point,
        )
        for old, new in zip(duties, new_duties, strict=True)
        for ref in old.legal_references.all()
    )
    for dev in DevelopmentArea.objects.filter(target_group_id=old_group_id).prefetch_related("actions"):
        actions = list(dev.actions.all())
        dev.pk, dev.version, dev.target_group = None, target, group
        dev.save()
        ActionItem.objects.bulk_create(
            ActionItem(
                development_area=dev, order=a.order, title=a.title, owner=a.owner, due=a.due, status=a.status
            )
            for a in actions
        )


# --- Editing a draft --------------------------------------------------------------------------------


@pagecache.changes(CACHE_SCOPE)
@transaction.atomic
def duty_create(*, area: ResponsibilityArea, side: str, text: str, by: User | None, reason: str) -> Duty:
    _require_draft(area.version)
    order = (area.duties.aggregate(m=Max("order"))["m"] or 0) + 1
    duty = Duty(version=area.version, area=area, side=side, text=clean_text(text), order=order)
    duty.full_clean(exclude=["search"])
    attribute(duty, by=by, reason=reason)
    duty.save()
    return duty


@pagecache.changes(CACHE_SCOPE)
@transaction.atomic
def duty_update(
    *, duty: Duty, side: str, text: str, by: User | None, reason: str, seen: str | None = None
) -> Duty:
    """Change a duty of a draft; ``seen`` is the version the editor's form showed (no lost updates)."""
    _require_draft(duty.version)
    guard(duty, seen)
    duty.side, duty.text = side, clean_text(text)
    duty.full_clean(exclude=["search"])
    attribute(duty, by=by, reason=reason)
    duty.save(update_fields=["side", "text"])
    return duty


@pagecache.changes(CACHE_SCOPE)
@transaction.atomic
def duty_delete(*, duty: Duty, by: User | None, reason: str) -> None:
    _require_draft(duty.version)
    attribute(duty, by=by, reason=reason)
    duty.delete()


@pagecache.changes(CACHE_SCOPE)
@transaction.atomic
def area_create(*, target_group: TargetGroup, name: str, by: User | None, reason: str) -> ResponsibilityArea:
    _require_draft(target_group.version)
    order = (target_group.areas.aggregate(m=Max("order"))["m"] or 0) + 1
    area = ResponsibilityArea(
        version=target_group.version, target_group=target_group, name=name.strip(), order=order
    )
    area.full_clean(exclude=["search"])
    attribute(area, by=by, reason=reason)
    area.save()
    return area


@pagecache.changes(CACHE_SCOPE)
@transaction.atomic
def area_update(
    *, area: ResponsibilityArea, name: str, by: User | None, reason: str, seen: str | None = None
) -> ResponsibilityArea:
    _require_draft(area.version)
    guard(area, seen)
    area.name = name.strip()
    area.full_clean(exclude=["search"])
    attribute(area, by=by, reason=reason)
    area.save(update_fields=["name"])
    return area


@pagecache.changes(CACHE_SCOPE)
@transaction.atomic
def area_delete(*, area: ResponsibilityArea, by: User | None, reason: str) -> None:
    _require_draft(area.version)
    attribute(area, by=by, reason=reason)
    area.delete()


def _move(item, siblings: list, *, up: bool, by: User | None, reason: str) -> None:
    """Swap ``item`` with its neighbour above (or below) among ``siblings`` and renumber their order."""
    index = siblings.index(item)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(siblings):
        return
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, sibling in enumerate(siblings):
        if sibling.order != position:
            sibling.order = position
            attribute(sibling, by=by, reason=reason)
            sibling.save(update_fields=["order"])


@pagecache.changes(CACHE_SCOPE)
@transaction.atomic
def area_move(*, area: ResponsibilityArea, up: bool, by: User | None, reason: str) -> None:
    """Move the area one row up (or down) in its table."""
    _require_draft(area.version)
    _move(area, list(area.target_group.areas.order_by("order", "pk")), up=up, by=by, reason=reason)


@pagecache.changes(CACHE_SCOPE)
@transaction.atomic
def duty_move(*, duty: Duty, up: bool, by: User | None, reason: str) -> None:
    """Move the duty one place up (or down) among the duties of its area and side."""
    _require_draft(duty.version)
    siblings = list(Duty.objects.filter(area=duty.area_id, side=duty.side).order_by("order", "pk"))
    _move(duty, siblings, up=up, by=by, reason=reason)


@pagecache.changes(CACHE_SCOPE)
@transaction.atomic
def section_update(
    *, section: Section, title: str, text: str, by: User | None, reason: str, seen: str | None = None
) -> Section:
    _require_draft(section.version)
    guard(section, seen)
    section.title, section.text = title.strip(), clean_text(text)
    section.full_clean()
    attribute(section, by=by, reason=reason)
    section.save(update_fields=["title", "text"])
    return section
