#!/usr/bin/env python3
"""Regenerates the Word (.docx) and OpenDocument (.odt) test fixtures.

Run from anywhere (the files are written beside this script):

    pip install python-docx==1.2.0 odfpy==1.4.1
    python3 tests/data/formats/word/make_fixtures.py

All text is invented (a fictional interview about health and social care
integration). The documents are made by real writers (python-docx, odfpy);
the few things those libraries cannot write (tracked changes, fields, a
hyperlink) are injected as raw XML. Each archive is then rewritten with
fixed timestamps and metadata so that reruns give byte-identical files.

The unit tests in src/formats/docx.rs and src/formats/odt.rs assert the
exact text extracted from each file:

    interview.docx / interview.odt   labels as plain text and in bold, a bold
                                     label on its own line, a soft line break,
                                     a tab, a comment, tracked changes, a
                                     header and footer that must not appear
    table.docx / table.odt           a Speaker | Text table with a header row,
                                     and a table that is not a transcript
    truncated.docx / truncated.odt   the first half of interview.*
    notazip.docx                     plain text bytes
    nodocument.docx / nocontent.odt  a zip without the main part
    badxml.docx / badxml.odt         a zip whose main part is not XML
"""

import datetime as dt
import io
import os
import zipfile

import docx
from docx.enum.text import WD_BREAK
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from odf import dc, office, style, table, text
from odf.namespaces import TEXTNS, XMLNS
from odf.opendocument import OpenDocumentText

HERE = os.path.dirname(os.path.abspath(__file__))
FIXED_DATE = dt.datetime(2024, 1, 1, 0, 0, 0)
ZIP_DATE = (2024, 1, 1, 0, 0, 0)


