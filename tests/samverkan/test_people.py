"""The county administrator's people: invite, import from a file, edit, deactivate; the invitation link."""

import re
import time

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from governance.models import Membership
from samverkan import selectors, services
from samverkan.invitations import invitation_token, invited_user
from samverkan.models import OrganisationUnit, Role
from samverkan.people_file import people_file_read
from tests.factories import county, organisation, person


def invite_data(**changes) -> dict:
    data = {
        "name": "Anna Karin Svensson",
        "email": "Anna.Svensson@Karlskrona.se",
        "organisation": organisation("1080").pk,
    }
    data.update(changes)
    return data


def csv_upload(text: str, *, bom: bool = False, name: str = "personer.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"), "text/csv")


def link_in(message) -> str:
    return re.search(r"https?://\S+/konto/inbjudan/\S+/", message.body).group(0).split("/konto", 1)[1]


# The workspace


def test_the_workspace_lists_the_counties_an_administrator_administers(login, blekinge_admin):
    html = login(blekinge_admin).get(reverse("workspace")).content.decode()
    assert "Blekinge län" in html and "Kalmar län" not in html
    assert reverse("people", args=["10"]) in html


def test_the_workspace_is_refused_to_an_official_and_asks_a_visitor_to_log_in(
    client, login, karlskrona_official
):
    assert client.get(reverse("workspace")).status_code == 302
    assert login(karlskrona_official).get(reverse("workspace")).status_code == 403


def test_the_start_page_leads_an_administrator_to_the_workspace(login, blekinge_admin):
    assert reverse("workspace") in login(blekinge_admin).get("/").content.decode()


# People list


def test_people_of_another_county_are_404_for_an_administrator(login, kalmar_admin, karlskrona_official):
    client = login(kalmar_admin)
    assert client.get(reverse("people", args=["10"])).status_code == 404
    assert client.get(reverse("person_edit", args=["10", karlskrona_official.pk])).status_code == 404
    assert client.get(reverse("person_edit", args=["08", karlskrona_official.pk])).status_code == 404


def test_people_list_is_404_for_an_official_and_shows_the_county_to_its_admin(
    login, client, karlskrona_official, blekinge_admin, kalmar_official
):
    assert client.get(reverse("people", args=["10"])).status_code == 302
    assert login(karlskrona_official).get(reverse("people", args=["10"])).status_code == 404
    html = login(blekinge_admin).get(reverse("people", args=["10"])).content.decode()
    assert karlskrona_official.get_full_name() in html
    assert kalmar_official.get_full_name() not in html


def test_a_superuser_administers_every_county(login, superuser, karlskrona_official):
    assert login(superuser).get(reverse("people", args=["10"])).status_code == 200


def test_people_list_searches_by_email_and_name(login, blekinge_admin, karlskrona_official, ronneby_official):
    html = (
        login(blekinge_admin)
        .get(reverse("people", args=["10"]), {"q": karlskrona_official.email})
        .content.decode()
    )
    assert karlskrona_official.get_full_name() in html
    assert ronneby_official.get_full_name() not in html


def test_people_list_takes_the_same_queries_for_more_people(
    login, blekinge_admin, django_assert_max_num_queries
):
    client = login(blekinge_admin)
    person("1080")
    client.get(reverse("people", args=["10"]))
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("people", args=["10"]))
    for _ in range(15):
        person("1081")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("people", args=["10"]))


# Inviting one person


