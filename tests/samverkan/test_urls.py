"""Every URL of the portal is either public or sends anonymous visitors to the login page.

A new URL must be added to PUBLIC or PROTECTED here, or this test fails."""

import json
from datetime import date, timedelta

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from agreements import services as agreement_services
from agreements.models import Duty, ResponsibilityArea, Section
from deviations import services as deviation_services
from deviations.models import Case, Category, LadderLevel
from governance import services as governance_services
from governance.models import CycleDuty, Decision, Paragraph
from tests.factories import BodyFactory, UserFactory, agreement, pdf_upload

PUBLIC = {
    "home",
    "healthz",
    "accessibility",
    "county_list",
    "county_detail",
    "login",
    "logout",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "set_language",
    "agreements:list",
    "agreements:search",
    "agreements:law_list",
    "agreements:law_detail",
    "agreements:area_compare",
    "agreements:detail",
    "agreements:compare",
    "agreements:version",
    "agreements:table",
    "agreements:pdf",
    "governance:directory",
    "governance:body",
    "governance:meeting",
    "governance:body_calendar",
    "governance:protocol_feed",
    "governance:meeting_pdf",
    "governance:my_calendar",
    "governance:meeting_docx",
    "governance:item_memo",
    "governance:attachment",
    "governance:decision_plan",
    "governance:annual_cycle",
    "governance:cycle_docx",
    "governance:body_template",
    "deviations:statistics",
    "deviations:statistics_csv",
    "deviations:statistics_pdf",
    "deviations:heat",
    "deviations:ladders",
    "agreements:version_history",
    # The open data API (/api/v1/): everything public, read as an anonymous visitor.
    "api:api-root",
    "api:index",
    "api:openapi-json",
    "api:openapi-view",
    "api:county_list",
    "api:county",
    "api:organisation_list",
    "api:organisation",
    "api:agreement_list",
    "api:agreement",
    "api:version",
    "api:target_group_list",
    "api:target_group",
    "api:duty",
    "api:law_list",
    "api:law",
    "api:law_references",
    "api:search",
    "api:body_list",
    "api:body",
    "api:meeting_list",
    "api:meeting",
    "api:deviation_statistics",
}
API_LISTS = sorted(name for name in PUBLIC if name.startswith("api:") and name.endswith("_list"))
PROTECTED = {
    "account",
    "acting_organisation_set",
    "password_change",
    "password_change_done",
    "role_people",
    "role_person",
    "role_remove",
    "agreements:notice_watch",
    "agreements:revision_create",
    "agreements:adopt",
    "agreements:table_edit",
    "agreements:area_add",
    "agreements:area_change",
    "agreements:duty_add",
    "agreements:duty_change",
    "agreements:section_edit",
    "governance:item_submit",
    "governance:agenda_publish",
    "governance:attendance",
    "governance:mine",
    "governance:meeting_new",
    "governance:decision_follow_up",
    "governance:adjustment_send",
    "governance:adjust",
    "governance:protocol_publish",
    "governance:item_decide",
    "governance:paragraph_save",
    "governance:paragraph_correct",
    "governance:written_views",
    "governance:attachment_upload",
    "governance:attachment_remove",
    "governance:cycle_generate",
    "governance:cycle_rule_add",
    "governance:cycle_duty",
    "deviations:mine",
    "deviations:report",
    "deviations:report_dispute",
    "deviations:case",
    "deviations:act",
    "deviations:escalate",
    "deviations:comment",
    "deviations:position",
    "deviations:event_file",
    "deviations:body_queue",
    "deviations:ladder_edit",
    "deviations:case_history",
    "governance:meeting_history",
}
POST_ONLY = {
    "deviations:act",
    "deviations:escalate",
    "deviations:comment",
    "deviations:position",
    "governance:written_views",
    "governance:attachment_upload",
    "governance:attachment_remove",
    "governance:cycle_generate",
    "governance:cycle_rule_add",
    "governance:cycle_duty",
    "governance:decision_follow_up",
    "governance:item_submit",
    "governance:agenda_publish",
    "governance:adjustment_send",
    "governance:adjust",
    "governance:protocol_publish",
    "governance:item_decide",
    "governance:paragraph_save",
    "governance:paragraph_correct",
    "acting_organisation_set",
    "role_remove",
    "logout",
    "set_language",
    "agreements:revision_create",
    "agreements:area_add",
    "agreements:area_change",
    "agreements:duty_add",
    "agreements:duty_change",
}


