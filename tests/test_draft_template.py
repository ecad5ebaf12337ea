"""Templates staff own: another look renders the same content; errors name the tag; hostile files are defused."""
from __future__ import annotations

import io
import logging
import time
import zipfile

import pytest
from docx import Document
from docx.shared import Mm, RGBColor

from hokoku.extract.errors import InputError
from hokoku.outputs.draft import TemplateError, build_draft
from hokoku.outputs.draft.safety import PART_LIMIT
from hokoku.outputs.draft.template import DEFAULT_TEMPLATE

from test_draft import draft_report

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
LOGO = bytes.fromhex(  # a 1×1 red PNG
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c4944415408d763f8cfc0000003010100c9fe92ef0000000049454e44ae426082")


def texts(path) -> list[str]:
    doc = Document(str(path))
    return [p.text for p in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows for c in r.cells]


def restyled(tmp_path, edit) -> "Path":
    doc = Document(str(DEFAULT_TEMPLATE))
    edit(doc)
    path = tmp_path / "mine.docx"
    doc.save(path)
    return path


@pytest.fixture(scope="module")
def default_draft(tmp_path_factory):
    out = tmp_path_factory.mktemp("default") / "d.docx"
    return out, build_draft(draft_report(), out)


def test_user_template_with_other_colour_and_logo_renders_the_same_content(default_draft, tmp_path):
    def edit(doc):
        for name in ("Heading 1", "Heading 3"):
            doc.styles[name].element.pPr.find(f"{W}shd").set(f"{W}fill", "7B1E1E")  # wine-red bands
        doc.styles["Heading 2"].font.color.rgb = RGBColor(0x7B, 0x1E, 0x1E)
        logo = io.BytesIO(LOGO)
        doc.sections[0].header.paragraphs[0].add_run().add_picture(logo, width=Mm(12))

    out = tmp_path / "mine_draft.docx"
    summary = build_draft(draft_report(), out, template=restyled(tmp_path, edit))
    assert texts(out) == texts(default_draft[0])
    assert summary.marks == default_draft[1].marks
    mine = Document(str(out))
    assert mine.styles["Heading 1"].element.pPr.find(f"{W}shd").get(f"{W}fill") == "7B1E1E"
    assert mine.styles["Heading 2"].font.color.rgb == RGBColor(0x7B, 0x1E, 0x1E)
    with zipfile.ZipFile(out) as z:
        assert any(n.startswith("word/media/") for n in z.namelist())
        assert "a:blip" in z.read("word/header1.xml").decode()  # the logo stays in the running header


@pytest.mark.parametrize("tag, named", [
    ("{{ proj.budget }}", "budget"),  # a field the draft does not have
    ("{% frobnicate %}", "frobnicate"),  # not a Jinja tag
    ("{% if proj.goal %}", "endif"),  # a block never closed
])
def test_template_errors_are_one_line_naming_the_tag(tmp_path, tag, named):
    def edit(doc):
        project_heading = next(p for p in doc.paragraphs if p.text == "{{ proj.name }}")
        project_heading.add_run(tag)

    tpl = restyled(tmp_path, edit)
    with pytest.raises(TemplateError) as e:
        build_draft(draft_report(), tmp_path / "x.docx", template=tpl)
    msg = str(e.value)
    assert "\n" not in msg and str(tpl) in msg and named in msg
    assert not (tmp_path / "x.docx").exists()


def test_template_not_a_docx_or_missing_fails_clearly(tmp_path):
    bad = tmp_path / "notes.docx"
    bad.write_text("not a zip", encoding="utf-8")
    with pytest.raises(InputError, match="notes.docx: not a Word .docx file"):
        build_draft(draft_report(), tmp_path / "x.docx", template=bad)
    with pytest.raises(InputError, match="template file not found"):
        build_draft(draft_report(), tmp_path / "x.docx", template=tmp_path / "missing.docx")


def _with_external_links(tmp_path):
    """The default template plus an attached template on a web address, a remote image and a UNC path."""
    src = zipfile.ZipFile(DEFAULT_TEMPLATE)
    out = tmp_path / "hostile.docx"
    with zipfile.ZipFile(out, "w") as z:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/_rels/settings.xml.rels" or info.filename == "word/settings.xml":
                continue
            if info.filename == "word/_rels/document.xml.rels":
                data = data.replace(b"</Relationships>",
                                    b'<Relationship Id="rIdX1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" '
                                    b'Target="http://x.example/track.png" TargetMode="External"/>'
                                    b'<Relationship Id="rIdX2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/oleObject" '
                                    b'Target="file://///evil-host/share/x.doc" TargetMode="External"/>'
                                    b'<Relationship Id="rIdX3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" '
                                    b'Target="https://www.city.example/" TargetMode="External"/></Relationships>')
            z.writestr(info, data)
        settings = src.read("word/settings.xml").replace(
            b"<w:updateFields", b'<w:attachedTemplate r:id="rIdT"/><w:updateFields')
        if b'xmlns:r=' not in settings[:2000]:
            settings = settings.replace(b"<w:settings ", b'<w:settings xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" ', 1)
        z.writestr("word/settings.xml", settings)
        z.writestr("word/_rels/settings.xml.rels",
                   '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                   '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rIdT" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate" '
                   'Target="https://x.example/Normal.dotm" TargetMode="External"/></Relationships>')
    return out


def test_external_relationships_are_dropped_with_a_warning(tmp_path, caplog):
    tpl = _with_external_links(tmp_path)
    out = tmp_path / "d.docx"
    with caplog.at_level(logging.WARNING):
        build_draft(draft_report(), out, template=tpl)
    warned = " ".join(r.getMessage() for r in caplog.records)
    assert "x.example/track.png" in warned and "evil-host" in warned and "Normal.dotm" in warned
    with zipfile.ZipFile(out) as z:
        everything = " ".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith((".rels", ".xml")))
    assert "x.example" not in everything and "evil-host" not in everything and "attachedTemplate" not in everything
    assert "https://www.city.example/" in everything  # a hyperlink is only followed when clicked: kept


def test_oversized_part_is_refused_before_parsing(tmp_path):
    big = tmp_path / "big.docx"
    with zipfile.ZipFile(DEFAULT_TEMPLATE) as src, zipfile.ZipFile(big, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml":
                data = data + b" " * (PART_LIMIT + 1)  # deflates to a few KiB
            z.writestr(info.filename, data)
    start = time.perf_counter()
    with pytest.raises(InputError, match="word/document.xml is 32 MiB .*refused before reading it"):
        build_draft(draft_report(), tmp_path / "x.docx", template=big)
    assert time.perf_counter() - start < 5  # not a timing test of speed: a parse of 32 MiB would take far longer
