from samverkan.models import County, Organisation
from samverkan.reference import reference_data_load


def test_all_counties_regions_and_municipalities_are_loaded(db):
    assert County.objects.count() == 21
    assert Organisation.objects.filter(kind=Organisation.Kind.REGION).count() == 21
    assert Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY).count() == 290


def test_every_county_has_exactly_one_region(db):
    for county in County.objects.all():
        assert county.organisations.filter(kind=Organisation.Kind.REGION).count() == 1, county


def test_municipality_codes_start_with_their_county_code(db):
    for org in Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY).select_related("county"):
        assert org.code.startswith(org.county.code), org


def test_blekinge_has_its_five_municipalities(db):
    names = set(County.objects.get(code="10").organisations.values_list("short_name", flat=True))
    assert {"Karlskrona", "Karlshamn", "Olofström", "Ronneby", "Sölvesborg"} <= names


def test_loading_reference_data_again_changes_nothing(db):
    assert reference_data_load(County, Organisation) == (0, 0)


def test_loading_reference_data_repairs_an_edited_name(db):
    Organisation.objects.filter(code="1081").update(name="Fel namn")
    assert reference_data_load(County, Organisation) == (0, 1)
    assert Organisation.objects.get(code="1081").name == "Ronneby kommun"
