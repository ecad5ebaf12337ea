"""A user's .docx template made safe to render: size limits first, external links dropped.

A template comes from anywhere (a colleague's mail, a shared drive). Before any XML is
parsed, every zip member's declared size is checked (zipfile never reads past it), so a
600 MiB document.xml is refused in milliseconds. Relationships that point outside the
file — an attached template on a web address, a remote image, a UNC path — would make
Word fetch them when the draft opens; they are dropped with a warning, together with the
attributes that named them. Hyperlinks stay: they are only followed when clicked.
"""
from __future__ import annotations

import io
import logging
import zipfile
from pathlib import Path

from lxml import etree

from hokoku.extract.errors import InputError

log = logging.getLogger(__name__)

PART_LIMIT = 32 * 1024 * 1024  # bytes of one part (the seed report's document.xml is < 2 MiB)
TOTAL_LIMIT = 128 * 1024 * 1024  # bytes of all parts together (images included)
MAX_PARTS = 2000
RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
HYPERLINK = R_NS + "/hyperlink"


def _source_part(rels_name: str) -> str:
    """word/_rels/document.xml.rels → word/document.xml"""
    folder, _, name = rels_name.rpartition("_rels/")
    return folder + name[: -len(".rels")]


def _drop_external(rels_xml: bytes) -> tuple[bytes, list[tuple[str, str, str]]]:
    """The .rels without external non-hyperlink relationships, and what was dropped (id, type, target)."""
    root = etree.fromstring(rels_xml)
    dropped = []
    for rel in list(root):
        if rel.get("TargetMode") == "External" and rel.get("Type") != HYPERLINK:
            dropped.append((rel.get("Id", ""), rel.get("Type", ""), rel.get("Target", "")))
            root.remove(rel)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True), dropped


def _unlink(part_xml: bytes, ids: set[str]) -> bytes:
    """Remove attributes naming dropped relationships; an element that only pointed there (attachedTemplate) goes."""
    root = etree.fromstring(part_xml)
    for el in list(root.iter()):
        for attr in [a for a in el.attrib if a.startswith("{%s}" % R_NS) and el.attrib[a] in ids]:
            del el.attrib[attr]
            if el.tag.endswith("}attachedTemplate") and el.getparent() is not None:
                el.getparent().remove(el)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def safe_template(path: str | Path) -> io.BytesIO:
    """The template's bytes with external relationships removed; InputError for a file that is too large."""
    path = Path(path)
    if not path.is_file():
        raise InputError(str(path), "template file not found")
    try:
        zin = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as e:
        raise InputError(str(path), f"not a Word .docx file ({e})") from None
    with zin:
        infos = zin.infolist()
        if len(infos) > MAX_PARTS:
            raise InputError(str(path), f"template has {len(infos)} parts (limit {MAX_PARTS}); refused")
        big = next((i for i in infos if i.file_size > PART_LIMIT), None)
        if big is not None:
            raise InputError(str(path), f"template part {big.filename} is {big.file_size // 2**20} MiB "
                                        f"(limit {PART_LIMIT // 2**20} MiB); refused before reading it")
        total = sum(i.file_size for i in infos)
        if total > TOTAL_LIMIT:
            raise InputError(str(path), f"template unpacks to {total // 2**20} MiB (limit {TOTAL_LIMIT // 2**20} MiB); refused")
        if "word/document.xml" not in zin.namelist():
            raise InputError(str(path), "not a Word .docx file (no word/document.xml)")
        try:
            parts = {i.filename: zin.read(i) for i in infos}
        except (zipfile.BadZipFile, OSError, EOFError) as e:
            raise InputError(str(path), f"damaged .docx ({e})") from None
    try:
        for name in [n for n in parts if n.endswith(".rels")]:
            parts[name], dropped = _drop_external(parts[name])
            if not dropped:
                continue
            source = _source_part(name)
            if source in parts:
                parts[source] = _unlink(parts[source], {d[0] for d in dropped})
            for _, kind, target in dropped:
                log.warning("%s: dropped an external link in the template (%s → %s)", path, kind.rsplit("/", 1)[-1], target)
    except etree.XMLSyntaxError as e:
        raise InputError(str(path), f"damaged .docx (invalid XML: {e})") from None
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in parts.items():
            zout.writestr(name, data)
    out.seek(0)
    return out

