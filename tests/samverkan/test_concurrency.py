"""No lost updates: two people edit the same thing; the second save is refused and says what changed.

Each test opens the form as both people would (two browsers), lets the first save, then the second. The
second gets the form back with what they wrote and the other person's change; saving again after reading
it goes through.
"""

import re

import pytest
from django.test import Client
from django.urls import reverse

from agreements import services as agreement_services
from agreements.models import Duty, ResponsibilityArea, Section
from deviations import services as deviation_services
from deviations.models import Case, LadderLevel
from governance import services as governance_services
from governance.models import AgendaItem
from samverkan.concurrency import ConcurrentChange, guard, seen_of
from samverkan.models import Role
from tests.deviations.conftest import report
from tests.factories import agreement, county, organisation, person
from tests.governance.conftest import agenda, at, board_for, record, submit

HX = {"HX-Request": "true"}


def seen_in(response, name: str = "seen") -> str:
    """The version a form on the page carries in its hidden field ``name``."""
    found = re.search(rf'name="{re.escape(name)}" value="(\d*)"', response.content.decode())
    assert found, f"no hidden {name} on the page"
    return found.group(1)


def two_editors(client_factory):
    eva = person("R10", (Role.EDITOR, county("10")), username="eva")
    emil = named(person("R10", (Role.EDITOR, county("10")), username="emil"), "Emil", "Ek")
    first, second = client_factory(), client_factory()
    first.force_login(emil)
    second.force_login(eva)
    return first, second


@pytest.fixture
def clients(db):
    return Client


def named(user, first_name: str, last_name: str):
    user.first_name, user.last_name = first_name, last_name
    user.save(update_fields=["first_name", "last_name"])
    return user


@pytest.fixture
def draft(db):
    version = agreement()
    return agreement_services.version_revision_create(agreement=version.agreement, by=None, reason="Revision")


# --- The guard --------------------------------------------------------------------------------------


def test_guard_passes_the_current_version_and_refuses_an_old_one(draft):
    section = Section.objects.filter(version=draft).first()
    before = seen_of(section)
    guard(section, before)  # nothing happened in between
    agreement_services.section_update(
        section=section, title="Ny rubrik", text=section.text, by=None, reason="x"
    )
    with pytest.raises(ConcurrentChange) as refused:
        guard(section, before)
    assert refused.value.current == seen_of(section) != before
    assert any("Ny rubrik" in line for line in refused.value.messages)
    guard(section, None)  # callers without a form are not checked


def test_guard_says_so_when_the_record_was_removed(draft):
    duty = Duty.objects.filter(version=draft).first()
    seen = seen_of(duty)
    Duty.objects.filter(pk=duty.pk).delete()
    with pytest.raises(ConcurrentChange, match="tagit bort"):
        guard(duty, seen)


# --- Agreements -------------------------------------------------------------------------------------


def test_second_save_of_a_section_is_refused_with_the_first_change_and_nothing_is_lost(clients, draft):
    first, second = two_editors(clients)
    section = Section.objects.filter(version=draft).first()
    path = reverse(
        "agreements:section_edit", kwargs={"pk": draft.agreement_id, "number": 2, "section_id": section.pk}
    )
    seen_first, seen_second = seen_in(first.get(path)), seen_in(second.get(path))
    assert seen_first == seen_second

    saved = first.post(
        path, {"title": section.title, "text": "Emils text om hjälpmedel.", "seen": seen_first}
    )
    assert saved.status_code == 302
    refused = second.post(path, {"title": section.title, "text": "Evas text om boende.", "seen": seen_second})
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "Någon annan har ändrat detta" in page
    assert "Emil Ek" in page and "Emils text om hjälpmedel." in page  # who, and what they wrote
    assert "Evas text om boende." in page  # what Eva wrote is still in the form
    section.refresh_from_db()
    assert section.text == "Emils text om hjälpmedel."

    again = second.post(
        path, {"title": section.title, "text": "Evas text om boende.", "seen": seen_in(refused)}
    )
    assert again.status_code == 302  # after reading the change, Eva's version is saved knowingly
    section.refresh_from_db()
    assert section.text == "Evas text om boende."


def test_second_save_of_a_duty_in_the_table_editor_is_refused(clients, draft):
    first, second = two_editors(clients)
    duty = Duty.objects.filter(version=draft).first()
    editor = reverse("agreements:table_edit", kwargs={"pk": draft.agreement_id, "number": 2, "key": "vuxna"})
    name = f"duty-{duty.pk}-seen"
    seen = seen_in(first.get(editor), name)
    assert seen_in(second.get(editor), name) == seen
    path = reverse(
        "agreements:duty_change", kwargs={"pk": draft.agreement_id, "number": 2, "duty_id": duty.pk}
    )

    def save(client, text, version):
        data = {
            "action": "save",
            f"duty-{duty.pk}-side": duty.side,
            f"duty-{duty.pk}-text": text,
            name: version,
        }
        return client.post(path, data, headers=HX)

    assert save(first, "Emils åtagande", seen).status_code == 200
    refused = save(second, "Evas åtagande", seen)
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "Någon annan har ändrat detta" in page and "Emils åtagande" in page and "Evas åtagande" in page
    assert f'aria-describedby="duty-{duty.pk}-errors"' in page
    assert Duty.objects.get(pk=duty.pk).text == "Emils åtagande"
    assert save(second, "Evas åtagande", seen_in(refused, name)).status_code == 200
    assert Duty.objects.get(pk=duty.pk).text == "Evas åtagande"


