from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseNotModified, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from agreements import pdf, permissions, selectors, services
from agreements.diff import version_diff
from agreements.forms import (
    AdoptForm,
    AdoptingBodyForm,
    AreaForm,
    ColumnHeadingsForm,
    DutyEditForm,
    DutyForm,
    PointInTimeForm,
    RatificationForm,
    RevisionForm,
    SearchForm,
    SectionForm,
    TableFilterForm,
)
from agreements.models import (
    Agreement,
    AgreementVersion,
    Duty,
    Law,
    ResponsibilityArea,
    Section,
    Side,
)
from agreements.validity import VersionState
from samverkan import history
from samverkan.actions import duty_actions_for
from samverkan.blocks import AGREEMENT_PAGE, blocks_for
from samverkan.concurrency import seen_of
from samverkan.documents.pdf import PdfRenderError
from samverkan.forms import add_service_errors, refusal_or
from samverkan.models import County
from samverkan.selectors import acting_organisation


def _version_or_404(request: HttpRequest, agreement: Agreement, number: int) -> AgreementVersion:
    version = permissions.versions_visible(request.user).filter(agreement=agreement, number=number).first()
    if version is None:
        raise Http404
    version.agreement = agreement
    return version


AGREEMENTS_PER_PAGE = 100


@require_safe
def agreement_list(request: HttpRequest) -> HttpResponse:
    """The agreements the user may read, a county or the whole country, a hundred at a time."""
    county_code = request.GET.get("lan", "")
    agreements = selectors.agreement_list(request.user, county_code=county_code)
    page = Paginator(agreements, AGREEMENTS_PER_PAGE).get_page(request.GET.get("sida"))
    today = timezone.localdate()
    rows = [(agreement, agreement.state_on(today, versions=[])) for agreement in page]
    return render(
        request,
        "agreements/list.html",
        {
            "rows": rows,
            "page": page,
            "page_query": urlencode({"lan": county_code}) if county_code else "",
            "counties": County.objects.order_by("name"),
            "county_code": county_code,
            "can_watch": permissions.can_watch_notices(request.user),
        },
    )


