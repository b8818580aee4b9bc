"""History pages: who changed what and when, for those who may see the object."""

import pytest
from django.urls import reverse

from agreements import services as agreement_services
from agreements.models import Duty
from deviations import services as deviation_services
from deviations.models import Case, Category
from samverkan.history import history_of
from tests.factories import agreement, organisation

pytestmark = pytest.mark.django_db


def test_history_lists_changes_newest_first_with_who_why_and_the_fields(blekinge_editor):
    version = agreement()
    draft = agreement_services.version_revision_create(
        agreement=version.agreement, by=blekinge_editor, reason="Ny"
    )
    duty = Duty.objects.filter(version=draft).first()
    agreement_services.duty_update(
        duty=duty, side=duty.side, text="ny lydelse", by=blekinge_editor, reason="Förtydligat"
    )
    entries = history_of(("Åtagande", Duty.history.filter(id=duty.pk), None))
    newest = entries[0]
    assert (newest.user, newest.kind, newest.reason) == (blekinge_editor, "Ändrad", "Förtydligat")
    assert [(c.field, c.new) for c in newest.changes] == [("åtagande", "ny lydelse")]
    assert entries[-1].kind == "Skapad"


def test_version_history_is_public_for_an_adopted_version_and_hidden_for_a_draft(client, blekinge_editor):
    version = agreement()
    draft = agreement_services.version_revision_create(
        agreement=version.agreement, by=blekinge_editor, reason="Ny"
    )
    url = reverse("agreements:version_history", args=[version.agreement_id, 1])
    page = client.get(url)
    assert page.status_code == 200 and "Historik" in page.text
    draft_url = reverse("agreements:version_history", args=[version.agreement_id, draft.number])
    assert client.get(draft_url).status_code == 404
    client.force_login(blekinge_editor)
    assert client.get(draft_url).status_code == 200


def test_case_history_follows_case_visibility(client, karlskrona_official, ronneby_official):
    deal = agreement().agreement
    report = deviation_services.Report(
        kind=Case.Kind.DEVIATION,
        agreement=deal,
        reporting_organisation=organisation("1080"),
        concerned=[organisation("R10")],
        title="Remiss",
        description="Remissen besvarades inte.",
        category=Category.objects.get(code="other"),
    )
    case = deviation_services.case_report(report=report, by=karlskrona_official)
    url = reverse("deviations:case_history", args=[case.pk])
    client.force_login(ronneby_official)
    assert client.get(url).status_code == 404
    client.force_login(karlskrona_official)
    page = client.get(url)
    assert page.status_code == 200 and "Ärendet anmält" in page.text
