"""The authorisation matrix: every URL of the portal × ten personas × GET and POST, against the outcome
written down here.

One world is built for the module through the real services (an agreement with an adopted version and a
draft, LSVO with a chair, a secretary and a member, a meeting with a published agenda, a meeting whose
protocol is being adjusted, a deviation handled by LSVO and a dispute between two parties). Each persona's
test runs in a savepoint of the world's transaction, and every request in a savepoint within it, both
rolled back (tests/shared.py), so a POST that succeeds changes nothing for the next request or persona.

Outcomes: ``OK`` (the request reached the view: a page, a file, a redirect after the action, or the form
again with its errors), ``LOGIN`` (anonymous on a protected URL), ``DENIED`` (403: visible but not
allowed), ``HIDDEN`` (404: invisible to this persona) and ``METHOD`` (405). A URL added to the URLconf
without a row here fails ``test_every_url_has_a_row``. A row named ``name@case`` is the same URL pointing at
another object of the world (a draft, an unpublished protocol): downloads have one wherever their object
can be hidden, and ``test_every_download_is_guarded`` fails for a URL that returns a file without one. The
admin site is Django's own, staff only, and tested in test_urls.py.
"""

import shutil
from dataclasses import dataclass
from datetime import date, timedelta
from http.cookies import SimpleCookie

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from agreements import services as agreement_services
from agreements.models import Duty, ResponsibilityArea, Section
from deviations import services as deviation_services
from deviations.models import Case, LadderLevel
from governance import services as governance_services
from governance.models import AgendaItem, CycleDuty, Decision, Membership, Seat
from samverkan import services as core_services
from samverkan.models import Role
from tests.deviations.conftest import escalate_unanswered, report
from tests.factories import BodyFactory, UserFactory, agreement, county, organisation, pdf_upload, person
from tests.governance.conftest import agenda, at, board_for, record
from tests.shared import built_once

OK, LOGIN, DENIED, HIDDEN, METHOD = "ok", "login", 403, 404, 405

PERSONAS = (
    "anonymous",
    "official_a",  # Karlskrona: reported the deviation, party to the dispute
    "official_b",  # Ronneby: same county, party to nothing
    "other_county",  # Kalmar
    "chair",  # of LSVO (Sölvesborg, no official role)
    "secretary",  # of LSVO (Region Blekinge, no official role)
    "member",  # of LSVO (Region Blekinge): submitted the item, adjusts the protocol
    "editor",  # edits Blekinge's agreements; official of Region Blekinge (the concerned party)
    "admin",  # county administrator of Blekinge
    "superuser",
    "roles_secretary",  # made secretary of LSVO at /roller/ (Region Blekinge, no official role)
    "other_admin",  # county administrator of Kalmar: Blekinge's people and bodies are not theirs
)
SIGNED_IN = PERSONAS[1:]


def everyone(outcome) -> dict:
    return dict.fromkeys(PERSONAS, outcome)


def signed_in(outcome, **exceptions) -> dict:
    """Anonymous visitors are sent to the login page; everybody else gets ``outcome`` unless excepted."""
    return {"anonymous": LOGIN} | dict.fromkeys(SIGNED_IN, outcome) | exceptions


def only(*allowed: str, others=DENIED, **exceptions) -> dict:
    """Protected: the personas named may, the other signed-in personas get ``others``."""
    return signed_in(others, **dict.fromkeys(allowed, OK), **exceptions)


def read() -> dict:
    """A public page or file: everyone reads it; a POST is refused."""
    return {"GET": everyone(OK), "POST": everyone(METHOD)}


def page(get: dict, post: dict | None = None) -> dict:
    """A protected page; without a form, a POST is refused (after the login check)."""
    return {"GET": get, "POST": post or signed_in(METHOD)}


def action(post: dict) -> dict:
    """A POST-only action; a GET is refused (after the login check)."""
    return {"GET": signed_in(METHOD), "POST": post}


def form(who: dict) -> dict:
    """A page with a form: the same personas may open it and send it."""
    return {"GET": who, "POST": who}