def normalise_zip(data: bytes) -> bytes:
    """Rewrites an archive with fixed timestamps, keeping the entry order."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "meta.xml":
                body = strip_odf_meta(body)
            fixed = zipfile.ZipInfo(info.filename, ZIP_DATE)
            fixed.compress_type = (
                zipfile.ZIP_STORED if info.filename == "mimetype" else zipfile.ZIP_DEFLATED
            )
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, body)
    return out.getvalue()


def strip_odf_meta(body: bytes) -> bytes:
    """odfpy stamps its version into meta.xml; keep it stable."""
    import re

    return re.sub(rb"<meta:generator>[^<]*</meta:generator>", b"<meta:generator>mint fixtures</meta:generator>", body)


def save_docx(doc, name: str) -> bytes:
    props = doc.core_properties
    props.author = "mint tests"
    props.last_modified_by = "mint tests"
    props.created = FIXED_DATE
    props.modified = FIXED_DATE
    props.revision = 1
    buf = io.BytesIO()
    doc.save(buf)
    data = normalise_zip(buf.getvalue())
    write(name, data)
    return data


def write(name: str, data: bytes) -> None:
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


def bold_label(doc, label: str, rest: str):
    p = doc.add_paragraph()
    p.add_run(label).bold = True
    p.add_run(rest)
    return p


def append_xml(paragraph, xml: str) -> None:
    paragraph._p.append(parse_xml(xml))


def make_interview_docx() -> bytes:
    doc = docx.Document()
    section = doc.sections[0]
    section.header.paragraphs[0].text = "CONFIDENTIAL HEADER Site B"
    section.footer.paragraphs[0].text = "FOOTER page text"

    doc.add_heading("Interview 7: integrated discharge team", level=1)
    doc.add_paragraph("Interviewer: Thanks for joining. What does integration mean in your role?")

    # Bold label with the colon inside the bold run.
    p = bold_label(doc, "Nurse:", " Mostly it means one shared plan.")
    run = p.add_run(" The social worker and I update it together.")
    doc.add_comment(run, text="COMMENT shared plan theme", author="Coder A", initials="CA")

    # Bold label with the colon outside the bold run, and a soft line break.
    p = bold_label(doc, "Interviewer", ": How did that start?")
    p = doc.add_paragraph()
    r = p.add_run("Nurse")
    r.bold = True
    r = p.add_run(": We began with weekly huddles.")
    r.add_break()
    p.add_run("Now it is daily.\tEvery ward joins.")

    # Tracked changes: a deletion and an insertion.
    p = doc.add_paragraph("Interviewer: And the barriers? We met ")
    w = nsdecls("w")
    append_xml(
        p,
        f'<w:del {w} w:id="101" w:author="Coder A" w:date="2024-01-01T00:00:00Z">'
        "<w:r><w:delText>DELETED rarely</w:delText></w:r></w:del>",
    )
    append_xml(
        p,
        f'<w:ins {w} w:id="102" w:author="Coder A" w:date="2024-01-01T00:00:00Z">'
        "<w:r><w:t>often</w:t></w:r></w:ins>",
    )
    p.add_run(" with the council team.")

    doc.add_paragraph()

    # A bold label alone in its paragraph, then the text.
    # A bold label alone in its paragraph (bold through the Strong character
    # style), then the text.
    p = doc.add_paragraph()
    p.add_run("Nurse:", style="Strong")
    p = doc.add_paragraph("Budgets, honestly. The ")
    rid = p.part.relate_to("https://example.org/care-portal", RT.HYPERLINK, is_external=True)
    append_xml(
        p,
        f'<w:hyperlink {nsdecls("w", "r")} r:id="{rid}">'
        "<w:r><w:t>care portal</w:t></w:r></w:hyperlink>",
    )
    p.add_run(" helps, and so does the ")
    # A complex field whose instruction must not appear.
    for xml in (
        '<w:r {w}><w:fldChar w:fldCharType="begin"/></w:r>',
        '<w:r {w}><w:instrText xml:space="preserve"> REF INSTRUCTION \\h </w:instrText></w:r>',
        '<w:r {w}><w:fldChar w:fldCharType="separate"/></w:r>',
        "<w:r {w}><w:t>weekly report</w:t></w:r>",
        '<w:r {w}><w:fldChar w:fldCharType="end"/></w:r>',
    ):
        append_xml(p, xml.format(w=w))
    p.add_run(".")
    p.add_run().add_break(WD_BREAK.PAGE)

    doc.add_paragraph("Interviewer: Thank you.")
    return save_docx(doc, "interview.docx")


def make_table_docx() -> None:
    doc = docx.Document()
    doc.add_paragraph("Focus group 2, community hub")
    t = doc.add_table(rows=0, cols=2)
    rows = [
        ("Speaker", ["Text"]),
        ("Interviewer", ["Who do you call first when a discharge stalls?"]),
        ("P1:", ["The hub coordinator.", "She knows every care agency."]),
        ("P2", ["Usually the ward, then the hub."]),
    ]
    for speaker, paragraphs in rows:
        cells = t.add_row().cells
        cells[0].text = speaker
        cells[1].text = paragraphs[0]
        for extra in paragraphs[1:]:
            cells[1].add_paragraph(extra)
    doc.add_paragraph("Notes")
    t = doc.add_table(rows=0, cols=3)
    for values in (("Site", "Visits", "Delays"), ("North", "12", "3")):
        cells = t.add_row().cells
        for cell, value in zip(cells, values):
            cell.text = value
    save_docx(doc, "table.docx")


def odt_styles(doc):
    bold = style.Style(name="Bold", family="text")
    bold.addElement(style.TextProperties(fontweight="bold"))
    doc.automaticstyles.addElement(bold)
    # Header and footer live in styles.xml and must not appear.
    layout = style.PageLayout(name="Page")
    doc.automaticstyles.addElement(layout)
    master = style.MasterPage(name="Standard", pagelayoutname=layout)
    header = style.Header()
    header.addElement(text.P(text="CONFIDENTIAL HEADER Site B"))
    master.addElement(header)
    footer = style.Footer()
    footer.addElement(text.P(text="FOOTER page text"))
    master.addElement(footer)
    doc.masterstyles.addElement(master)
    return bold


def save_odt(doc, name: str) -> bytes:
    buf = io.BytesIO()
    doc.write(buf)
    data = normalise_zip(buf.getvalue())
    write(name, data)
    return data


def changed_region(ident: str):
    # ODF 1.2 wants both ids on a changed region; odfpy needs them spelled out.
    return text.ChangedRegion(qattributes={(XMLNS, "id"): ident, (TEXTNS, "id"): ident})


def make_interview_odt() -> bytes:
    doc = OpenDocumentText()
    bold = odt_styles(doc)
    body = doc.text

    changes = text.TrackedChanges()
    region = changed_region("ct1")
    deletion = text.Deletion()
    info = office.ChangeInfo()
    info.addElement(dc.Creator(text="Coder A"))
    info.addElement(dc.Date(text="2024-01-01T00:00:00"))
    deletion.addElement(info)
    deletion.addElement(text.P(text="DELETED rarely"))
    region.addElement(deletion)
    changes.addElement(region)
    region = changed_region("ct2")
    insertion = text.Insertion()
    info = office.ChangeInfo()
    info.addElement(dc.Creator(text="Coder A"))
    info.addElement(dc.Date(text="2024-01-01T00:00:00"))
    insertion.addElement(info)
    region.addElement(insertion)
    changes.addElement(region)
    body.addElement(changes)

    body.addElement(text.H(outlinelevel=1, text="Interview 7: integrated discharge team"))
    body.addElement(text.P(text="Interviewer: Thanks for joining. What does integration mean in your role?"))

    p = text.P()
    p.addElement(text.Span(stylename=bold, text="Nurse:"))
    p.addText(" Mostly it means one shared plan.")
    note = office.Annotation()
    note.addElement(dc.Creator(text="Coder A"))
    note.addElement(text.P(text="COMMENT shared plan theme"))
    p.addElement(note)
    p.addText(" The social worker and I update it together.")
    body.addElement(p)

    p = text.P()
    p.addElement(text.Span(stylename=bold, text="Interviewer"))
    p.addText(": How did that start?")
    body.addElement(p)

    p = text.P()
    p.addElement(text.Span(stylename=bold, text="Nurse"))
    p.addText(": We began with weekly huddles.")
    p.addElement(text.LineBreak())
    p.addText("Now it is daily.")
    p.addElement(text.Tab())
    p.addText("Every")
    p.addElement(text.S(c=3))
    p.addText("ward joins.")
    body.addElement(p)

    p = text.P(text="Interviewer: And the barriers? We met ")
    p.addElement(text.Change(changeid="ct1"))
    p.addElement(text.ChangeStart(changeid="ct2"))
    p.addText("often")
    p.addElement(text.ChangeEnd(changeid="ct2"))
    p.addText(" with the council team.")
    body.addElement(p)

    body.addElement(text.P())

    # A bold label alone in its paragraph, bold through an automatic style
    # whose parent is a common style in styles.xml, then the text.
    strong = style.Style(name="Strong", family="text")
    strong.addElement(style.TextProperties(fontweight="700"))
    doc.styles.addElement(strong)
    label = style.Style(name="T2", family="text", parentstylename=strong)
    label.addElement(style.TextProperties(fontstyle="italic"))
    doc.automaticstyles.addElement(label)
    p = text.P()
    p.addElement(text.Span(stylename=label, text="Nurse:"))
    body.addElement(p)
    p = text.P(text="Budgets, honestly. The ")
    p.addElement(text.A(href="https://example.org/care-portal", text="care portal"))
    p.addText(" helps.")
    body.addElement(p)

    items = text.List()
    for line in ("Shared records", "Joint visits"):
        item = text.ListItem()
        item.addElement(text.P(text=line))
        items.addElement(item)
    body.addElement(items)

    body.addElement(text.P(text="Interviewer: Thank you."))
    return save_odt(doc, "interview.odt")


def make_table_odt() -> None:
    doc = OpenDocumentText()
    odt_styles(doc)
    body = doc.text
    body.addElement(text.P(text="Focus group 2, community hub"))

    def add_table(name, columns, rows):
        t = table.Table(name=name)
        t.addElement(table.TableColumn(numbercolumnsrepeated=columns))
        for row in rows:
            tr = table.TableRow()
            for value in row:
                cell = table.TableCell()
                for paragraph in value if isinstance(value, list) else [value]:
                    cell.addElement(text.P(text=paragraph))
                tr.addElement(cell)
            t.addElement(tr)
        body.addElement(t)

    add_table(
        "Transcript",
        2,
        [
            ("Name", "Transcript"),
            ("Interviewer", "Who do you call first when a discharge stalls?"),
            ("P1:", ["The hub coordinator.", "She knows every care agency."]),
            ("P2", "Usually the ward, then the hub."),
        ],
    )
    body.addElement(text.P(text="Notes"))
    add_table("Visits", 3, [("Site", "Visits", "Delays"), ("North", "12", "3")])
    save_odt(doc, "table.odt")


def make_broken(docx_bytes: bytes, odt_bytes: bytes) -> None:
    write("truncated.docx", docx_bytes[: len(docx_bytes) // 2])
    write("truncated.odt", odt_bytes[: len(odt_bytes) // 2])
    write("notazip.docx", b"Interviewer: this is plain text, not a Word file.\n")

    def archive(entries):
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as z:
            for name, body in entries:
                z.writestr(zipfile.ZipInfo(name, ZIP_DATE), body)
        return out.getvalue()

    content_types = b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
    write("nodocument.docx", archive([("[Content_Types].xml", content_types)]))
    write(
        "badxml.docx",
        archive(
            [
                ("[Content_Types].xml", content_types),
                ("word/document.xml", b"<w:document><w:body><w:p><w:r><w:t>Nurse: cut off</w:t></w:r>"),
            ]
        ),
    )
    mimetype = b"application/vnd.oasis.opendocument.text"
    write("nocontent.odt", archive([("mimetype", mimetype)]))
    write(
        "badxml.odt",
        archive([("mimetype", mimetype), ("content.xml", b"<office:document-content><text:p>Nurse: oops</office:document-content>")]),
    )


def main() -> None:
    docx_bytes = make_interview_docx()
    make_table_docx()
    odt_bytes = make_interview_odt()
    make_table_odt()
    make_broken(docx_bytes, odt_bytes)


if __name__ == "__main__":
    main()
