"""The law catalogue is data superusers keep in the portal: new laws and regulations, older versions with
their own SFS number, references to a paragraph's point."""

from django.urls import reverse

from agreements import services
from agreements.importer import parse_data
from agreements.laws import parse_reference
from agreements.models import Law, LegalReference
from tests.factories import agreement_data


def test_the_catalogue_the_code_held_is_data_with_sfs_numbers(db):
    sol = Law.objects.get(code="SoL")
    assert (sol.sfs, sol.kind) == ("2001:453", Law.Kind.LAW)
    assert Law.objects.get(code="LSS").sfs == "1993:387"


def test_only_superusers_keep_the_catalogue(client, login, blekinge_admin, superuser):
    new = reverse("agreements:law_new")
    assert client.get(new).status_code == 302
    assert login(blekinge_admin).get(new).status_code == 403
    assert login(superuser).get(new).status_code == 200
    assert (
        reverse("agreements:law_new") in login(superuser).get(reverse("agreements:law_list")).content.decode()
    )


def test_a_law_added_in_the_portal_can_be_cited_by_an_agreement(login, superuser):
    response = login(superuser).post(
        reverse("agreements:law_new"),
        {"code": "LOB", "name": "Lagen om bostadsanpassningsbidrag", "kind": "law", "sfs": "2018:222"},
    )
    assert response.status_code == 302
    assert Law.objects.get(code="LOB").history.first().history_user == superuser
    data = agreement_data()
    data["version"]["target_groups"][0]["responsibility_areas"][0]["duties"][0]["laws"] = ["LOB 3 §"]
    parsed = parse_data(data, "fil.yaml")
    version = services.agreement_version_import(parsed=parsed, source="fil.yaml", by=None)
    assert LegalReference.objects.filter(version=version, law__code="LOB", paragraph="3").exists()


def test_an_older_version_of_a_law_keeps_its_references_and_names_the_new_one(login, superuser, db):
    client = login(superuser)
    client.post(
        reverse("agreements:law_new"),
        {"code": "SoL2025", "name": "Socialtjänstlagen (2025)", "kind": "law", "sfs": "2025:400"},
    )
    new = Law.objects.get(code="SoL2025")
    sol = Law.objects.get(code="SoL")
    response = client.post(
        reverse("agreements:law_edit", args=["SoL"]),
        {"code": "SoL", "name": sol.name, "kind": "law", "sfs": "2001:453", "replaced_by": new.pk},
    )
    assert response.status_code == 302
    assert parse_reference("SoL 5 kap. 1 §").law == "SoL"  # existing references keep working
    page = client.get(reverse("agreements:law_detail", args=["SoL"])).content.decode()
    assert "Ersatt av" in page and "SoL2025" in page
    refused = client.post(
        reverse("agreements:law_edit", args=["SoL2025"]),
        {"code": "SoL2025", "name": new.name, "kind": "law", "sfs": "2025:400", "replaced_by": sol.pk},
    )
    assert refused.status_code == 400
    assert "ersättas av sig själv" in str(refused.context["form"].errors["replaced_by"])


def test_a_regulation_has_its_own_kind(login, superuser):
    login(superuser).post(
        reverse("agreements:law_new"),
        {
            "code": "SOSFS2011:9",
            "name": "Ledningssystem för systematiskt kvalitetsarbete",
            "kind": "regulation",
        },
    )
    assert Law.objects.get(code="SOSFS2011:9").kind == Law.Kind.REGULATION
    assert parse_reference("SOSFS2011:9 4 kap. 1 §").chapter == "4"


def test_a_reference_may_name_a_paragraphs_point(db):
    reference = parse_reference("LSS 9 § 1 p.")
    assert (reference.law, reference.paragraph, reference.point) == ("LSS", "9", "1")
    data = agreement_data()
    data["version"]["target_groups"][0]["responsibility_areas"][0]["duties"][0]["laws"] = ["LSS 9 § 1 p."]
    version = services.agreement_version_import(
        parsed=parse_data(data, "fil.yaml"), source="fil.yaml", by=None
    )
    reference = LegalReference.objects.get(version=version, law__code="LSS", point="1")
    assert str(reference) == "LSS 9 § 1 p."


def test_a_code_with_a_space_is_refused_next_to_the_field(login, superuser):
    response = login(superuser).post(
        reverse("agreements:law_new"), {"code": "SOSFS 2011:9", "name": "x", "kind": "law"}
    )
    assert response.status_code == 400
    assert "code" in response.context["form"].errors
