"""The deviation pages for an outsider, a reader and a permitted user, the two-step report, and flat query
counts."""

import pytest
from django.urls import reverse

from agreements.models import Duty
from deviations import services
from deviations.models import Case, Event
from tests.deviations.conftest import escalate_unanswered, report
from tests.factories import organisation, pdf_upload, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(ladder, deal, karlskrona_official):
    return report(deal, karlskrona_official)


def url(name, **kwargs):
    return reverse(f"deviations:{name}", kwargs=kwargs)


def test_the_case_page_is_404_for_outsiders_and_shows_the_timeline_to_parties(
    client, case, ronneby_official, region_official
):
    client.force_login(ronneby_official)
    assert client.get(case.get_absolute_url()).status_code == 404
    client.force_login(region_official)
    page = client.get(case.get_absolute_url())
    assert page.status_code == 200
    assert case.reference in page.text and "Tidslinje" in page.text and "Ta emot" in page.text


def test_a_party_who_may_not_handle_gets_403_on_actions(
    client, case, blekinge_admin, group_chair, karlskrona_official
):
    escalate_unanswered(case, karlskrona_official, "Inget svar.")
    client.force_login(karlskrona_official)  # sees the case, but the local group handles level 2
    response = client.post(url("act", pk=case.pk), {"action": "received"})
    assert response.status_code == 403
    client.force_login(group_chair)
    response = client.post(url("act", pk=case.pk), {"action": "received"})
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).state == Case.State.RECEIVED


def test_an_action_without_the_required_text_is_shown_next_to_the_field(client, case, region_official):
    client.force_login(region_official)
    client.post(url("act", pk=case.pk), {"action": "received"})
    response = client.post(url("act", pk=case.pk), {"action": "feedback", "text": ""})
    assert response.status_code == 400
    assert "Beskriv beslutet eller återkopplingen." in response.text


def test_escalating_through_the_page(client, case, karlskrona_official, ronneby_official):
    client.force_login(ronneby_official)
    assert client.post(url("escalate", pk=case.pk), {"reason": "x"}).status_code == 404
    client.force_login(karlskrona_official)
    assert client.post(url("escalate", pk=case.pk), {"reason": ""}).status_code == 400
    assert client.post(url("escalate", pk=case.pk), {"reason": "Inget svar."}).status_code == 302
    assert Case.objects.get(pk=case.pk).level == 2


def test_comments_and_files_are_kept_in_the_timeline_and_files_are_private(
    client, case, karlskrona_official, ronneby_official
):
    client.force_login(karlskrona_official)
    response = client.post(url("comment", pk=case.pk), {"text": "Rutin bifogad", "file": pdf_upload()})
    assert response.status_code == 302
    event = case.events.get(action=Event.Action.ATTACHMENT)
    download = client.get(url("event_file", pk=event.pk))
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    refused = client.post(url("comment", pk=case.pk), {"text": "", "file": pdf_upload("a.pdf", b"MZ")})
    assert refused.status_code == 400 and "stämmer inte" in refused.text
    client.force_login(ronneby_official)
    assert client.get(url("event_file", pk=event.pk)).status_code == 404


def test_reporting_starts_with_the_agreement_then_the_details(client, ladder, deal, karlskrona_official):
    client.force_login(karlskrona_official)
    start = client.get(url("report"))
    assert start.status_code == 200 and "Steg 1 av 2" in start.text
    form = client.get(url("report"), {"avtal": deal.pk})
    assert "Steg 2 av 2" in form.text and "Region Blekinge" in form.text
    data = {
        "reporting_organisation": organisation("1080").pk,
        "concerned": [organisation("R10").pk],
        "category": Case._meta.get_field("category").related_model.objects.get(code="other").pk,
        "title": "Utskrivning",
        "description": "Utskrivningen planerades inte gemensamt.",
    }
    response = client.post(url("report") + f"?avtal={deal.pk}", data)
    assert response.status_code == 302
    case = Case.objects.get()
    assert (case.reporting_organisation.code, case.reported_by) == ("1080", karlskrona_official)


def test_a_report_with_an_identity_number_is_refused_and_nothing_is_lost(
    client, ladder, deal, karlskrona_official
):
    client.force_login(karlskrona_official)
    data = {
        "reporting_organisation": organisation("1080").pk,
        "concerned": [organisation("R10").pk],
        "category": Case._meta.get_field("category").related_model.objects.get(code="other").pk,
        "title": "Utskrivning",
        "description": "Gäller 19811218-9876 som skrevs ut.",
    }
    response = client.post(url("report") + f"?avtal={deal.pk}", data)
    assert response.status_code == 400
    assert "personnummer" in response.text and "Utskrivning" in response.text
    assert not Case.objects.exists()