EDITORS = ("editor", "superuser")
RUNNERS = ("secretary", "admin", "superuser")  # run LSVO's meetings: its secretary and the county's admins
MEMBERS = ("chair", "secretary", "member")
ROLE_ADMINS = ("admin", "superuser")
# The deviation is at level 2, handled by LSVO; the dispute is at level 1, between Karlskrona and the Region.
SEE_CASE = ("official_a", *MEMBERS, "editor", "admin", "superuser")
CASE_HIDDEN = {"official_b": HIDDEN, "other_county": HIDDEN}
NOT_IN_DISPUTE = {"chair": HIDDEN, "secretary": HIDDEN, "member": HIDDEN}  # LSVO is not involved (yet)
HANDLERS = ("chair", "secretary", "admin", "superuser")  # of LSVO's level, and its queue
REPORTERS = ("official_a", "official_b", "other_county", "chair", "secretary", "editor", "admin", "superuser")
DRAFT = dict(others=HIDDEN)  # the draft version is invisible to all but its county's editors
SEE_PROTOCOL = (*MEMBERS, "admin", "superuser")  # a protocol before it is published: members and runners


def hidden_but_for(*allowed: str, **exceptions) -> dict:
    """A download (or page) of an object only the personas named may see: 404 for everybody else, including
    anonymous visitors; a POST is refused."""
    return {"GET": everyone(HIDDEN) | dict.fromkeys(allowed, OK) | exceptions, "POST": everyone(METHOD)}