@require_safe
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The agreement as it stands today, or as it stood on ?datum=ÅÅÅÅ-MM-DD."""
    agreement = selectors.agreement_or_404(request.user, pk)
    versions = selectors.versions_of(request.user, agreement)
    form = PointInTimeForm(request.GET or None)
    day = form.cleaned_data["datum"] if form.is_valid() else None
    state = agreement.state_on(day or timezone.localdate(), versions)
    version = state.version if day else state.version or selectors.version_current(versions)
    return _render_version(request, agreement, versions, version, state, day=day, form=form)


@require_safe
def version_detail(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    agreement = selectors.agreement_or_404(request.user, pk)
    versions = selectors.versions_of(request.user, agreement)
    version = next((v for v in versions if v.number == number), None)
    if version is None:
        raise Http404
    state = agreement.state_on(timezone.localdate(), versions)
    return _render_version(request, agreement, versions, version, state, form=PointInTimeForm())


@require_safe
def version_history(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """Who changed the version and its content, and when (for those who may see the version)."""
    agreement = selectors.agreement_or_404(request.user, pk)
    version = next((v for v in selectors.versions_of(request.user, agreement) if v.number == number), None)
    if version is None:
        raise Http404
    return render(
        request,
        "history.html",
        {
            "title": f"{agreement.short_title or agreement.title}, version {version.number}",
            "back_url": version.get_absolute_url(),
            "groups": history.grouped(selectors.version_history(agreement, version)),
        },
    )


def _render_version(request, agreement, versions, version, state, *, day=None, form=None) -> HttpResponse:
    """The agreement page showing ``version``, with every date and label as ``state`` (its day) has it."""
    checksums = selectors.pdf_checksums(versions)
    for v in versions:
        v.pdf_sha256 = checksums.get(v.pk, "")
        v.state = state.state_of(v)
    outline = selectors.version_outline(version) if version else None
    parties = list(agreement.parties.select_related("organisation"))
    return render(
        request,
        "agreements/version.html",
        {
            "agreement": agreement,
            "versions": versions,
            "version": version,
            "outline": outline,
            "day": day,
            "form": form,
            "state": state,
            "review_state": agreement.review_state(day or timezone.localdate()),
            "parties": parties,
            "any_ratified": any(party.ratified_on for party in parties),
            "signatories": agreement.signatories.select_related("organisation"),
            "history": selectors.change_history(versions),
            "can_edit": permissions.can_edit(request.user, agreement),
            "has_draft": any(v.status == AgreementVersion.Status.DRAFT for v in versions),
            "blocks": blocks_for(AGREEMENT_PAGE, request, agreement),  # e.g. the escalation ladders
        },
    )


@require_safe
def responsibility_table(request: HttpRequest, pk: int, number: int, key: str) -> HttpResponse:
    agreement = selectors.agreement_or_404(request.user, pk)
    version = _version_or_404(request, agreement, number)
    group = selectors.target_group_or_404(version, key)
    state = agreement.state_on(timezone.localdate())
    version.state = state.state_of(version)
    areas = list(group.areas.order_by("order").only("id", "name"))
    filters = TableFilterForm(request.GET or None, areas=areas)
    area_id, law = None, ""
    if filters.is_valid():
        area_id, law = filters.cleaned_data["omrade"], filters.cleaned_data["lag"]
    agreement_with_parties = Agreement.objects.prefetch_related("parties").get(pk=agreement.pk)
    agreement_with_parties.county = agreement.county
    rows = selectors.responsibility_table(group, area_id=area_id, law=law)
    acting = acting_organisation(request) if request.user.is_authenticated else None
    return render(
        request,
        "agreements/table.html",
        {
            "agreement": agreement,
            "version": version,
            "state": state,
            "group": group,
            "rows": rows,
            "has_shared": any(row.shared for row in rows),
            "development_areas": selectors.development_areas(group),
            "filters": filters,
            "filtered": bool(area_id or law),
            "headings": selectors.column_headings(agreement_with_parties, group, acting),
            "can_edit": version.status == AgreementVersion.Status.DRAFT
            and permissions.can_edit(request.user, agreement),
            # What other apps offer on a duty (report a deviation…) applies to the version in force only.
            "duty_actions": duty_actions_for(request.user) if version.state == VersionState.IN_FORCE else [],
        },
    )


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    """Search the agreements in force; an official's own county is chosen until they pick another."""
    acting = acting_organisation(request) if request.user.is_authenticated else None
    data = request.GET.copy()
    if "q" in data and "lan" not in data and acting:
        data["lan"] = acting.county.code
    form = SearchForm(data or None, initial={"lan": acting.county.code if acting else ""})
    results = None
    if form.is_valid() and form.cleaned_data["q"].strip():
        results = selectors.search(
            request.user,
            form.cleaned_data["q"],
            include_history=form.cleaned_data["historik"],
            county_code=form.cleaned_data["lan"],
            exact=data.get("exakt") == "1",  # the link "Sök i stället efter …": the words as written
            page=int(data["sida"]) if data.get("sida", "").isdigit() else 1,
        )
    return render(
        request,
        "agreements/search.html",
        {"form": form, "results": results, "links": _search_links(data, results)},
    )


def _search_links(data: QueryDict, results: selectors.SearchResults | None) -> dict[str, str]:
    """The query strings of the search's links: the words as written, and the pages before and after."""
    if results is None:
        return {}

    def changed(**params) -> str:
        query = data.copy()
        query.pop("sida", None)
        for key, value in params.items():
            if value is not None:
                query[key] = str(value)
        return query.urlencode()

    return {
        "exact": changed(exakt=1),
        "previous": changed(sida=results.page - 1 if results.page > 2 else None) if results.page > 1 else "",
        "next": changed(sida=results.page + 1) if results.more else "",
    }


@require_safe
def law_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "agreements/law_list.html",
        {
            "laws": selectors.laws_with_counts(request.user),
            "can_keep": permissions.can_keep_law_catalogue(request.user),
        },
    )


LAW_REFERENCES_PER_PAGE = 200


@require_safe
def law_detail(request: HttpRequest, code: str) -> HttpResponse:
    """Every duty in the agreements in force that rests on the law, by county and agreement, a page at a
    time (a law such as SoL is cited thousands of times across the country)."""
    law = get_object_or_404(Law.objects.select_related("replaced_by"), code=code)
    page = Paginator(selectors.law_references(request.user, law), LAW_REFERENCES_PER_PAGE).get_page(
        request.GET.get("sida")
    )
    return render(request, "agreements/law_detail.html", {"law": law, "references": page, "page": page})