def test_a_name_in_the_text_is_a_warning_that_the_reporter_confirms(
    client, ladder, deal, karlskrona_official
):
    client.force_login(karlskrona_official)
    data = {
        "reporting_organisation": organisation("1080").pk,
        "concerned": [organisation("R10").pk],
        "category": Case._meta.get_field("category").related_model.objects.get(code="other").pk,
        "title": "Utskrivning",
        "description": "Vi ringde om patienten Anna Svensson flera gånger.",
    }
    response = client.post(url("report") + f"?avtal={deal.pk}", data)
    assert response.status_code == 400 and "Anna Svensson" in response.text
    assert not Case.objects.exists()
    data["names_checked"] = "on"
    assert client.post(url("report") + f"?avtal={deal.pk}", data).status_code == 302


def test_an_official_starts_a_report_from_a_duty_prefilled(client, ladder, deal, karlskrona_official):
    duty = Duty.objects.filter(version__agreement=deal, side="region").first()
    client.force_login(karlskrona_official)
    response = client.get(url("report"), {"atagande": duty.pk})
    assert response.status_code == 200
    assert duty.text in response.text
    assert response.context["form"].initial["area"] == duty.area


def test_people_who_cannot_report_get_403(client, db):
    client.force_login(person("1080"))  # works there, but holds no role: acts for no organisation
    assert client.get(url("report")).status_code == 403


def test_my_cases_lists_reported_concerning_and_waiting(client, case, karlskrona_official, region_official):
    client.force_login(region_official)
    page = client.get(url("mine"))
    assert page.status_code == 200
    cases = page.context["cases"]
    assert case in cases.concerning and case in cases.waiting and case not in cases.reported
    client.force_login(karlskrona_official)
    assert case in client.get(url("mine")).context["cases"].reported


def test_a_body_queue_is_for_those_who_lead_the_body(
    client, case, karlskrona_official, group_chair, local_group
):
    escalate_unanswered(case, karlskrona_official, "Inget svar.")
    client.force_login(karlskrona_official)
    assert client.get(url("body_queue", pk=local_group.pk)).status_code == 403
    client.force_login(group_chair)
    page = client.get(url("body_queue", pk=local_group.pk))
    assert page.status_code == 200 and case.reference in page.text


def test_ladders_are_public_and_county_admins_edit_them(client, ladder, deal, blekinge_admin, kalmar_admin):
    page = client.get(url("ladders"))
    assert page.status_code == 200 and "Lokal samverkansgrupp" in page.text
    client.force_login(kalmar_admin)
    assert client.get(url("ladder_edit", pk=deal.pk)).status_code == 403
    client.force_login(blekinge_admin)
    form = client.get(url("ladder_edit", pk=deal.pk))
    assert form.status_code == 200
    data = {
        "niva-TOTAL_FORMS": "1",
        "niva-INITIAL_FORMS": "0",
        "niva-0-name": "Cheferna",
        "niva-0-handler": "parties",
        "niva-0-start_days": "5",
        "niva-0-feedback_days": "10",
    }
    assert client.post(url("ladder_edit", pk=deal.pk), data).status_code == 302
    ladder = deal.ladders.get()
    assert ladder.revision == 2 and list(ladder.levels.values_list("name", flat=True)) == ["Cheferna"]


def test_list_and_case_pages_keep_a_flat_query_count(
    client, ladder, deal, karlskrona_official, django_assert_max_num_queries
):
    client.force_login(karlskrona_official)
    first = report(deal, karlskrona_official)
    services.case_comment(case=first, by=karlskrona_official, text="En")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few_list:
        client.get(url("mine"))
    with CaptureQueriesContext(connection) as few_case:
        client.get(first.get_absolute_url())
    for n in range(8):
        services.case_comment(case=first, by=karlskrona_official, text=f"Kommentar {n}")
        report(deal, karlskrona_official)
    with django_assert_max_num_queries(len(few_list)):
        client.get(url("mine"))
    with django_assert_max_num_queries(len(few_case)):
        client.get(first.get_absolute_url())


