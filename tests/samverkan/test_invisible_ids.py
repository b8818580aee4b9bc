"""Ids an attacker can type: every id in a URL, in a query string or in a form's choices goes through what the
person may see. Ids are sequential, so a hidden object is one guess away.

The world and the personas are those of the authorisation matrix (test_matrix.py). Two signed-in officials
who may see none of the world's hidden objects (a draft version and its content, an agreement with only a
draft, a meeting not yet called with its item and attachment, a protocol being adjusted, a decision of a
protocol adjusted but not published, a case between other organisations) try each id-taking URL with a
hidden object: 404, while a persona who may see the object is let in (so the 404 is about visibility, not a
wrong URL). Query-string ids and form choices of hidden objects are refused in the same way.

The tables below are checked against the code: a new URL with an id, a new ``request.GET``/``request.POST``
read or a new choice field fails ``test_every_*_is_covered`` until it has a row here.
"""

import importlib
import re
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from agreements import permissions as agreement_permissions
from agreements.forms import AdoptingBodyForm, LawForm, NewAgreementForm, RatificationForm, TableFilterForm
from agreements.models import Agreement, AgreementParty, AgreementVersion, Duty, Law, TargetGroup
from agreements.selectors import version_current
from deviations import permissions as deviation_permissions
from deviations import selectors as deviation_selectors
from deviations import services as deviation_services
from deviations.forms import (
    AgreementChoiceForm,
    EscalateForm,
    LadderForm,
    LevelForm,
    PositionForm,
    ReportForm,
)
from deviations.models import Case, Category, LadderLevel
from governance import selectors as governance_selectors
from governance import services as governance_services
from governance.forms import AdjustersForm, BodyForm, MemberForm, SeatForm, WrittenViewsForm
from governance.models import AgendaItem, Body
from samverkan.forms import PersonForm, RoleAssignForm
from samverkan.models import OrganisationUnit, Role
from tests.factories import BodyFactory, agreement, county, organisation
from tests.samverkan.test_matrix import EXPECTED, build_world

PERSONAS = ("official_b", "other_county")  # signed in, and may see none of the hidden objects
APPS = ("samverkan", "agreements", "governance", "deviations", "signin")


# --- Ids in the URL -----------------------------------------------------------------------------------


def hidden_kwargs(ids: dict) -> dict[str, dict]:
    """For every URL that takes an object's id: kwargs pointing at an object the personas may not see."""
    draft, vuxna = ids["draft"], {"key": "vuxna"}
    kwargs = {
        "role_person": {"user_id": ids["person"]},
        "role_remove": {"kind": "tilldelning", "held_id": ids["assignment"]},
        "people": {"code": "10"},
        "governance:body_new": {"code": "10"},
        "person_invite": {"code": "10"},
        "people_import": {"code": "10"},
        "signin_admin:connections": {"code": "10"},
        "signin_admin:connection_edit": {"code": "10", "organisation_id": ids["organisation"]},
        "signin_admin:connection_refresh": {"code": "10", "organisation_id": ids["organisation"]},
        "agreements:table": draft | vuxna,
        "agreements:table_edit": draft | vuxna,
        "agreements:table_headings": draft | vuxna,
        "agreements:area_add": draft | vuxna,
        "agreements:area_change": draft | {"area_id": ids["area"]},
        "agreements:duty_add": draft | {"area_id": ids["area"]},
        "agreements:duty_change": draft | {"duty_id": ids["duty"]},
        "agreements:section_edit": draft | {"section_id": ids["section"]},
        "governance:meeting_pdf": {"pk": ids["planned"], "kind": "kallelse"},
        "governance:meeting_docx": {"pk": ids["planned"], "kind": "kallelse"},
        "governance:paragraph_save": {"pk": ids["paragraph"]},
        "governance:paragraph_correct": {"pk": ids["paragraph"]},
        "governance:decision_plan": {"pk": ids["decision"]},
        "governance:decision_follow_up": {"pk": ids["decision"]},
        "deviations:position": {"pk": ids["dispute"]},
        "deviations:event_file": {"pk": ids["event"]},
        "deviations:ladder_edit": {"pk": ids["hidden_agreement"]},
        "api:agreement": {"pk": ids["hidden_agreement"]},
        "api:version": draft,
        "api:target_group": draft | vuxna,
        "api:duty": {"pk": ids["duty"]},
        "api:meeting": {"pk": ids["planned"]},
    }
    for name in ("version", "version_history", "pdf", "adopt"):
        kwargs[f"agreements:{name}"] = draft
    for name in (
        "detail",
        "compare",
        "revision_create",
        "adopting_body_edit",
        "ratification_edit",
        "word_upload",
    ):
        kwargs[f"agreements:{name}"] = {"pk": ids["hidden_agreement"]}
    meeting = ("meeting", "meeting_history", "item_submit", "agenda_publish", "attendance", "written_views")
    for name in (*meeting, "adjustment_send", "adjust", "adjust_request_change", "protocol_publish"):
        kwargs[f"governance:{name}"] = {"pk": ids["planned"]}
    for name in ("item_decide", "attachment_upload", "item_memo"):
        kwargs[f"governance:{name}"] = {"pk": ids["planned_item"]}
    for name in ("attachment", "attachment_remove"):
        kwargs[f"governance:{name}"] = {"pk": ids["planned_attachment"]}
    for name in ("person_edit", "person_deactivate", "person_reactivate", "invitation_resend"):
        kwargs[name] = {"code": "10", "user_id": ids["person"]}
    for name in ("case", "case_history", "act", "escalate", "comment"):
        kwargs[f"deviations:{name}"] = {"pk": ids["case"]}
    return kwargs


