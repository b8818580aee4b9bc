"""Property-based tests over time: for drawn agreements (terms, versions, notice) and days, every surface
says what ``Agreement.state_on(day)`` says, and that answer keeps the rules of validity.

The database is real, so the examples are few; each one is rolled back to a savepoint."""

import itertools
import re
from datetime import date, timedelta

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from agreements import services
from agreements.importer import parse_data
from agreements.models import Agreement, AgreementVersion
from agreements.selectors import WATCH_MONTHS, notice_watch_rows
from agreements.validity import ValidityStatus, VersionState, add_months, validity_on
from tests.factories import agreement_data

API = "/api/v1"
FEW = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
MANY = settings(max_examples=400, deadline=None, derandomize=True)
titles = itertools.count()


@st.composite
def terms(draw) -> dict:
    valid_from = draw(st.dates(date(2018, 1, 1), date(2026, 12, 31)))
    open_ended = draw(st.integers(0, 9)) == 0
    valid_to = None if open_ended else add_months(valid_from, draw(st.integers(0, 60))) + timedelta(-1)
    valid_to = max(valid_to, valid_from) if valid_to else None
    notice_given = draw(st.none() | st.integers(0, 4000))
    return {
        "valid_from": valid_from,
        "valid_to": valid_to,
        "notice_months": draw(st.none() | st.integers(1, 18)),
        "extension_years": draw(st.none() | st.integers(1, 3)),
        "notice_given_on": None if notice_given is None else valid_from + timedelta(days=notice_given),
    }


@st.composite
def versions(draw, valid_from: date) -> list[tuple[date, date]]:
    """(adopted_on, effective_from) of one to three adopted versions, in the order they are adopted."""
    result = []
    for _ in range(draw(st.integers(1, 3))):
        adopted_on = valid_from + timedelta(days=draw(st.integers(-200, 2000)))
        effective_from = adopted_on + timedelta(days=draw(st.sampled_from([0, 0, 1, 30, 400])))
        result.append((adopted_on, effective_from))
    return result


@st.composite
def cases(draw) -> tuple[dict, list, date, bool]:
    agreement_terms = draw(terms())
    adopted = draw(versions(agreement_terms["valid_from"]))
    day = agreement_terms["valid_from"] + timedelta(days=draw(st.integers(-400, 4000)))
    return agreement_terms, adopted, day, draw(st.booleans())


def build(agreement_terms: dict, adopted: list[tuple[date, date]], with_draft: bool) -> Agreement:
    """The agreement through the importer and the services, as editors make one."""
    data = agreement_data(title=f"Överenskommelse {next(titles)}")
    data["agreement"].update(
        {
            key: value.isoformat() if isinstance(value, date) else value
            for key, value in agreement_terms.items()
            if key != "notice_given_on"
        }
    )
    first_adopted, first_effective = adopted[0]
    data["version"].update(adopted_on=first_adopted.isoformat(), effective_from=first_effective.isoformat())
    version = services.agreement_version_import(parsed=parse_data(data, "t.yaml"), source="t.yaml", by=None)
    agreement = version.agreement
    for number, (adopted_on, effective_from) in enumerate(adopted[1:], start=2):
        draft = services.version_revision_create(agreement=agreement, by=None, reason="Revidering")
        services.version_adopt(
            version=draft,
            adopted_on=adopted_on,
            effective_from=effective_from,
            decision_reference=f"LSVO § {number}",
            change="Reviderad",
            by=None,
        )
    if with_draft:
        services.version_revision_create(agreement=agreement, by=None, reason="Nästa revidering")
    if agreement_terms["notice_given_on"]:
        Agreement.objects.filter(pk=agreement.pk).update(notice_given_on=agreement_terms["notice_given_on"])
    return Agreement.objects.select_related("county").get(pk=agreement.pk)


def swedish(day: date) -> str:
    with translation.override("sv"):
        return formats.date_format(day, "j F Y")


def label(version: AgreementVersion, state) -> str:
    value = state.state_of(version)
    if value == VersionState.PENDING:
        return f"Antagen, gäller från {swedish(version.effective_from)}"
    return str(value.label)


def flat(response) -> str:
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


# The rules, on the function alone


@MANY
@given(agreement_terms=terms(), offset=st.integers(-400, 6000), step=st.integers(1, 800))
def test_validity_keeps_the_rules_of_periods_extension_and_notice(agreement_terms, offset, step):
    day = agreement_terms["valid_from"] + timedelta(days=offset)
    validity = validity_on(day, **agreement_terms)
    later = validity_on(day + timedelta(days=step), **agreement_terms)
    valid_to, years = agreement_terms["valid_to"], agreement_terms["extension_years"]
    notice_months, notice = agreement_terms["notice_months"], agreement_terms["notice_given_on"]
    if valid_to is None:
        assert validity.period_end is None and validity.in_force == (day >= agreement_terms["valid_from"])
        return
    # The current period ends at the first end or at one of its extensions, and never moves back.
    periods = [add_months(valid_to, 12 * years * k) for k in range(400)] if years else [valid_to]
    assert validity.period_end in periods
    assert later.period_end >= validity.period_end
    # In force exactly from the start until the end, when the end is known.
    assert validity.in_force == (
        agreement_terms["valid_from"] <= day and (validity.ends_on is None or day <= validity.ends_on)
    )
    if validity.in_force and years and validity.ends_on is None:
        # Nobody has given notice in time: notice is still possible, and only for the current period.
        cutoff = add_months(validity.period_end, -notice_months) if notice_months else validity.period_end
        assert day <= cutoff
        assert validity.notice_deadline == (cutoff if notice_months else None)
        previous = [p for p in periods if p < validity.period_end]
        if previous:
            last = previous[-1]
            assert day > (add_months(last, -notice_months) if notice_months else last)
            assert validity.status == ValidityStatus.EXTENDED
    if validity.ends_on is not None and years and notice is not None:
        # Notice ends the agreement at the end of the first period it was in time for.
        first = next(p for p in periods if notice <= (add_months(p, -notice_months) if notice_months else p))
        assert validity.ends_on == first