def test_an_invited_person_is_an_official_of_their_organisation_and_gets_a_link(
    login, blekinge_admin, run_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = login(blekinge_admin).post(
            reverse("person_invite", args=["10"]), invite_data(title="Chef")
        )
    assert response.status_code == 302
    run_tasks()
    invited = User.objects.get(email__iexact="anna.svensson@karlskrona.se")
    assert (invited.first_name, invited.last_name, invited.username) == (
        "Anna Karin",
        "Svensson",
        "anna.svensson@karlskrona.se",
    )
    assert not invited.has_usable_password()
    assert [h.role for h in selectors.roles_of(invited)] == [Role.OFFICIAL]
    assert invited.profile.title == "Chef"
    assert invited.history.first().history_user == blekinge_admin
    (message,) = mail.outbox
    assert message.to == ["Anna.Svensson@karlskrona.se"]  # the domain in lower case, as Django keeps it
    assert "/konto/inbjudan/" in message.body


def test_an_email_already_in_use_is_refused_next_to_the_field_whatever_its_case(
    login, blekinge_admin, karlskrona_official
):
    response = login(blekinge_admin).post(
        reverse("person_invite", args=["10"]), invite_data(email=karlskrona_official.email.upper())
    )
    assert response.status_code == 400
    assert response.context["form"].errors["email"] == [
        "E-postadressen används redan av ett annat konto i portalen."
    ]
    assert User.objects.filter(email__iexact=karlskrona_official.email).count() == 1


def test_an_organisation_of_another_county_cannot_be_chosen(login, blekinge_admin):
    response = login(blekinge_admin).post(
        reverse("person_invite", args=["10"]), invite_data(organisation=organisation("0880").pk)
    )
    assert response.status_code == 400
    assert "organisation" in response.context["form"].errors


def test_a_unit_of_another_organisation_is_refused(login, blekinge_admin):
    unit = OrganisationUnit.objects.create(organisation=organisation("1081"), name="Socialförvaltningen")
    response = login(blekinge_admin).post(reverse("person_invite", args=["10"]), invite_data(unit=unit.pk))
    assert response.status_code == 400
    assert response.context["form"].errors["unit"] == ["Enheten hör inte till Karlskrona kommun."]


def test_a_personal_identity_number_in_the_title_is_refused(login, blekinge_admin):
    response = login(blekinge_admin).post(
        reverse("person_invite", args=["10"]), invite_data(title="Handläggare 19121212-1212")
    )
    assert response.status_code == 400
    assert response.context["form"].has_error("title", "personal_identity_number")


# The invitation link


def invited(by) -> User:
    from samverkan.services import PersonData

    return services.person_invite(
        county=county("10"),
        data=PersonData("Berit Berg", "berit@karlskrona.se", organisation("1080")),
        by=by,
        reason="Test",
    )


def test_the_link_sets_a_password_signs_in_and_works_only_once(client, blekinge_admin):
    person_ = invited(blekinge_admin)
    url = reverse("invitation_accept", args=[invitation_token(person_)])
    assert client.get(url).status_code == 200
    response = client.post(url, {"new_password1": "Vårdkedja-2027!", "new_password2": "Vårdkedja-2027!"})
    assert response.status_code == 302
    person_.refresh_from_db()
    assert person_.check_password("Vårdkedja-2027!")
    assert client.get("/").context["user"] == person_
    client.logout()
    assert client.get(url).status_code == 404


def test_the_link_refuses_a_weak_password_next_to_the_field(client, blekinge_admin):
    person_ = invited(blekinge_admin)
    url = reverse("invitation_accept", args=[invitation_token(person_)])
    response = client.post(url, {"new_password1": "123", "new_password2": "123"})
    assert response.status_code == 400
    assert response.context["form"].errors["new_password2"]


def test_the_link_expires(blekinge_admin, settings, monkeypatch):
    person_ = invited(blekinge_admin)
    days = settings.INVITE_LINK_DAYS * 24 * 3600
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now - days + 60)
    fresh = invitation_token(person_)
    monkeypatch.setattr(time, "time", lambda: now - days - 60)
    stale = invitation_token(person_)
    monkeypatch.setattr(time, "time", lambda: now)
    assert invited_user(fresh) == person_
    assert invited_user(stale) is None


def test_a_tampered_link_and_a_deactivated_person_get_nothing(blekinge_admin):
    person_ = invited(blekinge_admin)
    token = invitation_token(person_)
    assert invited_user(token[:-2] + "xx") is None
    services.person_deactivate(person=person_, by=blekinge_admin, reason="Slutat")
    assert invited_user(token) is None