# URLs whose kwargs name no object that can be hidden, and why.
PUBLIC_KWARGS = {
    "county_detail": "counties are public",
    "password_reset_confirm": "a token, checked by Django",
    "invitation_accept": "a signed token, checked by samverkan.invitations",
    "agreements:law_detail": "laws are public",
    "agreements:law_edit": "laws are public; editing them is 403 but for superusers",
    "governance:body": "bodies are public (the directory)",
    "governance:body_calendar": "bodies are public; the calendar lists the meetings the user may see",
    "governance:meeting_new": "bodies are public",
    "governance:body_admin": "bodies are public; administering one is 403",
    "governance:body_end": "bodies are public; administering one is 403",
    "governance:seat_add": "bodies are public; administering one is 403",
    "governance:member_add": "bodies are public; administering one is 403",
    "governance:seat_remove": "seats are shown on the public body page",
    "governance:membership_end": "members are shown on the public body page",
    "governance:annual_cycle": "bodies are public; the year lists the meetings the user may see",
    "governance:cycle_docx": "bodies are public; the year lists the meetings the user may see",
    "governance:cycle_generate": "bodies are public",
    "governance:cycle_rule_add": "bodies are public",
    "governance:cycle_duty": "a body's duties of the year are on its public annual cycle",
    "governance:body_template": "bodies are public",
    "governance:protocol_feed": "counties are public; the feed lists published protocols",
    "deviations:body_queue": "bodies are public",
    "deviations:statistics_csv": "counties are public; statistics are aggregates",
    "deviations:statistics_pdf": "counties are public; statistics are aggregates",
    "deviations:heat": "counties are public; statistics are aggregates",
    "api:county": "counties are public",
    "api:organisation": "organisations are public",
    "api:law": "laws are public",
    "api:law_references": "laws are public; the references are of adopted versions",
    "api:body": "bodies are public",
    "api:deviation_statistics": "counties are public; statistics are aggregates",
}


