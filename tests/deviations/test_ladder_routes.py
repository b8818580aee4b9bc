"""Ladders as real agreements write them: a route per kind of case, a level outside the county, costs,
levels without deadlines, and a level where one body prepares and another decides."""

from datetime import date

import pytest
from django.urls import reverse

from deviations import permissions, selectors, services
from deviations.models import Case, Event, Ladder, LadderLevel
from governance.models import Membership
from governance.services import membership_add
from tests.deviations.conftest import at, report
from tests.factories import BodyFactory, organisation, person

PARTIES = {
    "name": "Närmaste chef",
    "handler": LadderLevel.Handler.PARTIES,
    "start_days": 14,
    "feedback_days": 30,
}


def chair_of(body, code="1081"):
    user = person(code)
    membership_add(
        body=body, user=user, organisation=organisation(code), role=Membership.Role.CHAIR,
        starts_on=date(2024, 1, 1), by=None, reason="Utsedd",
    )  # fmt: skip
    return user


def test_a_case_follows_the_route_of_its_kind_and_otherwise_the_one_for_both(deal, karlskrona_official):
    both = services.ladder_save(agreement=deal, by=None, levels=[PARTIES | {"name": "Båda"}])
    disputes = services.ladder_save(
        agreement=deal, by=None, applies_to=Ladder.AppliesTo.DISPUTE, levels=[PARTIES | {"name": "Tvister"}]
    )
    assert report(deal, karlskrona_official).ladder == both
    dispute = report(deal, karlskrona_official, kind=Case.Kind.DISPUTE)
    assert dispute.ladder == disputes and dispute.level_name == "Tvister"
    assert selectors.ladder_for(deal, Case.Kind.DEVIATION) == both


def test_an_external_level_is_reached_shown_and_handled_by_the_parties(deal, karlskrona_official, login):
    services.ladder_save(
        agreement=deal,
        by=None,
        levels=[
            PARTIES | {"escalate_at_once": True},
            {
                "name": "Extern juridisk bedömning",
                "handler": LadderLevel.Handler.EXTERNAL,
                "external_handler": "Advokatfirma enligt ramavtal",
                "cost_sharing": LadderLevel.CostSharing.EQUAL,
                "start_days": None,
                "feedback_days": None,
            },
        ],
    )
    case = report(deal, karlskrona_official)
    case = services.case_escalate(case=case, by=karlskrona_official, reason="Oenighet", now=at(2026, 3, 3))
    assert (case.level, case.level_handler, case.handling_body) == (2, LadderLevel.Handler.EXTERNAL, None)
    assert case.start_due is None and not case.is_overdue(date(2030, 1, 1))
    assert not Case.objects.overdue(date(2030, 1, 1)).filter(pk=case.pk).exists()
    html = login(karlskrona_official).get(case.get_absolute_url()).content.decode()
    assert "hanteras utanför länet: Advokatfirma enligt ramavtal" in html
    assert "Delas lika mellan parterna" in html
    assert permissions.can_handle(karlskrona_official, case)


def test_an_external_level_needs_its_handler(deal):
    with pytest.raises(Exception, match="utanför länet"):
        services.ladder_save(
            agreement=deal, by=None, levels=[{"name": "Extern", "handler": LadderLevel.Handler.EXTERNAL}]
        )


def test_a_level_without_deadlines_lets_the_case_be_raised_at_once_and_never_be_overdue(
    deal, karlskrona_official
):
    services.ladder_save(
        agreement=deal,
        by=None,
        levels=[PARTIES | {"start_days": None, "feedback_days": None}, PARTIES | {"name": "Cheferna"}],
    )
    case = report(deal, karlskrona_official)
    assert (case.start_due, case.feedback_due, case.next_due) == (None, None, None)
    assert selectors.escalation_waits_until(case) is None
    services.case_act(case=case, action=Event.Action.RECEIVED, by=karlskrona_official, now=at(2026, 3, 4))
    case.refresh_from_db()
    assert not case.was_overdue


def test_costs_are_shown_on_the_ladders_page_and_the_agreement_page(client, deal):
    services.ladder_save(
        agreement=deal,
        by=None,
        levels=[
            PARTIES
            | {"cost_sharing": LadderLevel.CostSharing.OTHER, "cost_note": "Regionen 60 %, kommunen 40 %"}
        ],
    )
    assert "Regionen 60 %, kommunen 40 %" in client.get(reverse("deviations:ladders")).content.decode()
    assert "Regionen 60 %, kommunen 40 %" in client.get(deal.get_absolute_url()).content.decode()


def test_where_one_body_prepares_only_the_deciding_body_decides(deal, karlskrona_official, login):
    preparing, deciding = BodyFactory(name="Beredningsgrupp"), BodyFactory(name="Ledningsgrupp")
    services.ladder_save(
        agreement=deal,
        by=None,
        levels=[
            {
                "name": "Bereds och beslutas",
                "handler": LadderLevel.Handler.BODY,
                "bodies": [preparing],
                "deciding_body": deciding,
                "start_days": 7,
                "feedback_days": 30,
            }
        ],
    )
    preparer, decider = chair_of(preparing, "1081"), chair_of(deciding, "1082")
    case = report(deal, karlskrona_official)
    assert set(case.involved_bodies.all()) == {preparing, deciding}
    assert case.deciding_body == deciding
    services.case_act(case=case, action=Event.Action.RECEIVED, by=preparer, now=at(2026, 3, 3))
    case.refresh_from_db()
    assert [a for a, _label in permissions.actions_for(preparer, case)] == [
        Event.Action.INVESTIGATING,
        Event.Action.FEEDBACK,
    ]
    assert Event.Action.MEASURES in dict(permissions.actions_for(decider, case))
    act = reverse("deviations:act", args=[case.pk])
    refused = login(preparer).post(act, {"action": Event.Action.MEASURES, "text": "Rutinen ändras"})
    assert refused.status_code == 403
    done = login(decider).post(act, {"action": Event.Action.MEASURES, "text": "Rutinen ändras"})
    assert done.status_code == 302
    case.refresh_from_db()
    assert case.state == Case.State.MEASURES_DECIDED


def test_a_county_admin_adds_an_external_level_in_the_editor(deal, blekinge_admin, login):
    data = {
        "applies_to": Ladder.AppliesTo.DISPUTE,
        "niva-TOTAL_FORMS": "2",
        "niva-INITIAL_FORMS": "0",
        "niva-0-name": "Cheferna",
        "niva-0-handler": "parties",
        "niva-0-start_days": "14",
        "niva-0-feedback_days": "30",
        "niva-1-name": "Extern bedömning",
        "niva-1-handler": "external",
        "niva-1-cost_sharing": "equal",
    }
    url = reverse("deviations:ladder_edit", args=[deal.pk])
    refused = login(blekinge_admin).post(url, data)
    assert refused.status_code == 400
    assert "utanför länet" in refused.content.decode()
    assert not Ladder.objects.filter(agreement=deal).exists()
    response = login(blekinge_admin).post(url, data | {"niva-1-external_handler": "Nationell nämnd"})
    assert response.status_code == 302
    ladder = Ladder.objects.get(agreement=deal)
    assert ladder.applies_to == Ladder.AppliesTo.DISPUTE
    external = ladder.levels.get(number=2)
    assert (external.external_handler, external.start_days, external.cost_sharing) == (
        "Nationell nämnd",
        None,
        "equal",
    )
    assert ladder.history.first().history_user == blekinge_admin