@require_safe
def compare(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_or_404(request.user, pk)
    versions = selectors.versions_of(request.user, agreement)
    numbers = {v.number: v for v in versions}
    asked = (request.GET.get("fran", ""), request.GET.get("till", ""))
    if any(n.isdigit() and int(n) not in numbers for n in asked):
        raise Http404  # a version the user may not see (a draft) is not there at all
    try:
        old = numbers[int(request.GET.get("fran", ""))]
        new = numbers[int(request.GET.get("till", ""))]
    except (KeyError, ValueError):
        new, old = versions[0], versions[min(1, len(versions) - 1)]
    state = agreement.state_on(timezone.localdate(), versions)
    for v in versions:
        v.state = state.state_of(v)
    return render(
        request,
        "agreements/compare.html",
        {"agreement": agreement, "versions": versions, "diff": version_diff(old, new)},
    )


@require_safe
def area_compare(request: HttpRequest) -> HttpResponse:
    """The same responsibility area (by name) side by side across the counties' agreements in force."""
    name = request.GET.get("omrade", "").strip()
    rows = selectors.area_across_counties(request.user, name) if name else []
    return render(request, "agreements/area_compare.html", {"name": name, "rows": rows})


# --- Editing ---------------------------------------------------------------------------------------


def _editable_agreement(request: HttpRequest, pk: int) -> Agreement:
    agreement = selectors.agreement_or_404(request.user, pk)
    if not permissions.can_edit(request.user, agreement):
        raise PermissionDenied
    return agreement


@login_required
def adopting_body_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """An editor sets or changes the body that adopted the agreement (after an import, for example)."""
    agreement = _editable_agreement(request, pk)
    form = AdoptingBodyForm(
        request.POST or None, county=agreement.county, initial={"adopting_body": agreement.adopting_body_id}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_adopting_body_set(
                agreement=agreement,
                body=form.cleaned_data["adopting_body"],
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Det antagande organet är sparat."))
            return redirect(agreement)
    return render(
        request,
        "agreements/adopting_body.html",
        {"agreement": agreement, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def ratification_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """An editor records that a party's own council or board ratified the agreement."""
    agreement = _editable_agreement(request, pk)
    form = RatificationForm(request.POST or None, agreement=agreement)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.party_ratification_record(
                party=data["party"],
                ratified_by=data["ratified_by"],
                ratified_on=data["ratified_on"],
                reference=data["reference"],
                by=request.user,
                reason=data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Partens beslut är sparat."))
            return redirect(agreement)
    parties = agreement.parties.select_related("organisation")
    return render(
        request,
        "agreements/ratification.html",
        {"agreement": agreement, "form": form, "parties": parties},
        status=400 if form.errors else 200,
    )


def _draft(request: HttpRequest, pk: int, number: int) -> AgreementVersion:
    """The draft the user edits: 404 while the version is invisible to them (a draft is, to all but its
    county's editors), 403 for an adopted version or a user who may not edit."""
    agreement = selectors.agreement_or_404(request.user, pk)
    version = _version_or_404(request, agreement, number)
    if version.status != AgreementVersion.Status.DRAFT or not permissions.can_edit(request.user, agreement):
        raise PermissionDenied
    return version


@login_required
@require_POST
def revision_create(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _editable_agreement(request, pk)
    form = RevisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, refusal_or(form, _("Ange en anledning till revideringen.")))
        return redirect(agreement)
    try:
        draft = services.version_revision_create(
            agreement=agreement, by=request.user, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(agreement)
    messages.success(request, _("Version %(n)s är skapad som utkast.") % {"n": draft.number})
    return redirect(draft)


@login_required
def version_adopt(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    version = _draft(request, pk, number)
    form = AdoptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.version_adopt(version=version, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _adopted_message(version))
            return redirect(version)
    return render(
        request,
        "agreements/adopt.html",
        {"version": version, "agreement": version.agreement, "form": form},
        status=400 if form.errors else 200,
    )


def _adopted_message(version: AgreementVersion) -> str:
    state = version.agreement.state_on(timezone.localdate())
    if state.state_of(version) != VersionState.PENDING:
        return _("Version %(n)s är antagen och gäller nu.") % {"n": version.number}
    message = _("Version %(n)s är antagen och gäller från %(date)s.") % {
        "n": version.number,
        "date": date_format(version.effective_from, "j F Y"),
    }
    if state.version_in_force:
        message += " " + _("Till dess gäller version %(n)s.") % {"n": state.version_in_force.number}
    return message


@login_required
def table_edit(request: HttpRequest, pk: int, number: int, key: str) -> HttpResponse:
    version = _draft(request, pk, number)
    group = selectors.target_group_or_404(version, key)
    return _render_editor(request, version, group)


def _render_editor(request, version, group, *, status=200, area_form=None, forms=None) -> HttpResponse:
    """The table editor. ``forms`` are the bound forms that came back with errors, keyed by their prefix
    (``duty-<pk>``, ``new-<area pk>``, ``area-<pk>``): their rows show what the user wrote and the errors."""
    template = "agreements/table_edit.html"
    if request.htmx:
        template += "#editor"
    forms = forms or {}
    rows = selectors.responsibility_table(group, editing=True)
    for row in rows:
        row.new_form = forms.get(f"new-{row.area.pk}")
        row.area.form = forms.get(f"area-{row.area.pk}")
        if row.area.form:
            row.area.name, row.area.seen = row.area.form["name"].value(), row.area.form["seen"].value()
        for duty in (*row.municipal, *row.region, *row.shared):
            duty.form = forms.get(f"duty-{duty.pk}")
            if duty.form:  # what the user wrote, not what is stored, and the version to save against
                duty.side, duty.text, duty.seen = (duty.form[f].value() for f in ("side", "text", "seen"))
    return render(
        request,
        template,
        {
            "agreement": version.agreement,
            "version": version,
            "group": group,
            "rows": rows,
            "sides": Side.choices,
            "area_form": area_form or AreaForm(),
            "headings_form": ColumnHeadingsForm(initial=group.column_headings),
        },
        status=status,
    )


@login_required
@require_POST
def table_headings(request: HttpRequest, pk: int, number: int, key: str) -> HttpResponse:
    version = _draft(request, pk, number)
    group = selectors.target_group_or_404(version, key)
    form = ColumnHeadingsForm(request.POST)
    if not form.is_valid():
        messages.error(request, refusal_or(form, _("En rubrik är högst 120 tecken.")))
        return redirect("agreements:table_edit", pk=pk, number=number, key=key)
    services.target_group_headings_set(group=group, headings=form.cleaned_data, by=request.user)
    messages.success(request, _("Kolumnrubrikerna är sparade."))
    return redirect("agreements:table_edit", pk=pk, number=number, key=key)


@login_required
@require_POST
def area_add(request: HttpRequest, pk: int, number: int, key: str) -> HttpResponse:
    version = _draft(request, pk, number)
    group = selectors.target_group_or_404(version, key)
    form = AreaForm(request.POST)
    if not form.is_valid():
        return _render_editor(request, version, group, status=400, area_form=form)
    services.area_create(
        target_group=group, name=form.cleaned_data["name"], by=request.user, reason=_("Nytt ansvarsområde")
    )
    return _after_edit(request, version, group)


def _area(request, pk, number, area_id) -> ResponsibilityArea:
    version = _draft(request, pk, number)
    area = get_object_or_404(
        ResponsibilityArea.objects.select_related("target_group"), pk=area_id, version=version
    )
    area.version = version
    area.target_group.version = version
    return area


def _after_edit(request, version, group) -> HttpResponse:
    if request.htmx:
        return _render_editor(request, version, group)
    return redirect("agreements:table_edit", pk=version.agreement_id, number=version.number, key=group.key)


@login_required
@require_POST
def area_change(request: HttpRequest, pk: int, number: int, area_id: int) -> HttpResponse:
    """Rename, move or delete a responsibility area (the button pressed says which)."""
    area = _area(request, pk, number, area_id)
    action = request.POST.get("action")
    if action == "rename":
        form = AreaForm(request.POST, prefix=f"area-{area.pk}")
        if form.is_valid():
            try:
                services.area_update(
                    area=area, by=request.user, reason=_("Nytt namn på ansvarsområde"), **form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
        if form.errors:
            return _render_editor(
                request, area.version, area.target_group, status=400, forms={f"area-{area.pk}": form}
            )
    elif action in ("up", "down"):
        services.area_move(area=area, up=action == "up", by=request.user, reason=_("Ändrad ordning"))
    elif action == "delete":
        services.area_delete(area=area, by=request.user, reason=_("Ansvarsområde borttaget"))
    else:
        return HttpResponse(status=400)
    return _after_edit(request, area.version, area.target_group)


@login_required
@require_POST
def duty_add(request: HttpRequest, pk: int, number: int, area_id: int) -> HttpResponse:
    area = _area(request, pk, number, area_id)
    form = DutyForm(request.POST, prefix=f"new-{area.pk}")
    if not form.is_valid():
        return _render_editor(
            request, area.version, area.target_group, status=400, forms={f"new-{area.pk}": form}
        )
    services.duty_create(area=area, by=request.user, reason=_("Nytt åtagande"), **form.cleaned_data)
    return _after_edit(request, area.version, area.target_group)


@login_required
@require_POST
def duty_change(request: HttpRequest, pk: int, number: int, duty_id: int) -> HttpResponse:
    version = _draft(request, pk, number)
    duty = get_object_or_404(Duty.objects.select_related("area__target_group"), pk=duty_id, version=version)
    duty.version = version
    group = duty.area.target_group
    action = request.POST.get("action")
    if action == "delete":
        services.duty_delete(duty=duty, by=request.user, reason=_("Åtagande borttaget"))
        return _after_edit(request, version, group)
    if action in ("up", "down"):
        services.duty_move(duty=duty, up=action == "up", by=request.user, reason=_("Ändrad ordning"))
        return _after_edit(request, version, group)
    form = DutyEditForm(request.POST, prefix=f"duty-{duty.pk}")
    if form.is_valid():
        try:
            services.duty_update(duty=duty, by=request.user, reason=_("Ändrat åtagande"), **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
    if form.errors:
        return _render_editor(request, version, group, status=400, forms={f"duty-{duty.pk}": form})
    return _after_edit(request, version, group)


@login_required
def section_edit(request: HttpRequest, pk: int, number: int, section_id: int) -> HttpResponse:
    version = _draft(request, pk, number)
    section = get_object_or_404(Section, pk=section_id, version=version)
    section.version = version
    initial = {"title": section.title, "text": section.text, "seen": seen_of(section)}
    form = SectionForm(request.POST or None, initial=None if request.POST else initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.section_update(
                section=section, by=request.user, reason=_("Ändrat avsnitt"), **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Avsnitt %(n)s är sparat.") % {"n": section.number})
            return redirect(f"{version.get_absolute_url()}#avsnitt-{section.number}")
    return render(
        request,
        "agreements/section_edit.html",
        {"version": version, "agreement": version.agreement, "section": section, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_safe
def notice_watch(request: HttpRequest) -> HttpResponse:
    """Editors' list of agreements whose notice deadline or end falls within 13 months."""
    if not permissions.can_watch_notices(request.user):
        raise PermissionDenied
    agreements = list(permissions.agreements_editable(request.user).select_related("county"))
    rows = selectors.notice_watch_rows(agreements, timezone.localdate())
    return render(request, "agreements/watch.html", {"rows": rows})


@require_safe
def version_pdf(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """The version as a PDF: drafts rendered fresh for editors (never cached), adopted ones from storage."""
    agreement = selectors.agreement_or_404(request.user, pk)
    version = _version_or_404(request, agreement, number)
    try:
        if version.status == AgreementVersion.Status.DRAFT:
            response = HttpResponse(pdf.render_version_pdf(version), content_type="application/pdf")
            response["Cache-Control"] = "no-store"
        else:
            stored = pdf.stored_pdf(version)
            etag = f'"{stored.sha256}"'
            if etag in request.headers.get("If-None-Match", ""):
                response = HttpResponseNotModified()
            else:
                response = FileResponse(stored.file.open("rb"), content_type="application/pdf")
            response["ETag"] = etag
            response["Cache-Control"] = "public, max-age=86400"
    except PdfRenderError:
        return render(
            request, "agreements/pdf_error.html", {"agreement": agreement, "version": version}, status=500
        )
    response["Content-Disposition"] = f'attachment; filename="{pdf.file_name(version)}"'
    return response