EXPECTED: dict[str, dict] = {
    # --- The core -------------------------------------------------------------------------------------
    "home": read(),
    "healthz": read(),
    "favicon": read(),
    "accessibility": read(),
    "county_list": read(),
    "county_detail": read(),
    "login": form(everyone(OK)),  # signed-in visitors are sent on
    "logout": {"GET": everyone(METHOD), "POST": everyone(OK)},
    "password_change": form(signed_in(OK)),
    "password_change_done": page(signed_in(OK)),
    "password_reset": form(everyone(OK)),
    "password_reset_done": read(),
    "password_reset_confirm": form(everyone(OK)),  # an invalid link says so, whatever the method
    "password_reset_complete": read(),
    "language": read(),  # a GET that sets the language cookie
    "account": page(signed_in(OK)),
    "acting_organisation_set": action(signed_in(OK)),
    "role_people": page(only(*ROLE_ADMINS)),
    "role_person": form(only(*ROLE_ADMINS, others=HIDDEN)),  # people outside one's counties are invisible
    "role_remove": action(only(*ROLE_ADMINS, others=HIDDEN)),
    "workspace": page(only(*ROLE_ADMINS)),
    # A county's people: only its administrators (and superusers) see that the county has any.
    "people": page(only(*ROLE_ADMINS, others=HIDDEN)),
    "person_invite": form(only(*ROLE_ADMINS, others=HIDDEN)),
    "people_import": form(only(*ROLE_ADMINS, others=HIDDEN)),
    "person_edit": form(only(*ROLE_ADMINS, others=HIDDEN)),
    "person_deactivate": action(only(*ROLE_ADMINS, others=HIDDEN)),
    "person_reactivate": action(only(*ROLE_ADMINS, others=HIDDEN)),
    "invitation_resend": action(only(*ROLE_ADMINS, others=HIDDEN)),
    "invitation_accept": {"GET": everyone(HIDDEN), "POST": everyone(HIDDEN)},  # a link that is not valid
    # --- Sign-in with the organisation's account, and the second factor --------------------------------
    "signin:start": read(),  # no organisation chosen: the choice again, with its error
    "signin:saml_metadata": read(),
    "signin:saml_acs": {"GET": everyone(METHOD), "POST": everyone(OK)},  # no login started: refused, 400
    "signin:saml_sls": read(),
    "signin:oidc_callback": read(),  # no login started: refused, 400
    "signin:signed_out": read(),
    "signin:second_factor": form(signed_in(OK)),  # nothing pending: sent on
    # A county's connections to identity providers: only its administrators see them.
    "signin_admin:connections": page(only(*ROLE_ADMINS, others=HIDDEN)),
    "signin_admin:connection_edit": form(only(*ROLE_ADMINS, others=HIDDEN)),
    "signin_admin:connection_refresh": action(only(*ROLE_ADMINS, others=HIDDEN)),
    # --- Agreements -----------------------------------------------------------------------------------
    "agreements:list": read(),
    "agreements:upload": form(only(*EDITORS)),
    "agreements:new": form(only(*EDITORS)),
    "agreements:word_upload": form(only(*EDITORS)),
    "agreements:table_headings": action(only(*EDITORS, others=HIDDEN)),
    "agreements:law_new": form(only("superuser")),
    "agreements:law_edit": form(only("superuser")),
    "agreements:search": read(),
    "agreements:law_list": read(),
    "agreements:law_detail": read(),
    "agreements:area_compare": read(),
    "agreements:detail": read(),
    "agreements:compare": read(),
    "agreements:version": read(),
    "agreements:version_history": read(),
    "agreements:table": read(),
    "agreements:pdf": read(),
    "agreements:pdf@draft": hidden_but_for(*EDITORS),
    "agreements:notice_watch": page(only(*EDITORS)),
    "agreements:revision_create": action(only(*EDITORS)),
    "agreements:adopting_body_edit": form(only(*EDITORS)),
    "agreements:ratification_edit": form(only(*EDITORS)),
    "agreements:adopt": form(only(*EDITORS, **DRAFT)),
    "agreements:table_edit": form(only(*EDITORS, **DRAFT)),
    "agreements:section_edit": form(only(*EDITORS, **DRAFT)),
    "agreements:area_add": action(only(*EDITORS, **DRAFT)),
    "agreements:area_change": action(only(*EDITORS, **DRAFT)),
    "agreements:duty_add": action(only(*EDITORS, **DRAFT)),
    "agreements:duty_change": action(only(*EDITORS, **DRAFT)),
    # --- Governance -----------------------------------------------------------------------------------
    "governance:directory": read(),
    "governance:body": read(),
    "governance:body_calendar": read(),
    "governance:protocol_feed": read(),
    "governance:meeting": read(),
    "governance:meeting_pdf": read(),
    "governance:meeting_pdf@protocol": hidden_but_for(*SEE_PROTOCOL),  # being adjusted, not published
    "governance:meeting_pdf@planned": hidden_but_for(*SEE_PROTOCOL),  # no agenda sent yet
    "governance:meeting_docx": read(),
    "governance:meeting_docx@protocol": hidden_but_for(*SEE_PROTOCOL),
    "governance:meeting_docx@planned": hidden_but_for(*SEE_PROTOCOL),
    "governance:item_memo": read(),
    "governance:item_memo@planned": hidden_but_for(*SEE_PROTOCOL),  # an item of a meeting not yet called
    "governance:attachment": read(),  # of an accepted item on a published agenda
    "governance:attachment@planned": hidden_but_for(*SEE_PROTOCOL),
    # A decision enters the register when its protocol is adjusted; the public reads it once published.
    "governance:decision_plan": hidden_but_for(*SEE_PROTOCOL),
    "governance:decision_plan@published": read(),
    "governance:annual_cycle": read(),
    "governance:cycle_docx": read(),
    "governance:body_template": read(),
    "governance:my_calendar": page(signed_in(OK)),
    "governance:mine": page(signed_in(OK)),
    "governance:meeting_new": form(only(*RUNNERS)),
    # Setting up bodies: the county's administrators. A body is public (403); a county's page of new
    # bodies is not offered outside the counties one administers (404).
    "governance:body_new": form(only(*ROLE_ADMINS, others=HIDDEN)),
    "governance:body_admin": form(only(*ROLE_ADMINS)),
    "governance:body_end": action(only(*ROLE_ADMINS)),
    "governance:seat_add": action(only(*ROLE_ADMINS)),
    "governance:seat_remove": action(only(*ROLE_ADMINS)),
    "governance:member_add": action(only(*ROLE_ADMINS)),
    "governance:membership_end": action(only(*ROLE_ADMINS)),
    "governance:meeting_history": page(only(*MEMBERS, "admin", "superuser")),
    "governance:item_submit": action(only(*MEMBERS)),
    "governance:written_views": action(only(*MEMBERS)),
    "governance:attachment_upload": action(only(*RUNNERS, "member")),  # the secretary, or who submitted
    "governance:attachment_remove": action(only(*RUNNERS, "member")),
    "governance:item_decide": action(only(*RUNNERS)),
    "governance:agenda_publish": action(only(*RUNNERS)),
    "governance:attendance": form(only(*RUNNERS)),
    # The paragraph is of a protocol being adjusted: members see it, the others do not.
    "governance:paragraph_save": action(only(*RUNNERS, others=HIDDEN, chair=DENIED, member=DENIED)),
    "governance:paragraph_correct": action(only(*RUNNERS, others=HIDDEN, chair=DENIED, member=DENIED)),
    "governance:adjustment_send": action(only(*RUNNERS)),
    "governance:adjust": action(only("member")),  # the designated adjuster alone
    "governance:adjust_request_change": action(only("member")),
    "governance:protocol_publish": action(only(*RUNNERS)),
    "governance:decision_follow_up": action(only(*RUNNERS, others=HIDDEN, chair=DENIED, member=DENIED)),
    "governance:cycle_generate": action(only(*RUNNERS)),
    "governance:cycle_rule_add": action(only(*RUNNERS)),
    "governance:cycle_duty": action(only(*RUNNERS)),
    # --- Deviations and disputes ----------------------------------------------------------------------
    "deviations:mine": page(signed_in(OK)),
    # Officials report for their organisation; chairs, secretaries and admins for any in their county.
    "deviations:report": form(only(*REPORTERS)),
    "deviations:report_dispute": form(only(*REPORTERS)),
    "deviations:case": page(only(*SEE_CASE, **CASE_HIDDEN)),
    "deviations:case_history": page(only(*SEE_CASE, **CASE_HIDDEN)),
    "deviations:event_file": page(only(*SEE_CASE, **CASE_HIDDEN)),
    "deviations:comment": action(only(*SEE_CASE, **CASE_HIDDEN)),
    # LSVO's chair and secretary handle level 2 (and the county's admins); the reporter may escalate.
    "deviations:act": action(only(*HANDLERS, **CASE_HIDDEN)),
    "deviations:escalate": action(only("official_a", *HANDLERS, **CASE_HIDDEN)),
    # The dispute is seen by its parties and the admins; only the parties' officials state positions.
    "deviations:position": action(only("official_a", "editor", **CASE_HIDDEN, **NOT_IN_DISPUTE)),
    "deviations:body_queue": page(only(*HANDLERS)),
    "deviations:ladders": read(),
    "deviations:ladder_edit": form(only(*ROLE_ADMINS)),
    "deviations:statistics": read(),
    "deviations:statistics_csv": read(),
    "deviations:statistics_pdf": read(),
    "deviations:heat": read(),
}
# The open data API is public and read-only: the same answer for everyone, sessions or not.
API = {
    "api-root",
    "index",
    "openapi-json",
    "openapi-view",
    "county_list",
    "county",
    "organisation_list",
    "organisation",
    "agreement_list",
    "agreement",
    "version",
    "target_group_list",
    "target_group",
    "duty",
    "law_list",
    "law",
    "law_references",
    "search",
    "body_list",
    "body",
    "meeting_list",
    "meeting",
    "deviation_statistics",
}
EXPECTED |= {f"api:{name}": read() for name in API}
# A body role given at /roller/ is a membership like any other: its holder may do all that LSVO's
# secretary may, cell for cell.
for _row in EXPECTED.values():
    for _cells in _row.values():
        _cells["roles_secretary"] = _cells["secretary"]
