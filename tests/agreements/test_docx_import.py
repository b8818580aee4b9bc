"""A Word document to a draft version: headings to sections, tables to responsibility tables, the columns
mapped by the editor, legal references recognised; measured on the portal's own agreements."""

import io

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agreements.docx_import import docx_read
from agreements.docx_measure import share_right
from agreements.models import AgreementVersion, Duty, LegalReference, ResponsibilityArea, Section, TargetGroup
from tests.agreements.docx_documents import agreement_docx, demo_agreements, truth
from tests.agreements.seed_docx import seed_docx
from tests.factories import agreement

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def small_document() -> bytes:
    document = docx.Document()
    document.add_heading("1 Inledning", 1)
    document.add_paragraph("Överenskommelsen gäller vuxna.")
    document.add_heading("1.1 Bakgrund", 2)
    document.add_paragraph("Lagen kräver samverkan.")
    document.add_heading("Ansvarsfördelning", 1)  # no number: numbered after the one before
    document.add_paragraph("Vuxna med psykisk funktionsnedsättning")
    table = document.add_table(rows=1, cols=4)
    for cell, text in zip(
        table.rows[0].cells,
        ["Område", "Kommunen ansvarar för", "Regionen ansvarar för", "Kommentar"],
        strict=True,
    ):
        cell.text = text
    rows = [
        [
            "Boende",
            "• boendestöd enligt 4 kap. 1 § SoL • särskilt boende",
            "• psykiatrisk behandling enligt HSL",
            "x",
        ],
        ["", "• korttidsboende", "", ""],  # continues the area above
        ["Sysselsättning", "• daglig verksamhet enligt LSS 9 §", "", ""],
    ]
    for values in rows:
        for cell, text in zip(table.add_row().cells, values, strict=True):
            cell.text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_headings_become_sections_and_tables_responsibility_tables(db):
    draft = docx_read(small_document())
    assert [(s["number"], s["title"], s["parent_number"]) for s in draft.sections] == [
        ("1", "Inledning", None),
        ("1.1", "Bakgrund", "1"),
        ("2", "Ansvarsfördelning", None),
    ]
    assert draft.sections[0]["text"] == "Överenskommelsen gäller vuxna."
    (table,) = draft.tables
    assert (table.heading, table.section_number) == ("Vuxna med psykisk funktionsnedsättning", "2")
    assert table.guessed == ["municipal", "region", ""]
    (group,) = draft.target_groups([table.guessed])
    boende = group["areas"][0]
    assert [(d["side"], d["text"]) for d in boende["duties"]] == [
        ("municipal", "boendestöd enligt 4 kap. 1 § SoL"),
        ("municipal", "särskilt boende"),
        ("municipal", "korttidsboende"),
        ("region", "psykiatrisk behandling enligt HSL"),
    ]
    assert [(r.law, r.chapter, r.paragraph) for r in boende["duties"][0]["laws"]] == [("SoL", "4", "1")]


def test_a_small_known_document_lands_entirely_on_the_right_sides(db):
    data = {
        "version": {
            "target_groups": [
                {
                    "name": "Vuxna",
                    "responsibility_areas": [
                        {
                            "name": "Boende",
                            "duties": [
                                {"side": "municipal", "text": "boendestöd"},
                                {"side": "region", "text": "behandling"},
                            ],
                        },
                        {"name": "Arbete", "duties": [{"side": "shared", "text": "gemensam planering"}]},
                    ],
                }
            ],
            "sections": [],
        },
        "agreement": {"title": "Test"},
    }
    assert share_right(agreement_docx(data), truth(data)) == (3, 3)


@pytest.mark.parametrize(("name", "data", "region"), demo_agreements(), ids=[a[0] for a in demo_agreements()])
def test_the_demo_agreements_as_word_documents_come_over_nearly_whole(db, name, data, region):
    right, total = share_right(agreement_docx(data, region=region), truth(data))
    assert total > 0
    assert right / total >= 0.9, f"{name}: {right}/{total}"


