"""A personal identity number comes back with the report's other errors, in one round (issue 19)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from deviations import services
from deviations.models import Case, Ladder
from tests.deviations.conftest import report
from tests.factories import organisation


def test_the_service_reports_the_identity_number_together_with_the_other_errors(
    ladder, deal, karlskrona_official
):
    with pytest.raises(ValidationError) as error:
        report(
            deal,
            karlskrona_official,
            title="Ärende om brukare 19121212-1212",
            concerned=("1080",),  # only the reporter's own organisation
            category=None,
            event_date=date(2099, 1, 1),
        )
    assert set(error.value.message_dict) == {"title", "concerned", "category", "event_date"}
    assert not Case.objects.exists()


def test_the_form_shows_the_identity_number_together_with_the_missing_fields(
    client, ladder, deal, karlskrona_official
):
    client.force_login(karlskrona_official)
    data = {
        "reporting_organisation": organisation("1080").pk,
        "concerned": [organisation("R10").pk],
        "description": "Gäller brukare 811218 - 9876 som skrevs ut.",  # and no title, no category
    }
    response = client.post(reverse("deviations:report") + f"?avtal={deal.pk}", data)
    assert response.status_code == 400
    form = response.context["form"]
    assert form.has_error("description", "personal_identity_number")
    assert form.has_error("title", "required") and form.has_error("category", "required")
    assert "811218 - ****" in response.text
    assert not Case.objects.exists()


def test_a_ladder_note_with_an_identity_number_is_refused(deal):
    with pytest.raises(ValidationError) as error:
        services.ladder_save(
            agreement=deal,
            by=None,
            levels=[{"name": "Närmaste chef", "handler": "parties", "start_days": 14, "feedback_days": 30}],
            note="Gäller 640883-3231",
        )
    assert "note" in error.value.message_dict
    assert not Ladder.objects.exists()


def test_a_file_named_after_a_person_is_refused_next_to_the_file_field(
    client, ladder, deal, karlskrona_official
):
    from tests.factories import pdf_upload

    case = report(deal, karlskrona_official)
    client.force_login(karlskrona_official)
    response = client.post(
        reverse("deviations:comment", kwargs={"pk": case.pk}),
        {"text": "Se bilaga.", "file": pdf_upload("utredning 19811218_9876.pdf")},
    )
    assert response.status_code == 400
    assert response.context["comment_form"].has_error("file", "personal_identity_number")
    assert not case.events.filter(action="attachment").exists()