# Kalmar's county administrator meets Blekinge's world as Kalmar's official does, except that the
# administration of their own county (the workspace, its people and roles) is theirs.
OTHER_ADMIN = {
    "workspace": {"GET": OK},
    "role_people": {"GET": OK},
    "deviations:report": {"GET": OK, "POST": OK},
}
for _name, _row in EXPECTED.items():
    for _method, _cells in _row.items():
        _cells["other_admin"] = OTHER_ADMIN.get(_name, {}).get(_method, _cells["other_county"])


# --- The world --------------------------------------------------------------------------------------


@dataclass
class World:
    people: dict
    ids: dict


def build_world() -> World:
    version = agreement()
    deal = version.agreement
    draft = agreement_services.version_revision_create(agreement=deal, by=None, reason="Revision")
    lsvo = BodyFactory(name="Ledningssamverkan vård och omsorg", abbreviation="LSVO")
    board = board_for(lsvo, region=1, municipal=("1060",), chair="olof", secretary="sara")
    chair, secretary, member = board.chair.user, board.secretary.user, board.region[0].user
    people = {
        "official_a": person("1080", (Role.OFFICIAL, organisation("1080")), username="karin"),
        "official_b": person("1081", (Role.OFFICIAL, organisation("1081")), username="rut"),
        "other_county": person("0880", (Role.OFFICIAL, organisation("0880")), username="klara"),
        "chair": chair,
        "secretary": secretary,
        "member": member,
        "editor": person(
            "R10", (Role.OFFICIAL, organisation("R10")), (Role.EDITOR, county("10")), username="eva"
        ),
        "admin": person("R10", (Role.COUNTY_ADMIN, county("10")), username="ali"),
        "other_admin": person("R08", (Role.COUNTY_ADMIN, county("08")), username="anton"),
        "superuser": UserFactory(username="root", is_superuser=True, is_staff=True),
    }
    people["roles_secretary"] = person("R10", username="sigrid")
    core_services.role_assign(
        user=people["roles_secretary"],
        role=Role.SECRETARY,
        scope=lsvo,
        by=people["admin"],
        reason="Ny sekreterare",
    )

    # A meeting two months ahead, not yet called: only members see it, its item and the item's file.
    planned = governance_services.meeting_plan(
        body=lsvo, starts_at=timezone.now() + timedelta(days=60), location="Ronneby", by=None
    )
    planned_item = governance_services.agenda_item_submit(
        meeting=planned, by=member, title="Förslag under beredning", kind="decision", proposal="Utreds."
    )
    planned_attachment = governance_services.attachment_add(item=planned_item, upload=pdf_upload(), by=member)

    # A meeting a month ahead with its agenda published; the member's item has an attachment.
    upcoming = governance_services.meeting_plan(
        body=lsvo, starts_at=timezone.now() + timedelta(days=30), location="Karlskrona", by=None
    )
    item = governance_services.agenda_item_submit(
        meeting=upcoming, by=member, title="Uppföljning av hjälpmedel", kind="decision", proposal="Godkänns."
    )
    governance_services.agenda_item_decide(item=item, decision=AgendaItem.Status.ACCEPTED, by=secretary)
    attachment = governance_services.attachment_add(item=item, upload=pdf_upload(), by=member)
    governance_services.agenda_publish(meeting=upcoming, by=secretary)
    cycle_duty = CycleDuty.objects.create(body=lsvo, title="Årsrapport", due=date(2026, 3, 31))

    # August's protocol is published; September's is adjusted, so its decision is in the register for the
    # members (not yet for the public); October's is being adjusted.
    august = record(board, agenda(board, at(2026, 8, 20), "Riktlinje"))
    governance_services.paragraph_write(
        paragraph=august.paragraphs.get(), notes="", decision="Riktlinjen antas.", by=secretary
    )
    governance_services.protocol_send_for_adjustment(meeting=august, adjusters=[member], by=secretary)
    governance_services.protocol_adjust(meeting=august, by=member)
    governance_services.protocol_publish(meeting=august, by=secretary)
    september = record(board, agenda(board, at(2026, 9, 10), "Budget"))
    governance_services.paragraph_write(
        paragraph=september.paragraphs.get(), notes="", decision="Budgeten antas.", by=secretary
    )
    governance_services.protocol_send_for_adjustment(meeting=september, adjusters=[member], by=secretary)
    governance_services.protocol_adjust(meeting=september, by=member)
    decision = Decision.objects.get(paragraph__meeting=september)
    held = record(board, agenda(board, at(2026, 10, 8), "Handlingsplan"))
    governance_services.protocol_send_for_adjustment(meeting=held, adjusters=[member], by=secretary)
    paragraph = held.paragraphs.get()

    # Level 1 is handled by the parties, level 2 by LSVO.
    deviation_services.ladder_save(
        agreement=deal,
        by=None,
        levels=[
            {"name": "Närmaste chef", "handler": LadderLevel.Handler.PARTIES, "start_days": 14,
             "feedback_days": 30},
            {"name": "LSVO", "handler": LadderLevel.Handler.BODY, "bodies": [lsvo], "start_days": 7,
             "feedback_days": 21},
        ],
    )  # fmt: skip
    case = report(deal, people["official_a"])
    case = escalate_unanswered(case, people["official_a"], "Inget svar.")
    event = deviation_services.case_comment(case=case, by=secretary, text="Underlag", upload=pdf_upload())
    dispute = report(deal, people["official_a"], kind=Case.Kind.DISPUTE)

    draft_ids = {"pk": deal.pk, "number": draft.number}
    hidden_agreement = agreement(title="Överenskommelse under arbete", status="draft").agreement
    return World(
        people=people,
        ids={
            "agreement": deal.pk,
            "published": {"pk": deal.pk, "number": version.number},
            "draft": draft_ids,
            "area": ResponsibilityArea.objects.filter(version=draft).first().pk,
            "duty": Duty.objects.filter(version=draft).first().pk,
            "published_duty": Duty.objects.filter(version=version).first().pk,
            "section": Section.objects.filter(version=draft).first().pk,
            "body": lsvo.pk,
            "seat": Seat.objects.create(
                body=lsvo, function="Socialchef", organisation=organisation("1080")
            ).pk,
            "membership": Membership.objects.filter(body=lsvo).order_by("pk").first().pk,
            "upcoming": upcoming.pk,
            "held": held.pk,
            "item": item.pk,
            "attachment": attachment.pk,
            "paragraph": paragraph.pk,
            "decision": decision.pk,
            "published_decision": Decision.objects.get(paragraph__meeting=august).pk,
            "planned": planned.pk,
            "planned_item": planned_item.pk,
            "planned_attachment": planned_attachment.pk,
            "hidden_agreement": hidden_agreement.pk,
            "cycle_duty": cycle_duty.pk,
            "case": case.pk,
            "dispute": dispute.pk,
            "event": event.pk,
            "person": people["official_b"].pk,
            "assignment": people["official_b"].role_assignments.get().pk,
            "organisation": organisation("1080").pk,
        },
    )