def test_a_chair_logs_a_case_on_behalf_of_another_organisation_and_records_the_resolution(
    client, ladder, deal, group_chair
):
    client.force_login(group_chair)
    data = {
        "reporting_organisation": organisation("1081").pk,  # Ronneby, not the chair's own organisation
        "concerned": [organisation("R10").pk],
        "question": "payment",
        "title": "Kostnad för placering",
        "description": "Parterna är oense om betalningsansvaret för en placering.",
        "position": "Regionen bör stå för hälso- och sjukvårdsdelen.",
    }
    assert client.post(url("report_dispute") + f"?avtal={deal.pk}", data).status_code == 302
    case = Case.objects.get()
    assert (case.kind, case.reporting_organisation.code, case.reported_by) == ("dispute", "1081", group_chair)
    assert client.get(case.get_absolute_url()).status_code == 200  # the chair follows what they reported
    escalate_unanswered(case, group_chair, "Lokal fråga.")  # the chair's group handles it
    client.post(url("act", pk=case.pk), {"action": "started"})
    response = client.post(url("act", pk=case.pk), {"action": "resolved", "text": "Kostnaden delas lika."})
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.state, case.resolution) == (Case.State.RESOLVED, "Kostnaden delas lika.")


def test_queue_and_ladder_pages_keep_a_flat_query_count(
    client, ladder, deal, karlskrona_official, group_chair, local_group, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import agreement as new_agreement

    escalate_unanswered(report(deal, karlskrona_official), karlskrona_official, "Olöst.")
    client.force_login(group_chair)
    pages = [url("body_queue", pk=local_group.pk), url("ladders")]
    counts = []
    for page in pages:
        with CaptureQueriesContext(connection) as few:
            client.get(page)
        counts.append(len(few))
    for n in range(5):
        escalate_unanswered(report(deal, karlskrona_official), karlskrona_official, "Olöst.")
        other = new_agreement(title=f"Överenskommelse {n}").agreement
        services.ladder_save(agreement=other, by=None, levels=[{"name": "Chefer", "handler": "parties"}])
    for page, count in zip(pages, counts, strict=True):
        with django_assert_max_num_queries(count):
            client.get(page)


def test_the_reporting_unit_must_belong_to_the_reporting_organisation(client, ladder, deal, group_chair):
    from samverkan.models import OrganisationUnit

    own = OrganisationUnit.objects.create(organisation=organisation("1080"), name="Socialförvaltningen")
    other = OrganisationUnit.objects.create(organisation=organisation("R10"), name="Psykiatrin")
    client.force_login(group_chair)  # reports for any organisation in the county
    data = {
        "reporting_organisation": organisation("1080").pk,
        "reporting_unit": other.pk,
        "concerned": [organisation("R10").pk],
        "category": Case._meta.get_field("category").related_model.objects.get(code="other").pk,
        "title": "Utskrivning",
        "description": "Utskrivningen planerades inte gemensamt.",
    }
    response = client.post(url("report") + f"?avtal={deal.pk}", data)
    assert response.status_code == 400 and "Enheten hör inte" in response.text
    data["reporting_unit"] = own.pk
    assert client.post(url("report") + f"?avtal={deal.pk}", data).status_code == 302
    assert Case.objects.get().reporting_unit == own


def test_the_case_page_says_when_a_case_may_be_escalated_instead_of_offering_it_too_early(
    client, ladder, deal, karlskrona_official
):
    from django.utils import timezone

    case = report(deal, karlskrona_official, now=timezone.now())
    client.force_login(karlskrona_official)
    page = client.get(case.get_absolute_url())
    assert "Ärendet kan lyftas när nivåns handläggare har börjat hantera det" in page.text
    assert "Lyft ärendet" not in page.text
    response = client.post(url("escalate", pk=case.pk), {"reason": "Inget svar."})
    assert response.status_code == 400
    case.refresh_from_db()
    assert case.level == 1


def test_the_table_of_an_agreement_in_force_offers_a_report_on_each_duty_to_officials(
    client, deal, karlskrona_official
):
    version = deal.versions.get()
    duty = Duty.objects.filter(version=version, side="region").first()
    table = reverse("agreements:table", args=[deal.pk, version.number, duty.area.target_group.key])
    assert "Rapportera avvikelse" not in client.get(table).text  # the public cannot report
    client.force_login(karlskrona_official)
    html = client.get(table).text
    assert (
        f'href="{url("report")}?atagande={duty.pk}">Rapportera avvikelse<span class="visually-hidden">'
        in html
    )
