"""The default Word template, the style names a user's template must provide, and fields.

`python -m hokoku.outputs.draft.template` (from the repository root) rebuilds outputs/templates/default.docx: A4,
Japanese East Asian fonts (w:eastAsia), real heading styles (navigation pane, table of
contents), a KPI table style, a footer with the page number (PAGE field) and
updateFields in settings so Word fills the TOC when the draft is opened.
"""
from __future__ import annotations

from importlib import resources
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from docx.opc.exceptions import PackageNotFoundError

from hokoku.extract.errors import HokokuError, InputError

DEFAULT_TEMPLATE = Path(str(resources.files("hokoku.outputs").joinpath("templates", "default.docx")))
BODY_FONT = "游明朝"
HEAD_FONT = "游ゴシック"
REQUIRED_STYLES = {
    "Title": WD_STYLE_TYPE.PARAGRAPH,
    "Heading 1": WD_STYLE_TYPE.PARAGRAPH,
    "Heading 2": WD_STYLE_TYPE.PARAGRAPH,
    "Heading 3": WD_STYLE_TYPE.PARAGRAPH,
    "Normal": WD_STYLE_TYPE.PARAGRAPH,
    "KPI Table": WD_STYLE_TYPE.TABLE,
}


class TemplateError(HokokuError):
    """A template cannot be used; the message names the file and the missing style."""


def set_east_asian(style, font: str) -> None:
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    _set_fonts(fonts, font)


THEME_FONT_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def _set_fonts(fonts, font: str) -> None:
    """Name `font` for East Asian and Latin text; theme fonts would override the names, so drop them."""
    for attr in THEME_FONT_ATTRS:
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:eastAsia", "w:ascii", "w:hAnsi"):
        fonts.set(qn(attr), font)


def set_document_defaults(doc, font: str, lang: str = "ja-JP") -> None:
    """Default run font and East Asian language (ja-JP: Japanese line breaking, 禁則) for the whole document."""
    rpr = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
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


def has_page_field(footer) -> bool:
    """True when the footer already prints a page number (simple or complex PAGE field)."""
    el = footer._element
    instr = " ".join(t.text or "" for t in el.iter(qn("w:instrText")))
    instr += " ".join(f.get(qn("w:instr"), "") for f in el.iter(qn("w:fldSimple")))
    return "PAGE" in instr.upper()


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


def open_template(path: str | Path):
    """The template as a python-docx Document, its styles checked; clear errors for a bad file."""
    path = Path(path)
    if not path.is_file():
        raise InputError(str(path), "template file not found")
    try:
        doc = Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError) as e:
        raise InputError(str(path), f"not a Word .docx file ({e})") from None
    check_template(doc, path)
    return doc


def check_template(doc, path: str | Path) -> None:
    names = {s.name: s.type for s in doc.styles}
    for name, kind in REQUIRED_STYLES.items():
        if name not in names:
            raise TemplateError(f"{path}: the template has no style named {name!r} (required: {', '.join(REQUIRED_STYLES)})")
        if names[name] != kind:
            raise TemplateError(f"{path}: style {name!r} must be a {'table' if kind == WD_STYLE_TYPE.TABLE else 'paragraph'} style")


def build_default_template(path: Path = DEFAULT_TEMPLATE) -> Path:
    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.left_margin = sec.right_margin = Mm(20)
    sec.top_margin, sec.bottom_margin = Mm(20), Mm(20)
    set_document_defaults(doc, BODY_FONT)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(10.5)
    set_east_asian(normal, BODY_FONT)
    for name, size in (("Title", 20), ("Heading 1", 15), ("Heading 2", 13), ("Heading 3", 11)):
        st = doc.styles[name]
        st.font.size = Pt(size)
        st.font.bold = True
        st.font.color.rgb = RGBColor(0x1F, 0x3A, 0x5F)
        set_east_asian(st, HEAD_FONT)
    kpi = doc.styles.add_style("KPI Table", WD_STYLE_TYPE.TABLE)
    kpi.base_style = doc.styles["Table Grid"]
    kpi.font.size = Pt(9.5)
    add_page_number(sec.footer)
    ask_update_fields(doc)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    return path


if __name__ == "__main__":  # python -m hokoku.outputs.draft.template (from a source checkout)
    print(build_default_template(Path("outputs/templates/default.docx")))