def test_an_invitation_can_be_sent_again(
    login, blekinge_admin, run_tasks, django_capture_on_commit_callbacks
):
    person_ = invited(blekinge_admin)
    run_tasks()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        login(blekinge_admin).post(reverse("invitation_resend", args=["10", person_.pk]))
    run_tasks()
    assert [m.to for m in mail.outbox] == [["berit@karlskrona.se"]]


# Many from a file


GOOD_FILE = (
    "namn;e-post;organisation;enhet;titel\n"
    "Anna Andersson;anna@karlskrona.se;Karlskrona kommun;;Socialsekreterare\n"
    "Bo Bengtsson;bo@ronneby.se;Ronneby kommun;;\n"
)


def test_a_file_is_read_with_semicolons_and_a_bom_and_by_organisation_name(db):
    read = people_file_read(("\ufeff" + GOOD_FILE).encode(), county=county("10"))
    assert read.errors == []
    assert [(p.name, p.organisation.code) for p in read.people] == [
        ("Anna Andersson", "1080"),
        ("Bo Bengtsson", "1081"),
    ]


def test_a_file_with_commas_is_read_too(db):
    text = "name,email,organisation\nAnna Andersson,anna@karlskrona.se,1080\n"
    read = people_file_read(text.encode(), county=county("10"))
    assert read.errors == [] and read.people[0].organisation.code == "1080"


def test_every_row_is_checked_and_each_error_names_its_line_and_column(db, karlskrona_official):
    text = (
        "namn;e-post;organisation\n"
        "Anna Andersson;anna@karlskrona.se;Karlskrona kommun\n"
        ";inte-en-adress;Kalmar kommun\n"
        "Anna Dubbel;ANNA@karlskrona.se;Karlskrona kommun\n"
        f"Upptagen;{karlskrona_official.email};Karlskrona kommun\n"
    )
    read = people_file_read(text.encode(), county=county("10"))
    found = {(e.line, e.column) for e in read.errors}
    assert found == {(3, "namn"), (3, "e-post"), (3, "organisation"), (4, "e-post"), (5, "e-post")}
    messages = {(e.line, e.column): e.message for e in read.errors}
    assert messages[(4, "e-post")] == "Samma adress som på rad 2."


def test_an_upload_with_an_error_imports_nobody_and_shows_the_rows(login, blekinge_admin):
    text = GOOD_FILE + "Cecilia Carlsson;cecilia@x.se;Okänd kommun;;\n"
    response = login(blekinge_admin).post(reverse("people_import", args=["10"]), {"file": csv_upload(text)})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Hittar ingen organisation ”Okänd kommun” i Blekinge län." in html
    assert not User.objects.filter(email__in=["anna@karlskrona.se", "bo@ronneby.se"]).exists()


def test_a_good_file_is_previewed_then_imported_with_invitations(
    login, blekinge_admin, run_tasks, django_capture_on_commit_callbacks
):
    client = login(blekinge_admin)
    response = client.post(reverse("people_import", args=["10"]), {"file": csv_upload(GOOD_FILE, bom=True)})
    assert response.status_code == 200
    assert "Bo Bengtsson" in response.content.decode()
    assert not User.objects.filter(email="bo@ronneby.se").exists()  # a preview saves nothing
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("people_import", args=["10"]), {"token": response.context["token"]})
    assert response.status_code == 302
    run_tasks()
    assert {m.to[0] for m in mail.outbox} == {"anna@karlskrona.se", "bo@ronneby.se"}
    assert selectors.roles_of(User.objects.get(email="bo@ronneby.se"))[0].scope == organisation("1081")


