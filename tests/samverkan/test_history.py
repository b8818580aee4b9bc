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


def _revised_with_one_change(editor):
    version = agreement()
    draft = agreement_services.version_revision_create(
        agreement=version.agreement, by=editor, reason="Revision"
    )
    duty = Duty.objects.filter(version=draft).order_by("pk").first()
    agreement_services.duty_update(
        duty=duty, side=duty.side, text="Den nya lydelsen", by=editor, reason="Ny text"
    )
    return version, draft


def test_a_revisions_history_shows_the_copy_as_one_line_and_the_real_change(client, blekinge_editor):
    version, draft = _revised_with_one_change(blekinge_editor)
    copied = Duty.objects.filter(version=draft).count()
    client.force_login(blekinge_editor)
    page = client.get(reverse("agreements:version_history", args=[version.agreement_id, draft.number]))
    groups = page.context["groups"]
    entries = [e for g in groups for e in g.entries]
    created = [e.what for e in entries if e.kind == "Skapad"]
    assert sorted(created) == sorted([version.agreement.title, "Version 2"])  # no line per copied duty
    assert any(e.note.startswith(f"Kopierad från version 1: {copied} åtaganden") for e in entries)
    assert any(c.new == "Den nya lydelsen" for e in entries for c in e.changes)
    assert "Kopierad från version 1" in page.text and "Den nya lydelsen" in page.text


def test_history_groups_one_persons_changes_made_at_one_sitting(blekinge_editor):
    from samverkan.history import grouped

    version, draft = _revised_with_one_change(blekinge_editor)
    from agreements.selectors import version_history

    groups = grouped(version_history(version.agreement, draft))
    editor, importer = groups  # the editor's revision and change at one sitting; the import by the system
    assert (editor.user, len(editor.entries), importer.user) == (blekinge_editor, 2, None)


def test_history_shows_a_status_by_its_swedish_label(client, blekinge_editor):
    import datetime

    version, draft = _revised_with_one_change(blekinge_editor)
    agreement_services.version_adopt(
        version=draft,
        adopted_on=datetime.date(2026, 1, 1),
        decision_reference="LSVO § 4",
        change="Ändrat",
        by=blekinge_editor,
    )
    page = client.get(reverse("agreements:version_history", args=[version.agreement_id, draft.number]))
    changes = [(c.field, c.old, c.new) for g in page.context["groups"] for e in g.entries for c in e.changes]
    assert ("status", "Utkast", "Antagen") in changes
    assert "draft" not in page.text and "adopted" not in page.text


def test_history_names_are_cut_at_a_word_boundary():
    from samverkan.history import shorten

    text = "Kommunen ansvarar för hjälpmedel till vuxna i ordinärt boende enligt HSL och för förskrivningen"
    short = shorten(text, 40)
    assert len(short) <= 40 and short.endswith("…")
    assert text.startswith(short[:-1]) and text[len(short) - 1] == " "
