"""The default Word template (docxtpl/Jinja tags written into Word paragraphs and tables), and fields.

`python -m hokoku.outputs.draft.template` (from the repository root) rebuilds
outputs/templates/default.docx. It reproduces the printed report's look: A4, Mincho body and
Gothic headings set as East-Asian fonts on the styles, compact single spacing, section
headings as shaded bands, tables with a shaded header row that repeats on each page
(`tblHeader`), rows that never split (`cantSplit`), right-aligned numbers, a centred cover
with the city and date, a TOC field and a page-number footer. Staff copy it and change the
look in Word; the tags ({{ … }}, {%p … %}, {%tr … %}) are the contract with the renderer.
Headings keep with the next paragraph and only chapter headings start a page (articles and projects
follow each other), so no page holds a heading alone or a project's last lines.
"""
from __future__ import annotations

import io
import zipfile
from datetime import datetime
from importlib import resources
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from . import labels as L
from .layout import set_widths

DEFAULT_TEMPLATE = Path(str(resources.files("hokoku.outputs").joinpath("templates", "default.docx")))
BUILT = datetime(2024, 4, 1)  # fixed, so rebuilding the template gives the same bytes
BODY_FONT = "游明朝"
HEAD_FONT = "游ゴシック"
BAND_FILL = "1F3A5F"  # dark navy bands with white text, as the printed report's section headings
HEADER_FILL = "D9D9D9"  # light grey table header rows
WHITE = RGBColor(0xFF, 0xFF, 0xFF)
THEME_FONT_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
# (style, size pt, band fill or None, page break before)
HEADINGS = (("Heading 1", 14, BAND_FILL, True), ("Heading 2", 13, None, False), ("Heading 3", 11, BAND_FILL, False))


def set_east_asian(style, font: str) -> None:
    """Name `font` on a style for East Asian and Latin text (w:rFonts)."""
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    _set_fonts(fonts, font)


def _set_fonts(fonts, font: str) -> None:
    """Theme fonts would override the names, so drop them."""
    for attr in THEME_FONT_ATTRS:
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:eastAsia", "w:ascii", "w:hAnsi"):
        fonts.set(qn(attr), font)


