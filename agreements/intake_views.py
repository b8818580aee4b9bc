"""Agreements into the portal from the browser: an agreement file (the YAML format of the import command)
is checked, shown as a preview, then imported in one transaction.

Only editors import, and only agreements of their own counties: a file for another county is refused next
to the file field, as any other error in it is, with its path and line."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from agreements import permissions, selectors, services
from agreements.docx_import import IGNORE, DocDraft, docx_read
from agreements.forms import (
    AgreementFileForm,
    AgreementFileImportForm,
    LawForm,
    NewAgreementForm,
    WordFileForm,
)
from agreements.importer import AgreementFileError, agreement_text_import, parse_text
from agreements.models import Agreement, Law, Side
from agreements.parsed import Parsed
from samverkan.forms import add_service_errors
from samverkan.uploads import check_upload

UPLOAD_SALT = "agreements.upload"
UPLOAD_MAX_AGE = 60 * 60


@dataclass(frozen=True)
class Preview:
    """What an import of the file will create."""

    parsed: Parsed
    existing: Agreement | None
    sections: int
    target_groups: int
    areas: int
    duties: int
    laws: int


def _preview(parsed: Parsed) -> Preview:
    groups = parsed.target_groups
    areas = [area for group in groups for area in group["areas"]]
    duties = [duty for area in areas for duty in area["duties"]]
    return Preview(
        parsed=parsed,
        existing=Agreement.objects.filter(county=parsed.county, title=parsed.agreement["title"]).first(),
        sections=len(parsed.sections),
        target_groups=len(groups),
        areas=len(areas),
        duties=len(duties),
        laws=sum(len(duty["laws"]) for duty in duties),
    )


def _file_error(form: AgreementFileForm, error: AgreementFileError) -> None:
    where = error.path or ""
    if error.line:
        where = (
            _("rad %(line)s, %(path)s") % {"line": error.line, "path": where}
            if where
            else _("rad %(line)s") % {"line": error.line}
        )
    form.add_error("file", f"{where}: {error.message}" if where else error.message)


def _salt(request: HttpRequest) -> str:
    return f"{UPLOAD_SALT}:{request.user.pk}"


@login_required
def agreement_upload(request: HttpRequest) -> HttpResponse:
    if not permissions.can_import(request.user):
        raise PermissionDenied
    if request.method == "POST" and "token" in request.POST:
        return _agreement_upload_import(request)
    form, preview, token = AgreementFileForm(request.POST or None, request.FILES or None), None, ""
    if request.method == "POST" and form.is_valid():
        name, text = form.cleaned_data["file"]
        try:
            parsed = parse_text(text, name)
        except AgreementFileError as error:
            _file_error(form, error)
        else:
            if not permissions.can_import_into(request.user, parsed.county):
                form.add_error(
                    "file",
                    _("agreement.county: du är inte redaktör för %(county)s.")
                    % {"county": parsed.county.name},
                )
            else:
                preview = _preview(parsed)
                token = signing.dumps({"name": name, "text": text}, salt=_salt(request), compress=True)
    return render(
        request,
        "agreements/upload.html",
        {"form": form, "preview": preview, "token": token},
        status=400 if form.errors else 200,
    )


def _agreement_upload_import(request: HttpRequest) -> HttpResponse:
    form = AgreementFileImportForm(request.POST)
    try:
        if not form.is_valid():
            raise signing.BadSignature
        data = signing.loads(form.cleaned_data["token"], salt=_salt(request), max_age=UPLOAD_MAX_AGE)
        parsed = parse_text(data["text"], data["name"])
        if not permissions.can_import_into(request.user, parsed.county):
            raise PermissionDenied
        version = agreement_text_import(text=data["text"], name=data["name"], by=request.user)
    except signing.BadSignature:
        messages.error(request, _("Förhandsgranskningen har gått ut. Ladda upp filen igen."))
        return redirect("agreements:upload")
    except (AgreementFileError, ValidationError) as error:
        messages.error(
            request,
            _("Ingenting lästes in: %(error)s")
            % {"error": error if isinstance(error, AgreementFileError) else " ".join(error.messages)},
        )
        return redirect("agreements:upload")
    messages.success(request, _("%(version)s är inläst.") % {"version": version})
    return redirect(version.agreement)


@login_required
def agreement_new(request: HttpRequest) -> HttpResponse:
    """A new agreement from a form: its terms and parties, and a first draft to fill in."""
    if not permissions.can_import(request.user):
        raise PermissionDenied
    form = NewAgreementForm(
        request.POST or None, counties=permissions.counties_for_new_agreements(request.user)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            version = services.agreement_create(
                county=data["county"],
                values=data,
                region_parties=list(data["region_parties"]),
                municipal_parties=list(data["municipal_parties"]),
                first_target_group=data["first_target_group"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Överenskommelsen är skapad med version 1 som utkast. "
                    "Fyll i innehållet och anta den sedan."
                ),
            )
            return redirect(version)
    return render(request, "agreements/new.html", {"form": form}, status=400 if form.errors else 200)


WORD_SALT = "agreements.word"
SIDES = [(IGNORE, _lazy("Hoppa över")), *Side.choices]


def _word_salt(request: HttpRequest, agreement) -> str:
    return f"{WORD_SALT}:{request.user.pk}:{agreement.pk}"


@login_required
def word_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """A Word document to a draft version: upload, map each table's columns to the sides, then create."""
    agreement = selectors.agreement_or_404(request.user, pk)
    if not permissions.can_edit(request.user, agreement):
        raise PermissionDenied
    if request.method == "POST" and "token" in request.POST:
        return _word_import(request, agreement)
    form, draft, token = WordFileForm(request.POST or None, request.FILES or None), None, ""
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            check_upload(upload)  # the portal's checks for documents: format, macros, personal numbers
            upload.seek(0)
            draft = docx_read(upload.read())
        except ValidationError as error:
            form.add_error("file", error)
        else:
            token = signing.dumps(
                {"name": upload.name, "draft": draft.as_data()},
                salt=_word_salt(request, agreement),
                compress=True,
            )
    return render(
        request,
        "agreements/word_upload.html",
        {"agreement": agreement, "form": form, "draft": draft, "token": token, "sides": SIDES},
        status=400 if form.errors else 200,
    )