def patterns_with_kwargs(resolver=None, namespace=""):
    """Names of the URL patterns that take kwargs from the path (the admin site excepted)."""
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace != "admin":
                yield from patterns_with_kwargs(pattern, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            route = pattern.pattern
            if getattr(route, "converters", None) or route.regex.groupindex:
                yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_every_url_with_an_id_is_covered():
    names = set(patterns_with_kwargs())
    covered = hidden_kwargs(AnyIds(draft={})).keys() | PUBLIC_KWARGS.keys()
    assert names - covered == set(), (
        "add the URL to hidden_kwargs (or PUBLIC_KWARGS) in test_invisible_ids.py"
    )
    assert covered - names == set(), "remove the URL that no longer exists from test_invisible_ids.py"


class AnyIds(dict):
    """Ids enough to list the URL names of hidden_kwargs without a world."""

    def __missing__(self, key):
        return 1


def reaching_methods(name: str) -> list[str]:
    """The methods that reach the view (the superuser's cell of the matrix is OK)."""
    return [method for method, cells in EXPECTED[name].items() if cells["superuser"] == "ok"]


def request(client, method: str, url: str, data=None):
    with transaction.atomic():
        response = client.get(url, data) if method == "GET" else client.post(url, data or {})
        transaction.set_rollback(True)
    return response


@pytest.fixture
def world(db, settings):
    settings.API_RATE_LIMIT = "100000/min"
    return build_world()


def test_a_hidden_object_in_the_url_is_404(client, world):
    """Each id-taking URL with an object the persona may not see answers 404 (GET and POST, whichever reach
    the view); the superuser, who sees everything, is let in to the same URL."""
    wrong = []
    for name, kwargs in sorted(hidden_kwargs(world.ids).items()):
        url = reverse(name, kwargs=kwargs)
        for method in reaching_methods(name):
            for persona in PERSONAS:
                client.force_login(world.people[persona])
                status = request(client, method, url).status_code
                if status != 404:
                    wrong.append(f"{persona} {method} {name} ({url}): {status}, expected 404")
            if not name.startswith("api:"):  # the open data API answers as the public for everyone
                client.force_login(world.people["superuser"])
                status = request(client, method, url).status_code
                if status == 404:
                    wrong.append(f"superuser {method} {name} ({url}): 404, the object is not hidden")
    assert not wrong, "\n".join(wrong)


# --- Ids in the query string and in posted fields read by hand -----------------------------------------

# Every request.GET/request.POST read by name in the apps' views, and what it holds. Ids have a test below.
QUERY_IDS = {
    "atagande": "test_a_hidden_duty_in_the_query_string_is_404",
    "fran": "test_a_hidden_version_to_compare_is_404",
    "till": "test_a_hidden_version_to_compare_is_404",
    "move_to": "test_an_item_cannot_be_moved_to_a_meeting_of_another_body",
    "organisation": "test_acting_for_an_organisation_not_ones_own_is_refused",
}
NOT_IDS = {
    "lan": "a county code (counties are public)",
    "galler": "which route of a ladder is edited (both, deviation or dispute)",
    "token": "a signed preview (of a Word document), per user and agreement",
    "applies_to": "the same, as posted by the ladder form",
    "sida": "a page number",
    "language": "a language code (the language switch)",
    "q": "search text",
    "ar": "a year",
    "omrade": "an area's name in area_compare (text, matched in adopted versions only)",
    "action": "which button was pressed",
    "decision": "an agenda item's new status",
    "seen": "the history version a form was opened at",
    "done": "a flag",
    "next": "where to go after signing in (checked by url_has_allowed_host_and_scheme)",
    "state": "the OIDC state, compared with the one in the session",
    "code": "the OIDC authorization code, exchanged at the provider",
    "error": "the OIDC provider's error code",
    "SAMLResponse": "the provider's signed answer, checked by pysaml2",
    "RelayState": "the connection of a SAML logout answer; the answer is checked against its metadata",
    "resent": "a flag: the SAML answer was posted again from the portal's own page",
}
READ = re.compile(r"""request\.(?:GET|POST)(?:\.get\(|\[)\s*["'](\w+)["']""")


def test_every_query_parameter_read_by_hand_is_covered():
    root = Path(settings.BASE_DIR)
    sources = [path for app in APPS for path in (root / app).rglob("*.py") if "migrations" not in path.parts]
    read = {name for path in sources for name in READ.findall(path.read_text())}
    assert "atagande" in read  # the pattern finds what it should
    assert read - QUERY_IDS.keys() - NOT_IDS.keys() == set(), "add the parameter to QUERY_IDS or NOT_IDS"
    assert (QUERY_IDS.keys() | NOT_IDS.keys()) - read == set(), "remove the parameter no longer read"


def test_a_hidden_duty_in_the_query_string_is_404(client, world):
    """An official reporting "from a duty" with the id of a draft's duty learns nothing of it."""
    draft_duty = Duty.objects.get(pk=world.ids["duty"])
    url = reverse("deviations:report") + f"?atagande={draft_duty.pk}"
    for persona in PERSONAS:
        client.force_login(world.people[persona])
        assert client.get(url).status_code == 404, persona
    client.force_login(world.people["editor"])  # the county's editor sees the draft
    assert client.get(url).status_code == 200


def test_a_hidden_version_to_compare_is_404(client, world):
    url = reverse("agreements:compare", kwargs={"pk": world.ids["agreement"]})
    draft, published = world.ids["draft"]["number"], world.ids["published"]["number"]
    for persona in PERSONAS:
        client.force_login(world.people[persona])
        assert client.get(url, {"fran": published, "till": draft}).status_code == 404, persona
        assert client.get(url, {"fran": draft, "till": published}).status_code == 404, persona
    client.force_login(world.people["editor"])
    assert client.get(url, {"fran": published, "till": draft}).status_code == 200


def test_an_item_cannot_be_moved_to_a_meeting_of_another_body(client, world):
    starts_at = AgendaItem.objects.get(pk=world.ids["item"]).meeting.starts_at
    other = governance_services.meeting_plan(
        body=BodyFactory(name="Annat organ"), starts_at=starts_at, location="", by=None
    )
    client.force_login(world.people["secretary"])
    url = reverse("governance:item_decide", kwargs={"pk": world.ids["item"]})
    client.post(url, {"decision": AgendaItem.Status.MOVED, "move_to": other.pk})
    item = AgendaItem.objects.get(pk=world.ids["item"])
    assert (item.status, item.meeting_id) == (AgendaItem.Status.ACCEPTED, world.ids["upcoming"])


def test_acting_for_an_organisation_not_ones_own_is_refused(client, world):
    client.force_login(world.people["official_b"])
    response = client.post(reverse("acting_organisation_set"), {"organisation": organisation("1080").pk})
    assert response.status_code == 403


# --- Ids in form choices -------------------------------------------------------------------------------

# Choice fields whose choices are filled per request, keyed "module.Form.field": a function that builds the
# form as its view does (for the persona who uses it) bound to data choosing an object the persona may not
# see or choose, and that object's id.
CHOICES = {}


def choice(*keys):
    def register(build):
        for key in keys:
            CHOICES[key] = build
        return build

    return register


# Choice fields filled per request that hold no object's id, and why.
NOT_ID_CHOICES = {
    "agreements.forms.SearchForm.lan": "county codes (public)",
    "agreements.forms.TableFilterForm.lag": "law codes (public)",
    "samverkan.forms.RoleAssignForm.role": "role names; the scope chosen is checked for the role",
}


def _version(world):
    return AgreementVersion.objects.get(
        agreement_id=world.ids["agreement"], number=world.ids["published"]["number"]
    )


@choice("agreements.forms.TableFilterForm.omrade")
def _table_filter(world, field):
    version = _version(world)
    group = TargetGroup.objects.get(version=version, key="vuxna")
    area = world.ids["area"]  # of the draft
    return TableFilterForm({"omrade": area}, areas=list(group.areas.all())), area


@choice("agreements.forms.AdoptingBodyForm.adopting_body")
def _adopting_body(world, field):
    hidden = BodyFactory(county=county("08")).pk  # a body of another county
    return AdoptingBodyForm({"adopting_body": hidden, "reason": "Fel län"}, county=county("10")), hidden


@choice("samverkan.forms.PersonForm.organisation", "samverkan.forms.PersonForm.unit")
def _person(world, field):
    kalmar = organisation("0880")
    hidden = (
        kalmar.pk
        if field == "organisation"
        else OrganisationUnit.objects.create(organisation=kalmar, name="Enhet").pk
    )
    data = {"name": "Anna Andersson", "email": "anna@example.se", "organisation": organisation("1080").pk}
    return PersonForm(data | {field: hidden}, county=county("10")), hidden


@choice("governance.forms.BodyForm.parents")
def _body_parents(world, field):
    hidden = BodyFactory(county=county("08"), name="Kalmars grupp").pk
    return BodyForm({"name": "X", "level": "tactical", "parents": [hidden]}, county=county("10")), hidden


@choice("governance.forms.SeatForm.organisation")
def _seat_organisation(world, field):
    hidden = organisation("0880").pk
    return SeatForm({field: hidden}, county=county("10")), hidden


@choice("governance.forms.MemberForm.organisation")
def _member_organisation(world, field):
    hidden = organisation("0880").pk
    return MemberForm({field: hidden}, county=county("10")), hidden


@choice("governance.forms.MemberForm.user")
def _member_user(world, field):
    hidden = world.people["other_county"].pk
    return MemberForm({"user": hidden}, county=county("10")), hidden


@choice(
    "agreements.forms.NewAgreementForm.county",
    "agreements.forms.NewAgreementForm.region_parties",
    "agreements.forms.NewAgreementForm.municipal_parties",
)
def _new_agreement(world, field):
    counties = agreement_permissions.counties_for_new_agreements(world.people["editor"])
    hidden = {"county": county("08").pk, "region_parties": organisation("R08").pk}.get(
        field, organisation("0880").pk
    )
    value = hidden if field == "county" else [hidden]
    return NewAgreementForm({field: value}, counties=counties), hidden


@choice("agreements.forms.LawForm.replaced_by")
def _law_replaced_by(world, field):
    sol = Law.objects.get(code="SoL")  # laws are public: what may not be chosen is the law itself
    return LawForm(
        {"code": "SoL", "name": sol.name, "kind": "law", "replaced_by": sol.pk}, instance=sol
    ), sol.pk


@choice("agreements.forms.RatificationForm.party")
def _ratification_party(world, field):
    hidden = AgreementParty.objects.exclude(agreement_id=world.ids["agreement"]).first()
    if hidden is None:  # a party of another agreement
        hidden = agreement(county="08", title="Kalmars överenskommelse").agreement.parties.first()
    deal = Agreement.objects.get(pk=world.ids["agreement"])
    return RatificationForm({"party": hidden.pk, "reason": "x"}, agreement=deal), hidden.pk


@choice("deviations.forms.AgreementChoiceForm.avtal")
def _agreement_choice(world, field):
    user = world.people["official_b"]
    hidden = world.ids["hidden_agreement"]
    agreements = deviation_selectors.agreements_to_report_on(user)
    return AgreementChoiceForm({"avtal": hidden}, agreements=agreements), hidden


REPORT_FIELDS = ("reporting_organisation", "reporting_unit", "concerned", "category", "target_group", "area")


@choice(*(f"deviations.forms.ReportForm.{name}" for name in (*REPORT_FIELDS, "duty", "section", "body")))
def _report(world, field):
    user = world.people["official_b"]
    version = _version(world)
    kalmar = organisation("0880")
    OrganisationUnit.objects.get_or_create(organisation=organisation("1081"), name="Socialförvaltningen")
    hidden = {
        "reporting_organisation": kalmar.pk,
        "reporting_unit": OrganisationUnit.objects.get_or_create(organisation=kalmar, name="Kalmars enhet")[
            0
        ].pk,
        "concerned": kalmar.pk,  # not a party of the agreement
        "category": Category.objects.get_or_create(county=county("08"), code="kalmar", name="Kalmars egen")[
            0
        ].pk,
        "target_group": TargetGroup.objects.get(pk=_draft_object(world, TargetGroup)).pk,
        "area": world.ids["area"],
        "duty": world.ids["duty"],
        "section": world.ids["section"],
        "body": BodyFactory(county=county("08")).pk,  # not a handler of the ladder's first level
    }[field]
    if field == "body":  # the first level handled by two bodies, so that the reporter chooses one
        _first_level_handled_by_two_bodies(world)
    form = ReportForm(
        {field: [hidden] if field == "concerned" else hidden},
        kind=Case.Kind.DEVIATION,
        agreement=version.agreement,
        version=version_current(list(agreement_permissions.versions_visible(user).filter(agreement=version.agreement))),
        reporting=deviation_permissions.reporting_organisations(user),
    )  # fmt: skip
    return form, hidden


def _first_level_handled_by_two_bodies(world):
    lsvo = Body.objects.get(pk=world.ids["body"])
    bodies = [lsvo, BodyFactory(county=county("10"), name="Lokal samverkansgrupp")]
    deviation_services.ladder_save(
        agreement=Agreement.objects.get(pk=world.ids["agreement"]),
        by=None,
        levels=[
            {"name": "Lokalt", "handler": LadderLevel.Handler.BODY, "bodies": bodies, "start_days": 14,
             "feedback_days": 30},
        ],
    )  # fmt: skip


def _draft_object(world, model):
    draft = AgreementVersion.objects.get(
        agreement_id=world.ids["agreement"], number=world.ids["draft"]["number"]
    )
    return model.objects.filter(version=draft).values_list("pk", flat=True).first()


@choice("deviations.forms.EscalateForm.body")
def _escalate(world, field):
    lsvo = Body.objects.get(pk=world.ids["body"])
    following = Body.objects.filter(pk__in=[lsvo.pk, BodyFactory(county=county("10")).pk])
    hidden = BodyFactory(county=county("08")).pk
    return EscalateForm({"reason": "x", field: hidden}, bodies=following), hidden


@choice("deviations.forms.PositionForm.organisation")
def _position(world, field):
    dispute = Case.objects.get(pk=world.ids["dispute"])
    mine = deviation_permissions.party_organisations(world.people["official_a"], dispute)
    hidden = organisation("R10").pk  # a party, but not one official_a acts for
    return PositionForm({"organisation": hidden, "text": "x"}, organisations=mine), hidden


@choice(
    "deviations.forms.LevelForm.bodies",
    "deviations.forms.LevelForm.deciding_body",
    "deviations.forms.LadderForm.general_body",
)
def _ladder(world, field):
    hidden = BodyFactory(county=county("08")).pk  # another county's body
    if field == "bodies":
        return LevelForm({"name": "x", "handler": "body", "bodies": [hidden]}, county=county("10")), hidden
    if field == "deciding_body":
        return LevelForm(
            {"name": "x", "handler": "body", "deciding_body": hidden}, county=county("10")
        ), hidden
    return LadderForm({"general_body": hidden}, county=county("10")), hidden


@choice("governance.forms.AdjustersForm.adjusters")
def _adjusters(world, field):
    members = governance_selectors.current_members(Body.objects.get(pk=world.ids["body"]))
    hidden = world.people["official_b"].pk  # not a member
    return AdjustersForm({"adjusters": [hidden]}, memberships=members), hidden


@choice("governance.forms.WrittenViewsForm.item")
def _written_views(world, field):
    meeting = governance_selectors.meeting_or_404(world.people["member"], world.ids["upcoming"])
    items = governance_selectors.meeting_agenda(meeting, unpublished=True)
    hidden = world.ids["planned_item"]  # of another meeting
    return WrittenViewsForm({"item": hidden, "text": "x"}, items=items), hidden


@choice("samverkan.forms.RoleAssignForm.scope")
def _role_scope(world, field):
    hidden = f"organisation:{organisation('0880').pk}"  # outside the admin's county
    data = {"role": Role.OFFICIAL, "scope": hidden, "reason": "x"}
    return RoleAssignForm(data, admin=world.people["admin"]), hidden


def choice_fields():
    """Every choice field of the apps' forms whose choices are filled per request: model choice fields and
    plain choice fields declared without choices."""
    for app in APPS:
        module = importlib.import_module(f"{app}.forms")
        for cls in vars(module).values():
            if not (
                isinstance(cls, type)
                and issubclass(cls, forms.BaseForm)
                and cls.__module__ == module.__name__
            ):
                continue
            for name, field in cls.base_fields.items():
                model = isinstance(field, forms.ModelChoiceField)
                if model or (isinstance(field, forms.ChoiceField) and not list(field.choices)):
                    yield f"{module.__name__}.{cls.__name__}.{name}"


def test_every_choice_field_is_covered():
    fields = set(choice_fields())
    assert "deviations.forms.ReportForm.duty" in fields  # the walk finds what it should
    covered = CHOICES.keys() | NOT_ID_CHOICES.keys()
    assert fields - covered == set(), "add the choice field to CHOICES (or NOT_ID_CHOICES)"
    assert covered - fields == set(), "remove the field that no longer exists"


def test_a_hidden_object_is_not_a_choice(world):
    """Each choice field, built as its view builds it, refuses an object the persona may not see or choose,
    and does not offer it."""
    wrong = []
    for key, build in sorted(CHOICES.items()):
        field = key.rpartition(".")[2]
        form, hidden = build(world, field)
        if field not in form.fields:  # the builder must put the form where the field is offered
            wrong.append(f"{key}: the form was built without the field")
            continue
        offered = {str(getattr(value, "value", value)) for value, _label in form.fields[field].choices}
        if str(hidden) in offered:
            wrong.append(f"{key}: offers {hidden}")
        if form.is_valid() or field not in form.errors:
            wrong.append(f"{key}: accepts {hidden}")
    assert not wrong, "\n".join(wrong)