def url_of(name: str, ids: dict) -> str:
    """The URL of ``name`` pointing at the world's objects (the object that makes the action possible);
    ``name@case`` points at another object (see the module's docstring)."""
    published, draft = ids["published"], ids["draft"]
    year = {"year": 2026}
    kwargs = {
        "county_detail": {"code": "10"},
        "password_reset_confirm": {"uidb64": "MQ", "token": "token"},
        "role_person": {"user_id": ids["person"]},
        "role_remove": {"kind": "tilldelning", "held_id": ids["assignment"]},
        "people": {"code": "10"},
        "signin_admin:connections": {"code": "10"},
        "signin_admin:connection_edit": {"code": "10", "organisation_id": ids["organisation"]},
        "signin_admin:connection_refresh": {"code": "10", "organisation_id": ids["organisation"]},
        "person_invite": {"code": "10"},
        "people_import": {"code": "10"},
        "person_edit": {"code": "10", "user_id": ids["person"]},
        "person_deactivate": {"code": "10", "user_id": ids["person"]},
        "person_reactivate": {"code": "10", "user_id": ids["person"]},
        "invitation_resend": {"code": "10", "user_id": ids["person"]},
        "invitation_accept": {"token": "token"},
        "agreements:law_detail": {"code": "HSL"},
        "agreements:law_edit": {"code": "HSL"},
        "agreements:detail": {"pk": ids["agreement"]},
        "agreements:compare": {"pk": ids["agreement"]},
        "agreements:word_upload": {"pk": ids["agreement"]},
        "agreements:revision_create": {"pk": ids["agreement"]},
        "agreements:adopting_body_edit": {"pk": ids["agreement"]},
        "agreements:ratification_edit": {"pk": ids["agreement"]},
        "agreements:version": published,
        "agreements:version_history": published,
        "agreements:pdf": published,
        "agreements:pdf@draft": draft,
        "agreements:table": published | {"key": "vuxna"},
        "agreements:adopt": draft,
        "agreements:table_edit": draft | {"key": "vuxna"},
        "agreements:table_headings": draft | {"key": "vuxna"},
        "agreements:area_add": draft | {"key": "vuxna"},
        "agreements:area_change": draft | {"area_id": ids["area"]},
        "agreements:duty_add": draft | {"area_id": ids["area"]},
        "agreements:duty_change": draft | {"duty_id": ids["duty"]},
        "agreements:section_edit": draft | {"section_id": ids["section"]},
        "governance:protocol_feed": {"code": "10"},
        "governance:meeting_pdf": {"pk": ids["upcoming"], "kind": "kallelse"},
        "governance:meeting_docx": {"pk": ids["upcoming"], "kind": "kallelse"},
        "governance:meeting_pdf@protocol": {"pk": ids["held"], "kind": "protokoll"},
        "governance:meeting_docx@protocol": {"pk": ids["held"], "kind": "protokoll"},
        "governance:meeting_pdf@planned": {"pk": ids["planned"], "kind": "kallelse"},
        "governance:meeting_docx@planned": {"pk": ids["planned"], "kind": "kallelse"},
        "governance:item_memo@planned": {"pk": ids["planned_item"]},
        "governance:attachment@planned": {"pk": ids["planned_attachment"]},
        "governance:decision_plan@published": {"pk": ids["published_decision"]},
        "governance:body_template": {"pk": ids["body"], "kind": "kallelse"},
        "governance:annual_cycle": {"pk": ids["body"]} | year,
        "governance:cycle_docx": {"pk": ids["body"]} | year,
        "governance:cycle_generate": {"pk": ids["body"]} | year,
        "governance:cycle_rule_add": {"pk": ids["body"]} | year,
        "governance:cycle_duty": {"pk": ids["cycle_duty"]},
        "governance:item_memo": {"pk": ids["item"]},
        "governance:item_decide": {"pk": ids["item"]},
        "governance:attachment_upload": {"pk": ids["item"]},
        "governance:attachment": {"pk": ids["attachment"]},
        "governance:attachment_remove": {"pk": ids["attachment"]},
        "governance:paragraph_save": {"pk": ids["paragraph"]},
        "governance:paragraph_correct": {"pk": ids["paragraph"]},
        "governance:decision_plan": {"pk": ids["decision"]},
        "governance:decision_follow_up": {"pk": ids["decision"]},
        "deviations:position": {"pk": ids["dispute"]},
        "deviations:event_file": {"pk": ids["event"]},
        "deviations:body_queue": {"pk": ids["body"]},
        "deviations:ladder_edit": {"pk": ids["agreement"]},
        "deviations:statistics_csv": {"code": "10"} | year,
        "deviations:statistics_pdf": {"code": "10"} | year,
        "deviations:heat": {"code": "10"} | year,
        "api:county": {"code": "10"},
        "api:organisation": {"pk": ids["organisation"]},
        "api:agreement": {"pk": ids["agreement"]},
        "api:version": published,
        "api:target_group": published | {"key": "vuxna"},
        "api:duty": {"pk": ids["published_duty"]},
        "api:law": {"code": "HSL"},
        "api:law_references": {"code": "HSL"},
        "api:body": {"pk": ids["body"]},
        "api:meeting": {"pk": ids["upcoming"]},
        "api:deviation_statistics": {"code": "10"} | year,
    }
    upcoming = ("meeting", "meeting_history", "item_submit", "written_views", "agenda_publish", "attendance")
    for view in upcoming:
        kwargs[f"governance:{view}"] = {"pk": ids["upcoming"]}
    for view in ("adjustment_send", "adjust", "adjust_request_change", "protocol_publish"):
        kwargs[f"governance:{view}"] = {"pk": ids["held"]}
    kwargs["governance:body_new"] = {"code": "10"}
    kwargs["governance:seat_remove"] = {"pk": ids["seat"]}
    kwargs["governance:membership_end"] = {"pk": ids["membership"]}
    for view in ("body", "body_calendar", "meeting_new", "body_admin", "body_end", "seat_add", "member_add"):
        kwargs[f"governance:{view}"] = {"pk": ids["body"]}
    for view in ("case", "case_history", "act", "escalate", "comment"):
        kwargs[f"deviations:{view}"] = {"pk": ids["case"]}
    query = "?q=hjälpmedel" if name in ("api:search", "agreements:search") else ""
    return reverse(name.partition("@")[0], kwargs=kwargs.get(name, {})) + query