def named_patterns(resolver=None, namespace=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            yield from named_patterns(pattern, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


@pytest.fixture
def objects(ronneby_official):
    version = agreement()
    draft = agreement_services.version_revision_create(agreement=version.agreement, by=None, reason="test")
    area = ResponsibilityArea.objects.filter(version=draft).first()
    body = BodyFactory()
    meeting = governance_services.meeting_plan(
        body=body, starts_at=timezone.now() + timedelta(days=30), location="Karlskrona", by=None
    )
    item = governance_services.agenda_item_submit(
        meeting=meeting, by=ronneby_official, title="Ärende", kind="decision", proposal="Godkänns."
    )
    governance_services.agenda_item_decide(item=item, decision="accepted", by=ronneby_official)
    attachment = governance_services.attachment_add(item=item, upload=pdf_upload(), by=ronneby_official)
    governance_services.agenda_publish(meeting=meeting, by=None)
    paragraph = Paragraph.objects.create(
        meeting=meeting, body=body, year=2026, number=1, item=item, title="Ärende"
    )
    decision = Decision.objects.create(paragraph=paragraph, body=body, text="Godkänns.")
    duty = CycleDuty.objects.create(body=body, title="Årsrapport", due=date(2026, 3, 31))
    return {
        "published_duty": Duty.objects.filter(version=version).first().pk,
        "organisation": ronneby_official.profile.organisation_id,
        "item": item.pk,
        "attachment": attachment.pk,
        "decision": decision.pk,
        "cycle_duty": duty.pk,
        "body": body.pk,
        "meeting": meeting.pk,
        "user": ronneby_official.pk,
        "assignment": ronneby_official.role_assignments.get().pk,
        "pk": version.agreement_id,
        "number": draft.number,
        "key": "vuxna",
        "area": area.pk,
        "duty": Duty.objects.filter(version=draft).first().pk,
        "section": Section.objects.filter(version=draft).first().pk,
    }


def url_for(name: str, o: dict) -> str:
    a = {"pk": o["pk"], "number": o["number"]}
    kwargs = {
        "county_detail": {"code": "10"},
        "password_reset_confirm": {"uidb64": "MQ", "token": "token"},
        "role_person": {"user_id": o["user"]},
        "role_remove": {"assignment_id": o["assignment"]},
        "agreements:law_detail": {"code": "HSL"},
        "agreements:detail": {"pk": o["pk"]},
        "agreements:compare": {"pk": o["pk"]},
        "agreements:revision_create": {"pk": o["pk"]},
        "agreements:version": {"pk": o["pk"], "number": 1},
        "agreements:pdf": {"pk": o["pk"], "number": 1},
        "governance:body": {"pk": o["body"]},
        "governance:meeting": {"pk": o["meeting"]},
        "governance:body_calendar": {"pk": o["body"]},
        "governance:meeting_pdf": {"pk": o["meeting"], "kind": "kallelse"},
        "governance:meeting_new": {"pk": o["body"]},
        "governance:decision_follow_up": {"pk": o["body"]},
        "governance:protocol_feed": {"code": "10"},
        "governance:meeting_docx": {"pk": o["meeting"], "kind": "kallelse"},
        "governance:written_views": {"pk": o["meeting"]},
        "governance:item_memo": {"pk": o["item"]},
        "governance:attachment_upload": {"pk": o["item"]},
        "governance:attachment": {"pk": o["attachment"]},
        "governance:attachment_remove": {"pk": o["attachment"]},
        "governance:decision_plan": {"pk": o["decision"]},
        "governance:annual_cycle": {"pk": o["body"], "year": 2026},
        "governance:cycle_docx": {"pk": o["body"], "year": 2026},
        "governance:cycle_generate": {"pk": o["body"], "year": 2026},
        "governance:cycle_rule_add": {"pk": o["body"], "year": 2026},
        "governance:cycle_duty": {"pk": o["cycle_duty"]},
        "governance:body_template": {"pk": o["body"], "kind": "kallelse"},
        "deviations:statistics_csv": {"code": "10", "year": 2026},
        "deviations:statistics_pdf": {"code": "10", "year": 2026},
        "deviations:heat": {"code": "10", "year": 2026},
        "deviations:case": {"pk": 1},
        "deviations:case_history": {"pk": 1},
        "agreements:version_history": {"pk": o["pk"], "number": 1},
        "governance:meeting_history": {"pk": o["meeting"]},
        "deviations:act": {"pk": 1},
        "deviations:escalate": {"pk": 1},
        "deviations:comment": {"pk": 1},
        "deviations:position": {"pk": 1},
        "deviations:event_file": {"pk": 1},
        "deviations:body_queue": {"pk": o["body"]},
        "deviations:ladder_edit": {"pk": o["pk"]},
        **{
            f"governance:{name}": {"pk": o["meeting"]}
            for name in [
                "item_submit",
                "agenda_publish",
                "attendance",
                "adjustment_send",
                "adjust",
                "protocol_publish",
                "item_decide",
                "paragraph_save",
                "paragraph_correct",
            ]
        },
        "agreements:table": {"pk": o["pk"], "number": 1, "key": o["key"]},
        "agreements:adopt": a,
        "agreements:table_edit": a | {"key": o["key"]},
        "agreements:area_add": a | {"key": o["key"]},
        "agreements:area_change": a | {"area_id": o["area"]},
        "agreements:duty_add": a | {"area_id": o["area"]},
        "agreements:duty_change": a | {"duty_id": o["duty"]},
        "agreements:section_edit": a | {"section_id": o["section"]},
        "api:county": {"code": "10"},
        "api:organisation": {"pk": o["organisation"]},
        "api:agreement": {"pk": o["pk"]},
        "api:version": {"pk": o["pk"], "number": 1},
        "api:target_group": {"pk": o["pk"], "number": 1, "key": o["key"]},
        "api:duty": {"pk": o["published_duty"]},
        "api:law": {"code": "HSL"},
        "api:law_references": {"code": "HSL"},
        "api:body": {"pk": o["body"]},
        "api:meeting": {"pk": o["meeting"]},
        "api:deviation_statistics": {"code": "10", "year": 2026},
    }.get(name, {})
    return reverse(name, kwargs=kwargs) + ("?q=hjälpmedel" if name == "api:search" else "")


def test_every_url_is_classified():
    names = set(named_patterns())
    assert names - PUBLIC - PROTECTED == set(), "classify the new URL in this test"
    assert (PUBLIC | PROTECTED) - names == set()


def test_every_protected_url_redirects_anonymous_visitors_to_login(client, objects):
    for name in sorted(PROTECTED):
        method = client.post if name in POST_ONLY else client.get
        response = method(url_for(name, objects))
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("login") + "?next="), name


def test_public_urls_answer_anonymous_visitors(client, objects):
    for name in sorted(PUBLIC - POST_ONLY - {"governance:my_calendar"}):
        response = client.get(url_for(name, objects))
        assert response.status_code == 200, name


def test_admin_site_requires_staff(client, db):
    assert client.get("/admin/").status_code == 302
    client.force_login(UserFactory())
    assert client.get("/admin/").status_code == 302


# --- The open data API ----------------------------------------------------------------------------


def test_no_private_data_is_reachable_through_the_api(client, objects, karlskrona_official, settings):
    """Every list of the API, and the search, read anonymously and with a session: no draft, no agenda of a
    planned meeting, no deviation case, no member's name or e-mail address."""
    settings.API_RATE_LIMIT = "10000/min"
    draft_duty = Duty.objects.get(pk=objects["duty"])
    agreement_services.duty_update(
        duty=draft_duty, side="region", text="Utkasthemlighet om hjälpmedel", by=None, reason="test"
    )
    body = BodyFactory()
    membership = governance_services.membership_add(
        body=body,
        user=karlskrona_official,
        organisation=karlskrona_official.profile.organisation,
        role="member",
        function="Socialchef",
        starts_on=date(2025, 1, 1),
        by=None,
        reason="Utsedd",
    )
    planned = governance_services.meeting_plan(
        body=body, starts_at=timezone.now() + timedelta(days=60), location="Hemlig plats", by=None
    )
    governance_services.agenda_item_submit(
        meeting=planned, by=karlskrona_official, title="Ej publicerat ärende", kind="decision", proposal="x"
    )
    version = Duty.objects.get(pk=objects["published_duty"]).version
    deviation_services.ladder_save(
        agreement=version.agreement,
        by=None,
        levels=[
            {
                "name": "Närmaste chef",
                "handler": LadderLevel.Handler.PARTIES,
                "start_days": 14,
                "feedback_days": 30,
            }
        ],
    )
    case = deviation_services.case_report(
        report=deviation_services.Report(
            kind=Case.Kind.DEVIATION,
            agreement=version.agreement,
            reporting_organisation=karlskrona_official.profile.organisation,
            concerned=[version.agreement.parties.get(side="region").organisation],
            title="Avvikelsens rubrik",
            description="Avvikelsens beskrivning som ingen utomstående får läsa.",
            category=Category.objects.get(code="referral-not-answered"),
        ),
        by=karlskrona_official,
    )
    karlskrona_official.first_name, karlskrona_official.last_name = (
        "Privata",
        "Privatsson",
    )  # never a place name
    karlskrona_official.save(update_fields=["first_name", "last_name"])
    secrets = [
        "Utkasthemlighet",
        "Ej publicerat ärende",
        "Hemlig plats",
        case.title,
        case.description,
        karlskrona_official.email,
        "Privatsson",
        membership.user.username,
    ]
    urls = [url_for(name, objects) for name in API_LISTS] + [
        url_for("api:search", objects),
        url_for("api:body", {**objects, "body": body.pk}),
        url_for("api:deviation_statistics", objects),
        reverse("api:search") + "?q=utkasthemlighet&include_history=true",
        reverse("api:meeting_list") + f"?body={body.pk}",
    ]
    for logged_in in (False, True):
        if logged_in:
            client.force_login(karlskrona_official)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            text = json.dumps(response.json(), ensure_ascii=False)
            for secret in secrets:
                assert secret not in text, (url, secret)
    assert client.get(reverse("api:meeting", kwargs={"pk": planned.pk})).status_code == 404
    assert client.get(reverse("api:version", kwargs={"pk": objects["pk"], "number": 2})).status_code == 404
    assert client.get(reverse("api:duty", kwargs={"pk": draft_duty.pk})).status_code == 404