def test_second_rename_of_an_area_is_refused(clients, draft):
    first, second = two_editors(clients)
    area = ResponsibilityArea.objects.filter(version=draft).first()
    editor = reverse("agreements:table_edit", kwargs={"pk": draft.agreement_id, "number": 2, "key": "vuxna"})
    seen = seen_in(first.get(editor), f"area-{area.pk}-seen")
    path = reverse(
        "agreements:area_change", kwargs={"pk": draft.agreement_id, "number": 2, "area_id": area.pk}
    )

    def rename(client, name):
        data = {"action": "rename", f"area-{area.pk}-name": name, f"area-{area.pk}-seen": seen}
        return client.post(path, data, headers=HX)

    assert rename(first, "Hjälpmedel i hemmet").status_code == 200
    refused = rename(second, "Hjälpmedel i boendet")
    assert refused.status_code == 400
    assert "Hjälpmedel i hemmet" in refused.content.decode()  # the other name, in the change
    assert 'value="Hjälpmedel i boendet"' in refused.content.decode()  # and Eva's, in the field
    assert ResponsibilityArea.objects.get(pk=area.pk).name == "Hjälpmedel i hemmet"


# --- Governance -------------------------------------------------------------------------------------


@pytest.fixture
def board(lsvo):
    return board_for(lsvo, chair="olof", secretary="sara")


def test_second_save_of_a_protocol_paragraph_is_refused_and_keeps_the_text(clients, board, lsvo):
    meeting = record(board, agenda(board, at(2026, 10, 8), "Handlingsplan"))
    paragraph = meeting.paragraphs.get()
    admin = person("R10", (Role.COUNTY_ADMIN, county("10")), username="ali")
    first, second = clients(), clients()
    first.force_login(board.secretary.user)
    second.force_login(admin)
    page = meeting.get_absolute_url()
    seen = seen_in(first.get(page))
    assert seen_in(second.get(page)) == seen
    path = reverse("governance:paragraph_save", kwargs={"pk": paragraph.pk})
    assert (
        first.post(
            path, {"notes": "Sekreterarens anteckning", "decision": "Antas.", "seen": seen}
        ).status_code
        == 302
    )
    refused = second.post(
        path, {"notes": "Administratörens anteckning", "decision": "Bordläggs.", "seen": seen}
    )
    assert refused.status_code == 409
    text = refused.content.decode()
    assert "Någon annan har ändrat detta" in text and "Sekreterarens anteckning" in text
    assert "Administratörens anteckning" in text and "Bordläggs." in text
    paragraph.refresh_from_db()
    assert (paragraph.notes, paragraph.decision) == ("Sekreterarens anteckning", "Antas.")


def test_a_stale_decision_on_an_agenda_item_is_refused(clients, board):
    meeting = governance_services.meeting_plan(
        body=board.body, starts_at=at(2027, 3, 11), location="Karlskrona", by=None
    )
    item = submit(board, meeting, "Budget 2027")
    admin = person("R10", (Role.COUNTY_ADMIN, county("10")), username="ali")
    first, second = clients(), clients()
    first.force_login(board.secretary.user)
    second.force_login(admin)
    seen = seen_in(first.get(meeting.get_absolute_url()))
    path = reverse("governance:item_decide", kwargs={"pk": item.pk})
    assert first.post(path, {"decision": "rejected", "seen": seen}).status_code == 302
    refused = second.post(path, {"decision": "accepted", "seen": seen}, follow=True)
    assert "Någon annan har ändrat detta" in refused.content.decode()
    item.refresh_from_db()
    assert item.status == AgendaItem.Status.REJECTED
    # From htmx the refusal reloads the whole page (with the message), it is not swapped into the agenda.
    from_htmx = second.post(path, {"decision": "accepted", "seen": seen}, headers=HX)
    assert from_htmx.headers["HX-Redirect"] == meeting.get_absolute_url()


# --- Deviations -------------------------------------------------------------------------------------


def test_a_second_handler_acting_on_a_stale_case_is_refused(clients, db):
    version = agreement()
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
    karin = person("1080", (Role.OFFICIAL, organisation("1080")), username="karin")
    regina = named(person("R10", (Role.OFFICIAL, organisation("R10")), username="regina"), "Regina", "Ros")
    roger = person("R10", (Role.OFFICIAL, organisation("R10")), username="roger")
    case = report(version.agreement, karin)
    first, second = clients(), clients()
    first.force_login(regina)
    second.force_login(roger)
    seen = seen_in(first.get(case.get_absolute_url()))
    assert seen_in(second.get(case.get_absolute_url())) == seen
    path = reverse("deviations:act", kwargs={"pk": case.pk})
    assert first.post(path, {"action": "received", "seen": seen}).status_code == 302
    refused = second.post(path, {"action": "received", "text": "Vi tar emot.", "seen": seen})
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "Någon annan har ändrat detta" in page and "Regina Ros" in page
    assert "Vi tar emot." in page
    assert Case.objects.get(pk=case.pk).events.filter(action="received").count() == 1
