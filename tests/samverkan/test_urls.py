"""Every URL of the portal is either public or sends anonymous visitors to the login page.

A new URL must be added to PUBLIC or PROTECTED here, or this test fails."""

from datetime import date, timedelta

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from agreements import services as agreement_services
from agreements.models import Duty, ResponsibilityArea, Section
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
}
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
    }.get(name, {})
    return reverse(name, kwargs=kwargs)


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