def named_patterns(resolver=None, namespace=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            yield from named_patterns(pattern, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def outcome(response) -> str | int:
    status = response.status_code
    if status in (301, 302, 303) and response["Location"].startswith(reverse("login") + "?next="):
        return LOGIN
    if status in (DENIED, HIDDEN, METHOD):
        return status
    if status <= 400:  # 400: the form came back with its errors, so the persona was let in
        return OK
    return f"server error {status}"


# --- The tests --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world_media(tmp_path_factory):
    return tmp_path_factory.mktemp("matrix-media")


@pytest.fixture(scope="module")
def shared_world(django_db_setup, django_db_blocker, world_media) -> World:
    with built_once(django_db_blocker, build_world, media_root=world_media) as world:
        yield world


@pytest.fixture
def world(shared_world, db) -> World:
    """The world, built once for the module; each test works in a savepoint of its own."""
    return shared_world


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path, world_media):
    """Stored files go to a temporary folder of the test's own, which starts with the world's files."""
    settings.MEDIA_ROOT = tmp_path / "media"
    shutil.copytree(world_media, settings.MEDIA_ROOT)


def test_every_url_has_a_row():
    names, rows = set(named_patterns()), {key.partition("@")[0] for key in EXPECTED}
    assert names - rows == set(), "add the new URL to EXPECTED in test_matrix.py"
    assert rows - names == set(), "remove the URL that no longer exists from EXPECTED"
    for name, row in EXPECTED.items():
        assert set(row) == {"GET", "POST"}, name
        assert all(set(cells) == set(PERSONAS) for cells in row.values()), name


@pytest.mark.parametrize("persona", PERSONAS)
def test_matrix(client, world, settings, persona):
    """Every URL × GET and POST for one persona; all mismatches are reported at once."""
    settings.API_RATE_LIMIT = "100000/min"
    if persona != "anonymous":
        client.force_login(world.people[persona])
    cookies = {key: morsel.value for key, morsel in client.cookies.items()}
    mismatches = []
    for name in sorted(EXPECTED):
        url = url_of(name, world.ids)
        for method in ("GET", "POST"):
            with transaction.atomic():
                response = client.get(url) if method == "GET" else client.post(url)
                transaction.set_rollback(True)
            client.cookies = SimpleCookie(cookies)  # a logout or a language change must not last
            expected, got = EXPECTED[name][method][persona], outcome(response)
            if got != expected:
                mismatches.append(f"{method} {name} ({url}): expected {expected}, got {got}")
    assert not mismatches, f"{persona}:\n" + "\n".join(mismatches)


# Files whose object everybody may see, and why; every other URL that returns a file needs a row (or a
# ``name@case`` row) where anonymous visitors get 404 or the login page.
FILES_OF_PUBLIC_OBJECTS = {
    "governance:body_template": "an empty template of a body; bodies are public",
    "governance:cycle_docx": "a body's year, with only the meetings the user may see",
    "governance:body_calendar": "a body's calendar, with only the meetings the user may see",
    "governance:protocol_feed": "the published protocols of a county",
    "deviations:statistics_csv": "aggregated statistics, public",
    "deviations:statistics_pdf": "aggregated statistics, public",
    "signin:saml_metadata": "the portal's own SAML2 service provider metadata, public by design",
}


def is_file(response) -> bool:
    content_type = response.get("Content-Type", "")
    return response.has_header("Content-Disposition") or not content_type.startswith(
        ("text/html", "application/json")
    )


def test_every_download_is_guarded(client, world, settings):
    """Every URL whose view returns a file (PDF, Word, calendar, CSV, attachment) has a row that hides it
    where its object is not public, or is named among the files of public objects."""
    settings.API_RATE_LIMIT = "100000/min"
    client.force_login(world.people["superuser"])
    files = set()
    for name in sorted(EXPECTED):
        if EXPECTED[name]["GET"]["superuser"] != OK:
            continue
        with transaction.atomic():
            response = client.get(url_of(name, world.ids))
            transaction.set_rollback(True)
        if response.status_code == 200 and is_file(response):
            files.add(name.partition("@")[0])
    assert FILES_OF_PUBLIC_OBJECTS.keys() <= files, "a URL named as a file no longer returns one"
    guarded = {
        key.partition("@")[0] for key, row in EXPECTED.items() if row["GET"]["anonymous"] in (HIDDEN, LOGIN)
    }
    unguarded = files - guarded - FILES_OF_PUBLIC_OBJECTS.keys()
    assert not unguarded, f"add a row (name@case) where the file's object is hidden: {sorted(unguarded)}"