# Every surface says what state_on says


@pytest.mark.django_db(transaction=False)
@FEW
@given(case=cases())
def test_every_surface_agrees_with_the_state_of_the_agreement_on_the_day(client, monkeypatch, case):
    agreement_terms, adopted, day, with_draft = case
    assume(all(effective >= date(2000, 1, 1) for _, effective in adopted))
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)
    with transaction.atomic():
        agreement = build(agreement_terms, adopted, with_draft)
        all_versions = list(agreement.versions.all())
        state = agreement.state_on(day)
        published = [v for v in all_versions if v.status != AgreementVersion.Status.DRAFT]
        check_labels(state, all_versions, day)
        check_page(client, agreement, state, published, day)
        check_list(client, agreement, state)
        check_api(client, agreement, state, published, day)
        check_watch(agreement, state, day)
        transaction.set_rollback(True)


def check_labels(state, all_versions, day) -> None:
    labels = {v.number: state.state_of(v) for v in all_versions}
    in_force = [n for n, s in labels.items() if s in {VersionState.IN_FORCE, VersionState.ENDED}]
    assert len(in_force) <= 1
    for v in all_versions:
        s = labels[v.number]
        if v.status == AgreementVersion.Status.DRAFT:
            assert s == VersionState.DRAFT
        elif s == VersionState.SUPERSEDED:
            # Only once a later version is in force.
            assert state.version is not None and state.version.number > v.number
            assert state.version.effective_from <= day
        elif s == VersionState.PENDING:
            assert v.effective_from > day or not state.in_force
    if state.version is not None:
        assert state.version.effective_from <= day
        assert labels[state.version.number] in {
            VersionState.IN_FORCE,
            VersionState.ENDED,
            VersionState.PENDING,
        }
        assert (labels[state.version.number] == VersionState.IN_FORCE) == state.in_force


def check_page(client, agreement, state, published, day) -> None:
    html = flat(client.get(reverse("agreements:detail", args=[agreement.pk]), {"datum": day.isoformat()}))
    if state.version is None:
        assert "Ingen version gällde då." in html
    else:
        assert f"Version {state.version.number} · {label(state.version, state)}" in html
    for v in published:
        assert f"Version {v.number}</a> – {label(v, state)}" in html
    assert f"status-{state.status.value}" in html
    period = re.search(r"Nuvarande period slutar</dt> ?<dd>([^<(]+)", html)
    if state.in_force and state.period_end:
        assert period and period.group(1).strip() == swedish(state.period_end)
    else:
        assert period is None
    deadline = re.search(r"Säg upp senast</dt> ?<dd>([^<]+)", html)
    if state.next_notice_deadline:
        assert deadline and deadline.group(1).strip() == swedish(state.next_notice_deadline)
    else:
        assert deadline is None


def check_list(client, agreement, state) -> None:
    html = flat(client.get(reverse("agreements:list")))
    row = re.search(rf'href="{agreement.get_absolute_url()}">.*?</tr>', html)
    assert row, "the agreement is listed"
    assert f"status-{state.status.value}" in row.group(0)
    end = swedish(state.period_end) if state.period_end else "tills vidare"
    assert f"<td>{end}</td>" in row.group(0)


def check_api(client, agreement, state, published, day) -> None:
    detail = client.get(f"{API}/agreements/{agreement.pk}", {"on": day.isoformat()}).json()
    validity = detail["validity"]
    assert validity["status"] == state.status.value
    assert validity["in_force"] == state.in_force
    assert validity["period_end"] == (state.period_end.isoformat() if state.period_end else None)
    assert validity["notice_deadline"] == (
        state.validity.notice_deadline.isoformat() if state.validity.notice_deadline else None
    )
    assert validity["ends_on"] == (state.ends_on.isoformat() if state.ends_on else None)
    assert detail["validity_today"] == validity  # today is the day
    statuses = {v["number"]: v["status"] for v in detail["versions"]}
    assert statuses == {v.number: state.state_of(v).value for v in published}
    in_force = detail["version_in_force"]
    assert (in_force and in_force["number"]) == (state.version and state.version.number)


def check_watch(agreement, state, day) -> None:
    rows = notice_watch_rows([agreement], day)
    horizon = add_months(day, WATCH_MONTHS)
    deadline = state.next_notice_deadline
    if not state.in_force:
        assert rows == []
    elif deadline and deadline <= horizon:
        assert [(row.what, row.next_date) for row in rows] == [("notice", deadline)]
    elif state.ends_on and state.ends_on <= horizon:
        assert [(row.what, row.next_date) for row in rows] == [("end", state.ends_on)]
    else:
        assert rows == []
