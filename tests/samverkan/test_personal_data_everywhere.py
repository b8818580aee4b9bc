"""Every text people write in the portal refuses personal identity numbers (issue 19), not only deviations.

The fields are found, not listed: every form class in the apps' forms and views modules, and every CharField
and TextField of the apps' models. A new form or model field is covered, or this test fails. The few fields
the portal fills in itself, or that hold no prose, are excluded below with the reason.
"""

import inspect
from importlib import import_module

import pytest
from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from simple_history.models import HistoricalChanges

from agreements.models import Agreement
from deviations.models import Case
from governance.models import AgendaItem, Meeting
from samverkan.models import County, Organisation
from tests.factories import BodyFactory, agreement, county, person

APPS = ("samverkan", "agreements", "governance", "deviations")
PERSONNUMMER = "19121212-1212"
SAMORDNINGSNUMMER = "640883-3231"
VALUES = [f"Ärende om brukare {PERSONNUMMER}", f"Gäller {SAMORDNINGSNUMMER}"]

# Forms that take no text people write into the portal: Django's own login and password reset forms
# (a user name, a password, an e-mail address).
FORMS_WITHOUT_TEXT = {"LoginForm", "QueuedPasswordResetForm"}

# Model text fields the portal fills in itself, or that are codes, hashes, content types or names of people
# logging in, never prose. (Fields with choices, slugs and e-mail addresses are no free text either.)
MACHINE_SET = {
    "samverkan.County.code": "SCB county code, reference data",
    "samverkan.Organisation.code": "SCB municipality code, reference data",
    "samverkan.FailedLogin.username": "the user name of a failed login",
    "samverkan.ApiRequestCount.client": "the API client's address",
    "agreements.Law.code": "the law's abbreviation (SoL, HSL)",
    "agreements.NoticeAlert.what": "'notice' or 'end', set by the reminder job",
    "agreements.VersionPdf.sha256": "hash of the rendered PDF",
    "governance.Attachment.content_type": "content type recognised from the file",
    "governance.Attachment.sha256": "hash of the file",
    "deviations.Case.level_name": "copied from the ladder level (whose name is guarded)",
    "deviations.Event.file_type": "content type recognised from the file",
    "deviations.Event.file_sha256": "hash of the file",
}


def portal_forms() -> list[type[forms.BaseForm]]:
    found = []
    for label in APPS:
        for module_name in ("forms", "views"):
            try:
                module = import_module(f"{label}.{module_name}")
            except ModuleNotFoundError:
                continue
            found += [
                cls
                for _name, cls in inspect.getmembers(module, inspect.isclass)
                if issubclass(cls, forms.BaseForm)
                and cls.__module__ == module.__name__
                and not (issubclass(cls, forms.BaseModelForm) and cls._meta.model is None)  # a base class
            ]
    return sorted(set(found), key=lambda cls: cls.__qualname__)


def is_typed_text(field: forms.Field) -> bool:
    """A text field people type into (hidden fields carry versions, not text)."""
    return (
        isinstance(field, forms.CharField)
        and not field.widget.is_hidden
        and not isinstance(field.widget, forms.PasswordInput)
    )


@pytest.fixture
def constructors(db):
    """What each form needs besides its data; a form missing here fails with its name."""
    version = agreement()
    deal = version.agreement
    blekinge = county("10")
    admin = person("R10", username="admin-pd")
    admin.is_superuser = True
    parties = Organisation.objects.filter(agreement_parties__agreement=deal)
    report = {"agreement": deal, "version": version, "reporting": parties}
    return {
        "RoleAssignForm": [{"admin": admin}],
        "PersonForm": [{"county": blekinge}],
        "NewAgreementForm": [{"counties": County.objects.filter(pk=blekinge.pk)}],
        "BodyForm": [{"county": blekinge}],
        "SeatForm": [{"county": blekinge}],
        "MemberForm": [{"county": blekinge}],
        "TableFilterForm": [{"areas": []}],
        "AttendanceForm": [{"memberships": []}],
        "AdjustersForm": [{"memberships": []}],
        "WrittenViewsForm": [{"items": []}],
        "AgreementChoiceForm": [{"agreements": Agreement.objects.all()}],
        "ReportForm": [{"kind": Case.Kind.DEVIATION, **report}, {"kind": Case.Kind.DISPUTE, **report}],
        "PositionForm": [{"organisations": parties}],
        "LevelForm": [{"county": blekinge}],
        "LadderForm": [{"county": blekinge}],
        "AdoptingBodyForm": [{"county": blekinge}],
        "RatificationForm": [{"agreement": deal}],
    }


def test_the_portal_has_forms_with_text_to_check():
    names = {cls.__name__ for cls in portal_forms()}
    assert {"ItemForm", "ReportForm", "ParagraphForm", "SectionForm", "RoleAssignForm"} <= names


