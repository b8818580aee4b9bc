"""The URLconf, the admin site and the open data API's privacy. Who may reach which URL is the authorisation
matrix in test_matrix.py."""

import json
from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from agreements import services as agreement_services
from agreements.models import Duty
from deviations.models import Case
from governance import services as governance_services
from tests.factories import BodyFactory, UserFactory
from tests.samverkan.test_matrix import API, build_world, url_of

API_LISTS = sorted(f"api:{name}" for name in API if name.endswith("_list"))


def test_admin_site_requires_staff(client, db):
    assert client.get("/admin/").status_code == 302
    client.force_login(UserFactory())
    assert client.get("/admin/").status_code == 302


# --- The open data API ----------------------------------------------------------------------------


def test_no_private_data_is_reachable_through_the_api(client, db, settings):
    """Every list of the API, and the search, read anonymously and with a session: no draft, no agenda of a
    planned meeting, no deviation case, no member's name or e-mail address."""
    settings.API_RATE_LIMIT = "10000/min"
    world = build_world()
    karlskrona_official = world.people["official_a"]
    draft_duty = Duty.objects.get(pk=world.ids["duty"])
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
    case = Case.objects.get(pk=world.ids["case"])
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
    urls = [url_of(name, world.ids) for name in API_LISTS] + [
        url_of("api:search", world.ids),
        url_of("api:body", world.ids | {"body": body.pk}),
        url_of("api:deviation_statistics", world.ids),
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
    assert client.get(reverse("api:version", kwargs=world.ids["draft"])).status_code == 404
    assert client.get(reverse("api:duty", kwargs={"pk": draft_duty.pk})).status_code == 404