def test_an_import_that_fails_at_its_last_row_leaves_nothing(login, blekinge_admin):
    client = login(blekinge_admin)
    response = client.post(reverse("people_import", args=["10"]), {"file": csv_upload(GOOD_FILE)})
    token = response.context["token"]
    person("1081", username="bo-forst").__class__.objects.filter(username="bo-forst").update(
        email="bo@ronneby.se"
    )
    response = client.post(reverse("people_import", args=["10"]), {"token": token}, follow=True)
    assert "Rad 3:" in response.content.decode()
    assert not User.objects.filter(email="anna@karlskrona.se").exists()


def test_a_token_made_for_one_county_or_person_does_not_import_in_another(login, blekinge_admin, superuser):
    response = login(blekinge_admin).post(
        reverse("people_import", args=["10"]), {"file": csv_upload(GOOD_FILE)}
    )
    token = response.context["token"]
    response = login(superuser).post(reverse("people_import", args=["10"]), {"token": token})
    assert response.status_code == 302
    assert not User.objects.filter(email="anna@karlskrona.se").exists()


def test_a_file_without_the_required_headings_is_refused_with_what_is_missing(login, blekinge_admin):
    response = login(blekinge_admin).post(
        reverse("people_import", args=["10"]), {"file": csv_upload("namn;titel\nAnna;Chef\n")}
    )
    assert response.status_code == 400
    assert "e-post, organisation" in response.context["form"].errors["file"][0]


# Edit, deactivate, reactivate


def test_an_edit_moves_the_official_role_with_the_person(login, blekinge_admin, karlskrona_official):
    response = login(blekinge_admin).post(
        reverse("person_edit", args=["10", karlskrona_official.pk]),
        {
            "name": "Karin Ny",
            "email": karlskrona_official.email,
            "organisation": organisation("1081").pk,
            "title": "Chef",
        },
    )
    assert response.status_code == 302
    karlskrona_official.refresh_from_db()
    assert karlskrona_official.get_full_name() == "Karin Ny"
    assert [h.scope for h in selectors.roles_of(karlskrona_official)] == [organisation("1081")]
    assert karlskrona_official.history.first().history_change_reason == "Uppgifter ändrade"


def test_a_deactivated_person_loses_every_role_and_keeps_the_history(login, client, blekinge_admin, lsvo):
    member = person("1080", (Role.OFFICIAL, organisation("1080")), (Role.SECRETARY, lsvo), username="sara")
    response = login(blekinge_admin).post(
        reverse("person_deactivate", args=["10", member.pk]), {"reason": "Slutat sin anställning"}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert not member.is_active
    assert selectors.roles_of(member) == []
    assert member.history.first().history_change_reason == "Slutat sin anställning"
    assert Membership.history.filter(user=member, history_type="-").exists()  # withdrawn, in the history


def test_a_deactivation_needs_a_reason_and_an_admin_cannot_deactivate_themself(
    login, blekinge_admin, karlskrona_official
):
    client = login(blekinge_admin)
    client.post(reverse("person_deactivate", args=["10", karlskrona_official.pk]), {"reason": ""})
    karlskrona_official.refresh_from_db()
    assert karlskrona_official.is_active
    with pytest.raises(ValidationError):
        services.person_deactivate(person=blekinge_admin, by=blekinge_admin, reason="x")


def test_a_reactivated_person_is_an_official_again(login, blekinge_admin, karlskrona_official):
    services.person_deactivate(person=karlskrona_official, by=blekinge_admin, reason="Tjänstledig")
    login(blekinge_admin).post(
        reverse("person_reactivate", args=["10", karlskrona_official.pk]), {"reason": "Tillbaka"}
    )
    karlskrona_official.refresh_from_db()
    assert karlskrona_official.is_active
    assert [h.role for h in selectors.roles_of(karlskrona_official)] == [Role.OFFICIAL]


def test_status_changes_are_post_only(login, blekinge_admin, karlskrona_official):
    client = login(blekinge_admin)
    for name in ("person_deactivate", "person_reactivate", "invitation_resend"):
        assert client.get(reverse(name, args=["10", karlskrona_official.pk])).status_code == 405