def test_responsibility_headings_under_an_area_become_its_duties():
    document = docx.Document()
    document.add_heading("Bostad", 2)
    document.add_paragraph("Inledande text om bostad.")
    document.add_heading("Kommunernas ansvar", 3)
    document.add_paragraph("Boendestöd enligt SoL.")
    document.add_heading("Region Kalmar läns ansvar", 3)
    document.add_paragraph("• Psykiatrisk behandling • Läkarinsatser")
    document.add_heading("Sysselsättning", 2)
    document.add_paragraph("Text utan ansvarsrubrik.")
    out = io.BytesIO()
    document.save(out)
    draft = docx_read(out.getvalue())
    (table,) = draft.tables
    assert table.rows == [
        ["Bostad", [["Boendestöd enligt SoL."], ["Psykiatrisk behandling", "Läkarinsatser"], []]]
    ]
    assert draft.sections[0]["text"] == "Inledande text om bostad."


def test_the_seed_agreements_as_the_counties_wrote_them_are_measured(db):
    """The figure itself is printed by bench/docx_bench.py; here the measurement runs on every seed and the
    tabular Blekinge agreement keeps most of its duties where they belong."""
    shares = {name: share_right(seed_docx(name), truth(data)) for name, data, _region in demo_agreements()}
    right, total = shares["blekinge-2023"]
    assert right / total >= 0.8
    assert all(total > 0 for _right, total in shares.values())


def test_an_editor_uploads_a_document_maps_the_columns_and_gets_a_draft(login, blekinge_editor):
    deal = agreement().agreement
    client = login(blekinge_editor)
    url = reverse("agreements:word_upload", args=[deal.pk])
    response = client.post(url, {"file": SimpleUploadedFile("avtal.docx", small_document(), DOCX)})
    assert response.status_code == 200, response.context["form"].errors
    assert not AgreementVersion.objects.filter(agreement=deal, status="draft").exists()  # nothing yet
    # The editor says the third column ("Kommentar") is shared, and the region's is the region's.
    response = client.post(
        url, {"token": response.context["token"], "t0c0": "municipal", "t0c1": "region", "t0c2": "shared"}
    )
    draft = AgreementVersion.objects.get(agreement=deal, status="draft")
    assert response.status_code == 302 and response.url == draft.get_absolute_url()
    assert Section.objects.filter(version=draft).count() == 3
    group = TargetGroup.objects.get(version=draft)
    assert group.name == "Vuxna med psykisk funktionsnedsättning"
    assert list(ResponsibilityArea.objects.filter(version=draft).values_list("name", flat=True)) == [
        "Boende",
        "Sysselsättning",
    ]
    assert Duty.objects.filter(version=draft, side="shared", text="x").exists()
    assert LegalReference.objects.filter(version=draft, law__code="LSS", paragraph="9").exists()


def test_a_draft_with_content_is_not_overwritten(login, blekinge_editor):
    deal = agreement().agreement
    client = login(blekinge_editor)
    url = reverse("agreements:word_upload", args=[deal.pk])
    token = client.post(url, {"file": SimpleUploadedFile("avtal.docx", small_document(), DOCX)}).context[
        "token"
    ]
    client.post(url, {"token": token})
    token = client.post(url, {"file": SimpleUploadedFile("avtal.docx", small_document(), DOCX)}).context[
        "token"
    ]
    response = client.post(url, {"token": token}, follow=True)
    assert "redan ett utkast med innehåll" in response.content.decode()
    assert AgreementVersion.objects.filter(agreement=deal, status="draft").count() == 1


def test_a_file_that_is_not_a_word_document_is_refused(login, blekinge_editor):
    deal = agreement().agreement
    url = reverse("agreements:word_upload", args=[deal.pk])
    response = login(blekinge_editor).post(
        url, {"file": SimpleUploadedFile("avtal.docx", b"not a zip", DOCX)}
    )
    assert response.status_code == 400


def test_the_word_upload_is_for_the_countys_editors(client, login, karlskrona_official, blekinge_editor):
    deal = agreement().agreement
    url = reverse("agreements:word_upload", args=[deal.pk])
    assert client.get(url).status_code == 302
    assert login(karlskrona_official).get(url).status_code == 403
    assert login(blekinge_editor).get(url).status_code == 200