def test_every_text_field_of_every_form_refuses_personal_identity_numbers(constructors):
    checked = []
    for form_class in portal_forms():
        if form_class.__name__ in FORMS_WITHOUT_TEXT:
            continue
        for kwargs in constructors.get(form_class.__name__, [{}]):
            shown = form_class(**kwargs)
            for name, field in shown.fields.items():
                if is_typed_text(field):
                    for value in VALUES:
                        form = form_class(data={shown.add_prefix(name): value}, **kwargs)
                        assert not form.is_valid()
                        assert form.has_error(name, "personal_identity_number"), (
                            f"{form_class.__name__}.{name} accepts {value!r}"
                        )
                    checked.append(f"{form_class.__name__}.{name}")
                elif isinstance(field, forms.FileField):
                    upload = SimpleUploadedFile(f"utredning {PERSONNUMMER}.pdf", b"%PDF-1.7\n%%EOF\n")
                    form = form_class(files={shown.add_prefix(name): upload}, **kwargs)
                    assert not form.is_valid()
                    assert form.has_error(name, "personal_identity_number"), (
                        f"{form_class.__name__}.{name} accepts a file named after a person"
                    )
                    checked.append(f"{form_class.__name__}.{name}")
    assert {"ItemForm.title", "ItemForm.proposal", "ParagraphForm.notes", "CommentForm.file"} <= set(checked)
    assert len(checked) > 30


def test_an_ordinary_text_passes_every_form_field(constructors):
    text = "Utskrivning 2024-05-01, ring 0455-12 34 56 (dnr RB 2024/1234, 1 234 567 kr)."
    for form_class in portal_forms():
        if form_class.__name__ in FORMS_WITHOUT_TEXT:
            continue
        for kwargs in constructors.get(form_class.__name__, [{}]):
            shown = form_class(**kwargs)
            for name, field in shown.fields.items():
                if is_typed_text(field):
                    form = form_class(data={shown.add_prefix(name): text}, **kwargs)
                    form.is_valid()
                    assert not form.has_error(name, "personal_identity_number")


def free_text_model_fields() -> list[models.Field]:
    found = []
    for label in APPS:
        for model in apps.get_app_config(label).get_models():
            if issubclass(model, HistoricalChanges):  # the history keeps what the guarded fields saved
                continue
            for field in model._meta.local_concrete_fields:
                name = f"{label}.{model.__name__}.{field.name}"
                if (
                    isinstance(field, models.CharField | models.TextField)
                    and not isinstance(field, models.SlugField | models.EmailField)
                    and field.editable
                    and not field.choices
                    and name not in MACHINE_SET
                ):
                    found.append(field)
    return found


def test_the_excluded_model_fields_exist():
    for name in MACHINE_SET:
        label, model, field = name.split(".")
        apps.get_model(label, model)._meta.get_field(field)


@pytest.mark.parametrize("value", [PERSONNUMMER, SAMORDNINGSNUMMER.replace("-", "")])
def test_every_free_text_field_of_every_model_refuses_personal_identity_numbers(value):
    fields = free_text_model_fields()
    assert len(fields) > 60
    for field in fields:
        with pytest.raises(ValidationError) as raised:
            field.run_validators(value)  # short enough for every field's max_length
        codes = [error.code for error in raised.value.error_list]
        assert "personal_identity_number" in codes, f"{field.model.__name__}.{field.name} accepts {value}"


def test_an_agenda_item_with_a_personal_identity_number_is_refused_by_full_clean(db):
    meeting = Meeting.objects.create(body=BodyFactory(), starts_at="2030-01-10T10:00+01:00")
    item = AgendaItem(meeting=meeting, title=f"Ärende om brukare {PERSONNUMMER}")
    with pytest.raises(ValidationError) as raised:
        item.full_clean()
    assert list(raised.value.error_dict) == ["title"]


def test_a_change_reason_with_an_identity_number_is_refused_before_anything_is_saved(db):
    from samverkan import services
    from samverkan.models import Role, RoleAssignment

    official = person("1080", username="karin-pd")
    with pytest.raises(ValidationError) as raised:
        services.role_assign(
            user=official,
            role=Role.OFFICIAL,
            scope=Organisation.objects.get(code="1080"),
            by=None,
            reason="Ersätter 19121212-1212",
        )
    assert list(raised.value.error_dict) == ["reason"]
    assert not RoleAssignment.objects.filter(user=official).exists()


def test_a_revision_reason_with_an_identity_number_creates_no_draft(db):
    from agreements import services

    version = agreement()
    with pytest.raises(ValidationError):
        services.version_revision_create(agreement=version.agreement, by=None, reason="Om 640883-3231")
    assert version.agreement.versions.count() == 1


def test_texts_stored_before_the_guard_are_listed_masked(db):
    from io import StringIO

    from django.core.management import call_command

    meeting = Meeting.objects.create(body=BodyFactory(), starts_at="2030-01-10T10:00+01:00")
    AgendaItem.objects.create(meeting=meeting, title=f"Ärende om brukare {PERSONNUMMER}")  # no full_clean
    out = StringIO()
    call_command("find_personal_numbers", stdout=out)
    assert "governance.AgendaItem" in out.getvalue() and "19121212-****" in out.getvalue()
    assert "1212-1212" not in out.getvalue()
    assert "1 texter med personnummer." in out.getvalue()