def _word_import(request: HttpRequest, agreement) -> HttpResponse:
    try:
        data = signing.loads(
            request.POST["token"], salt=_word_salt(request, agreement), max_age=UPLOAD_MAX_AGE
        )
    except signing.BadSignature:
        messages.error(request, _("Förhandsgranskningen har gått ut. Ladda upp dokumentet igen."))
        return redirect("agreements:word_upload", pk=agreement.pk)
    draft = DocDraft.from_data(data["draft"])
    allowed = {value for value, _label in SIDES}
    mapping = [
        [request.POST.get(f"t{t}c{c}", guess) for c, guess in enumerate(table.guessed)]
        for t, table in enumerate(draft.tables)
    ]
    if any(side not in allowed for sides in mapping for side in sides):
        raise PermissionDenied
    try:
        version = services.version_draft_from_document(
            agreement=agreement,
            sections=draft.sections,
            target_groups=draft.target_groups(mapping),
            source=data["name"],
            by=request.user,
        )
    except ValidationError as error:
        messages.error(request, _("Inget utkast skapades: %(error)s") % {"error": " ".join(error.messages)})
        return redirect("agreements:word_upload", pk=agreement.pk)
    messages.success(
        request,
        _("Version %(n)s är skapad som utkast från dokumentet. Granska och rätta den innan den antas.")
        % {"n": version.number},
    )
    return redirect(version)


@login_required
def law_new(request: HttpRequest) -> HttpResponse:
    return _law_form(request, Law())


@login_required
def law_edit(request: HttpRequest, code: str) -> HttpResponse:
    return _law_form(request, get_object_or_404(Law, code=code))


def _law_form(request: HttpRequest, law: Law) -> HttpResponse:
    """The law catalogue, kept by superusers: a law, an older version of one, or a regulation."""
    if not permissions.can_keep_law_catalogue(request.user):
        raise PermissionDenied
    form = LawForm(request.POST or None, instance=law)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.law_save(law=form.instance, by=request.user, reason=_("Lagkatalogen ändrad"))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(code)s är sparad i lagkatalogen.") % {"code": saved.code})
            return redirect("agreements:law_list")
    return render(
        request, "agreements/law_form.html", {"form": form, "law": law}, status=400 if form.errors else 200
    )