def set_document_defaults(doc, font: str, lang: str = "ja-JP") -> None:
    """Default font, East Asian language (Japanese line breaking, 禁則) and compact spacing."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    _set_fonts(fonts, font)
    lang_el = rpr.find(qn("w:lang"))
    if lang_el is None:
        lang_el = OxmlElement("w:lang")
        rpr.append(lang_el)
    lang_el.set(qn("w:eastAsia"), lang)
    ppr_default = defaults.find(qn("w:pPrDefault"))
    ppr = ppr_default.find(qn("w:pPr")) if ppr_default is not None else None
    if ppr is not None:
        for old in ppr.findall(qn("w:spacing")):
            ppr.remove(old)


# Children of w:pPr that come after w:pBdr / w:shd in the schema (Word rejects elements out of order).
PPR_AFTER_SHD = ("w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct",
                 "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
                 "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection",
                 "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr",
                 "w:sectPr", "w:pPrChange")
TCPR_AFTER_SHD = ("w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark")


def _shade(parent_pr, fill: str) -> None:
    """w:shd in its schema place in a w:pPr or w:tcPr."""
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    after = PPR_AFTER_SHD if parent_pr.tag == qn("w:pPr") else TCPR_AFTER_SHD
    parent_pr.insert_element_before(shd, *after)


def add_field(paragraph, instr: str, placeholder: str = "") -> None:
    """Append a Word field (e.g. PAGE, TOC) marked dirty so Word recomputes it."""
    run = paragraph.add_run()
    for tag, text in (("begin", None), ("instr", instr), ("separate", None), ("text", placeholder), ("end", None)):
        if tag in ("begin", "separate", "end"):
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), tag)
            if tag == "begin":
                el.set(qn("w:dirty"), "true")
        else:
            el = OxmlElement("w:instrText" if tag == "instr" else "w:t")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._element.append(el)


def add_page_number(footer) -> None:
    """Centred '- n -' page number in `footer`."""
    fp = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    fp.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fp.add_run("- ")
    add_field(fp, "PAGE", "1")
    fp.add_run(" -")


def ask_update_fields(doc) -> None:
    """Set w:updateFields in settings (once) so Word refreshes the TOC and page fields on open."""
    settings = doc.settings.element
    if settings.find(qn("w:updateFields")) is None:
        upd = OxmlElement("w:updateFields")
        upd.set(qn("w:val"), "true")
        settings.append(upd)


# ------------------------------------------------------------------ building blocks


class _Writer:
    """Appends template paragraphs and tables to a python-docx Document."""

    def __init__(self, doc):
        self.doc = doc

    def p(self, *parts: str, style: str | None = None, align=None, keep: bool = False, container=None):
        """A paragraph of runs; a part equal to a mark becomes a highlighted bold run."""
        target = container if container is not None else self.doc
        par = target.add_paragraph(style=style) if style else target.add_paragraph()
        for part in parts:
            run = par.add_run(part)
            if part in L.MARKS:
                run.font.highlight_color = WD_COLOR_INDEX.YELLOW
                run.bold = True
        if align is not None:
            par.alignment = align
        if keep:
            par.paragraph_format.keep_with_next = True
        return par

    def tag(self, text: str, container=None):
        """A paragraph holding only a {%p … %} tag (docxtpl removes the paragraph)."""
        return self.p(text, container=container)

    def page_break(self) -> None:
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def table(self, rows: list[list[str | tuple[str, ...]]], header_rows: int = 1, numbers: set[tuple[int, int]] = frozenset(),
              widths: list[float] | None = None, merge_first_row: bool = False):
        """A grid table: shaded repeating header rows, rows that never split, right-aligned number cells.

        A cell is a string or a tuple of paragraphs (each a string, or a mark-led tuple of runs)."""
        t = self.doc.add_table(rows=len(rows), cols=max(len(r) for r in rows))
        t.style = self.doc.styles["Table Grid"]
        for i, row in enumerate(rows):
            tr_pr = t.rows[i]._tr.get_or_add_trPr()
            tr_pr.append(OxmlElement("w:cantSplit"))
            if i < header_rows:
                tr_pr.append(OxmlElement("w:tblHeader"))
            for j, value in enumerate(row):
                cell = t.cell(i, j)
                paragraphs = value if isinstance(value, tuple) else (value,)
                cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)
                for para in paragraphs:
                    runs = para if isinstance(para, tuple) else (para,)
                    par = self.p(*runs, container=cell)
                    if (i, j) in numbers:
                        par.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                if i < header_rows:
                    _shade(cell._tc.get_or_add_tcPr(), HEADER_FILL)
        if widths:  # fixed widths, in the grid and in every cell (Word reads the cells, LibreOffice the grid)
            set_widths(t, [Mm(x) for x in widths])
        if merge_first_row:
            merged = t.cell(0, 0).merge(t.cell(0, len(rows[0]) - 1))
            for par in merged.paragraphs[1:]:  # the merged-away cells' empty paragraphs
                if not par.text:
                    par._p.getparent().remove(par._p)
        return t


# ------------------------------------------------------------------ styles


def _styles(doc) -> None:
    set_document_defaults(doc, BODY_FONT)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(10.5)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    set_east_asian(normal, BODY_FONT)
    for name, size, band, break_before in HEADINGS:
        st = doc.styles[name]
        st.font.size = Pt(size)
        st.font.bold = True
        st.font.italic = False
        st.font.color.rgb = WHITE if band else RGBColor(0x1F, 0x3A, 0x5F)
        fmt = st.paragraph_format
        fmt.space_before, fmt.space_after = Pt(8), Pt(4)
        fmt.line_spacing = 1.0
        fmt.keep_with_next = True
        fmt.page_break_before = break_before
        set_east_asian(st, HEAD_FONT)
        if band:
            _shade(st.element.get_or_add_pPr(), band)
    title = doc.styles["Title"]
    title.font.size = Pt(20)
    title.font.color.rgb = RGBColor(0, 0, 0)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_after = Pt(12)
    set_east_asian(title, HEAD_FONT)
    ppr = title.element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")):  # python-docx's Title has a blue rule under it
        ppr.remove(border)
    cover = doc.styles.add_style("Cover", WD_STYLE_TYPE.PARAGRAPH)
    cover.base_style = normal
    cover.font.size = Pt(14)
    cover.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    cover.paragraph_format.space_before = Pt(24)
    set_east_asian(cover, HEAD_FONT)


# ------------------------------------------------------------------ body


def _cover(w: _Writer) -> None:
    for _ in range(8):
        w.p()
    w.p("{{ fy_label }}", style="Title")
    w.p("{%p if organisation %}")
    w.p(L.ORDINANCE_LINE.format(organisation="{{ organisation }}"), style="Cover")
    w.p("{%p endif %}")
    w.p("{{ title }}", style="Title")
    for _ in range(12):
        w.p()
    w.p("{% if published %}{{ published }}{% else %}", L.MARK, "{% endif %}", style="Cover")
    w.p("{% if organisation %}{{ organisation }}{% else %}", L.MARK, "{% endif %}", style="Cover")
    w.p()
    w.p(L.DRAFT_NOTE, align=WD_ALIGN_PARAGRAPH.CENTER)
    w.page_break()
    w.p(L.TOC_HEADING, style="Cover")
    add_field(w.p(), 'TOC \\o "1-2" \\h \\z \\u', L.TOC_HINT)
    _confirm(w, "report_warnings")


def _confirm(w: _Writer, notes: str) -> None:
    """One 【要確認】 paragraph per warning in `notes` (what extraction was unsure of there)."""
    w.tag(f"{{%p for note in {notes} %}}")
    w.p(L.CONFIRM, "{{ note }}")
    w.tag("{%p endfor %}")


def _chapters(w: _Writer, which: str) -> None:
    w.tag(f"{{%p for ch in {which} %}}")
    w.p("{{ ch.title }}", style="Heading 1")
    _confirm(w, "ch.warnings")
    w.tag("{%p for para in ch.paragraphs %}")
    w.p("{% if para.revise %}", L.REVISE, "{% endif %}{{ para.text }}")
    w.tag("{%p endfor %}")
    w.tag("{%p for t in ch.tables %}")
    w.p("{% if t.revise %}", L.REVISE, "{% endif %}{{ t.title }}", keep=True)
    w.table([["{%tc for h in t.header %}", "{{ h }}", "{%tc endfor %}"],
             ["{%tr for row in t.rows %}", "", ""],
             ["{%tc for cell in row %}", "{{ cell }}", "{%tc endfor %}"],
             ["{%tr endfor %}", "", ""]])
    w.p()
    w.tag("{%p endfor %}")
    w.tag("{%p endfor %}")


def _kpi(w: _Writer) -> None:
    w.tag("{%p if proj.indicators %}")
    w.p(L.INDICATORS, style="Heading 3")
    w.tag("{%p for ind in proj.indicators %}")
    w.p(L.INDICATOR_PREFIX + "{{ ind.name }}", keep=True)
    w.table([["", "{{ kpi_year0 }}", "{{ kpi_year1 }}"],
             [L.KPI_ROW_TARGET + "{{ ind.unit_suffix }}", "{{ ind.target }}", (L.MARK,)],
             [L.KPI_ROW_ACTUAL + "{{ ind.unit_suffix }}", "{{ ind.actual }}", (L.MARK,)]],
            numbers={(1, 1), (1, 2), (2, 1), (2, 2)}, widths=[50, 60, 60])
    w.p()
    w.tag("{%p endfor %}")
    w.tag("{%p endif %}")


def _follow_up(w: _Writer) -> None:
    w.p(L.FOLLOW_UP, style="Heading 3")
    w.tag("{%p if proj.checks %}")
    head = L.FOLLOW_UP_HEAD
    w.table([[head[0].format(fy="{{ fy0_label }}"), head[1]],
             ["{%tr for c in proj.checks %}", ""],
             [("{{ c.label }}", "{%p if c.themes %}", L.THEMES_PREFIX + "{{ c.themes }}", "{%p endif %}"),
              ("{%p for a in c.actions %}", "{{ a }}", "{%p endfor %}")],
             ["{%tr endfor %}", ""]], widths=[85, 85])
    w.tag("{%p else %}")
    w.p(L.NO_CHECK)
    w.tag("{%p endif %}")


def _bullets(w: _Writer, items: str, mark_if_empty: bool = False) -> None:
    """One ・ paragraph per item of `items`; a 【要記入】 paragraph when there are none (if asked)."""
    w.tag(f"{{%p for item in {items} %}}")
    w.p(L.BULLET + "{{ item }}")
    if mark_if_empty:
        w.tag("{%p else %}")
        w.p(L.MARK)
    w.tag("{%p endfor %}")


def _project(w: _Writer) -> None:
    w.p("{{ proj.name }}", style="Heading 2")
    _confirm(w, "proj.warnings")
    w.tag("{%p if proj.goal %}")
    w.p(L.GOAL, style="Heading 3")
    w.p("{{ proj.goal }}")
    w.tag("{%p endif %}")
    w.p(L.PLAN, style="Heading 3")
    _bullets(w, "proj.plan", mark_if_empty=True)
    w.tag("{%p if proj.activities %}")
    w.p(L.ACTIVITIES, style="Heading 3")
    _bullets(w, "proj.activities")
    w.tag("{%p endif %}")
    _kpi(w)
    w.p(L.DO, style="Heading 3")
    w.p(L.RESULTS.format(fy="{{ fy_label }}"))
    w.p(L.MARK)
    _follow_up(w)
    w.p(L.CHECK, style="Heading 3")
    w.p(L.MARK)
    w.p(L.ACTION.format(fy="{{ fy_next_label }}"), style="Heading 3")
    w.p(L.MARK)
    w.p(L.NEXT_PLAN.format(fy="{{ fy_next_label }}"), style="Heading 3")
    w.p(L.MARK)


def _others(w: _Writer) -> None:
    w.tag("{%p if others %}")
    w.p(L.OTHER_PART, style="Heading 1")
    w.tag("{%p for group in others %}")
    w.tag("{%p if group.no is not none %}")
    w.p(L.OTHER_ARTICLE.format(no="{{ group.no }}", policy="{{ group.policy }}"), style="Heading 2")
    w.tag("{%p endif %}")
    w.tag("{%p for proj in group.projects %}")
    _confirm(w, "proj.warnings")
    w.table([["{{ proj.name }}", ""],
             [L.OVERVIEW.format(fy="{{ fy_next_label }}"), L.OVERVIEW_RESULTS.format(fy="{{ fy_label }}")],
             [(L.MARK,), ((L.REVISE, L.SEEDED), "{%p for item in proj.next_plan %}", L.BULLET + "{{ item }}", "{%p endfor %}")]],
            header_rows=2, widths=[85, 85], merge_first_row=True)
    w.p()
    w.tag("{%p endfor %}")
    w.tag("{%p endfor %}")
    w.tag("{%p endif %}")


def _body(w: _Writer) -> None:
    _cover(w)
    _chapters(w, "front_chapters")
    w.tag("{%p if not projects_chapter %}")  # the report's own chapter holding the projects gives the heading
    w.p(L.PART_HEADING.format(fy="{{ fy_label }}"), style="Heading 1")
    w.tag("{%p endif %}")
    w.tag("{%p for art in articles %}")
    w.tag("{%p if art.no is not none %}")
    # articles follow each other: a break here leaves a project's last lines alone on a page
    w.p(L.ARTICLE_HEADING.format(no="{{ art.no }}", policy="{{ art.policy }}"), style="Heading 1").paragraph_format.page_break_before = False
    w.tag("{%p endif %}")
    w.tag("{%p for proj in art.projects %}")
    _project(w)
    w.tag("{%p endfor %}")
    w.tag("{%p endfor %}")
    _others(w)
    _chapters(w, "back_chapters")


def build_default_template(path: Path = DEFAULT_TEMPLATE) -> Path:
    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.left_margin = sec.right_margin = Mm(20)
    sec.top_margin, sec.bottom_margin = Mm(20), Mm(20)
    sec.different_first_page_header_footer = True  # the cover has no running header or page number
    _styles(doc)
    body = doc.element.body
    for el in list(body):
        if el.tag != qn("w:sectPr"):
            body.remove(el)
    _body(_Writer(doc))
    header = sec.header.paragraphs[0]
    header.text = L.RUNNING_HEADER.format(fy="{{ fy_label }}")
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    add_page_number(sec.footer)
    ask_update_fields(doc)
    core = doc.core_properties
    core.author = core.title = core.comments = core.last_modified_by = ""
    core.created = core.modified = BUILT  # the draft gets its own dates when rendered
    core.revision = 1
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    doc.save(buf)
    path.write_bytes(_reproducible_zip(buf.getvalue()))
    return path


def _reproducible_zip(data: bytes) -> bytes:
    """The same bytes on every build: fixed member timestamps (python-docx stamps the current time)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(zipfile.ZipInfo(info.filename, date_time=BUILT.timetuple()[:6]), zin.read(info),
                          compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


if __name__ == "__main__":  # python -m hokoku.outputs.draft.template (from a source checkout)
    print(build_default_template(Path("outputs/templates/default.docx")))
