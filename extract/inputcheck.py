"""Input checks: say plainly why a file cannot be read, before any parsing.

Each problem is one InputError naming the file: missing, not a PDF, encrypted (a user
password; an owner password alone only restricts editing, so such files are read),
truncated or corrupt, empty, image-only (no text layer), garbled text layer (judged on a
sample of pages first, so a hopeless file is refused before the full layout).
pdfminer's own log lines about damaged objects are captured and summarised in one warning.
"""
from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

from .errors import InputError, terminal_safe

PDF_MAGIC = b"%PDF-"
MAGIC_WINDOW = 1024  # the header may follow a few junk bytes
MAX_CHAIN = 10  # wrapped errors and causes followed at most (a cycle of causes ends there)

MISSING = "file not found"
NOT_A_FILE = "not a file"
NOT_PDF = "not a PDF file (no %PDF header{hint})"
ENCRYPTED = "the PDF is encrypted (password protected); save an unprotected copy and try again"
TRUNCATED = "the PDF is truncated or corrupt ({detail})"
EMPTY = "the PDF has no pages"
IMAGE_ONLY = "the PDF has no text layer (scanned or image-only pages) and OCR is off (--ocr off)"
NOTHING_TO_READ = "the PDF has no text layer and no page image to read by OCR"
GARBLED = "text layer is garbled on page(s) {pages} ({why}); the PDF's fonts lack a usable Unicode map"
PDF_LOG_SUMMARY = "%s: the PDF reader reported %d problem(s) with damaged or unusual objects (first: %s); the text read may be incomplete"
SAMPLE_PAGES = 6
"""Pages judged for garbled text before the full layout (spread over the document)."""
PDF_LOGGERS = ("pdfminer", "pdfplumber")

log = logging.getLogger(__name__)

_KNOWN_TYPES = {b"PK\x03\x04": "a ZIP/Office file", b"\x89PNG": "a PNG image", b"\xff\xd8\xff": "a JPEG image",
                b"{": "JSON or text", b"<": "HTML/XML"}


@dataclass(frozen=True)
class GarbleSettings:
    cid_share: float = 0.02
    """Share of '(cid:N)' glyph placeholders in a page's text above which it is garbled…"""
    cid_chars: int = 8
    """…each placeholder counted as this many characters of the text (「(cid:12)」)."""
    sample_garbled_share: float = 0.5
    """A PDF is refused before the full layout when more than this share of its sampled pages
    (those with enough text to judge) are garbled."""
    pua_share: float = 0.05
    """Share of private-use characters above which a page is garbled."""
    readable_share: float = 0.6
    """Minimum share of Japanese or ASCII characters on a page with text."""
    min_chars: int = 40
    """Pages with fewer characters are not judged."""


_CID = re.compile(r"\(cid:\d+\)")
_READABLE = re.compile(r"[\u0020-\u007e\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
                       r"\u2460-\u24ff\u2e80-\u2fdf\u2010-\u2027\u00a0-\u00ff\u2190-\u22ff\u25a0-\u25ff\s]")


def open_pdf(path: str | Path) -> pdfplumber.PDF:
    """Open a PDF for reading or raise InputError saying why it cannot be read."""
    path = Path(path)
    if not path.exists():
        raise InputError(path, MISSING)
    if not path.is_file():
        raise InputError(path, NOT_A_FILE)
    with path.open("rb") as f:
        head = f.read(MAGIC_WINDOW)
    if PDF_MAGIC not in head:
        kind = next((v for k, v in _KNOWN_TYPES.items() if head.lstrip().startswith(k)), None)
        raise InputError(path, NOT_PDF.format(hint=f"; it looks like {kind}" if kind else ""))
    try:
        pdf = pdfplumber.open(path)
        n = len(pdf.pages)
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise InputError(path, ENCRYPTED) from None
    except Exception as e:  # pdfminer raises many kinds on damaged files
        raise corrupt(path, e) from None
    if n == 0:
        pdf.close()
        raise InputError(path, EMPTY)
    return pdf


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextlib.contextmanager
def reading_pdf(path: str | Path) -> Iterator[pdfplumber.PDF]:
    """`open_pdf` for a `with` block that also keeps pdfminer's warnings off the terminal and
    summarises them in one hokoku warning naming the file."""
    collect = _Collect()
    loggers = [logging.getLogger(n) for n in PDF_LOGGERS]
    saved = [(lg.propagate, lg.level) for lg in loggers]
    for lg in loggers:
        debugging = lg.getEffectiveLevel() < logging.WARNING  # `hokoku -vv`: the details stay visible
        lg.addHandler(collect)
        lg.propagate = debugging
        lg.setLevel(min(logging.WARNING, lg.getEffectiveLevel()))
    try:
        with open_pdf(path) as pdf:
            yield pdf
    finally:
        for lg, (propagate, level) in zip(loggers, saved):
            lg.removeHandler(collect)
            lg.propagate, lg.level = propagate, level
        if collect.messages:
            first = " ".join(collect.messages[0].split())[:120]
            log.warning(PDF_LOG_SUMMARY, path, len(collect.messages), first)


def corrupt(path: str | Path, e: Exception) -> InputError:
    """The InputError for a parser exception met while reading a damaged PDF."""
    if _is_password_error(e):
        return InputError(path, ENCRYPTED)
    return InputError(path, TRUNCATED.format(detail=_short(_root(e))))


def _chain(e: BaseException):
    """The exception, its wrapped arguments and causes (pdfplumber wraps pdfminer's errors)."""
    seen = 0
    while e is not None and seen < MAX_CHAIN:
        yield e
        inner = next((a for a in e.args if isinstance(a, BaseException)), None)
        e = inner or e.__cause__ or e.__context__
        seen += 1


def _root(e: BaseException) -> BaseException:
    return list(_chain(e))[-1]


def _is_password_error(e: BaseException) -> bool:
    return any(isinstance(x, (PDFPasswordIncorrect, PDFEncryptionError)) or "password" in str(x).lower()
               for x in _chain(e))


def _short(e: Exception) -> str:
    """The first line of a parser message, at most 120 characters, control characters as \\xNN."""
    msg = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
    return terminal_safe(msg[:120])


def require_text_layer(pdf: pdfplumber.PDF, path: str | Path, ocr: bool = False) -> None:
    """Raise InputError when no page has any text (scans, image-only exports), unless pages
    are read by `ocr` and some page shows an image to read."""
    for page in pdf.pages:
        if page.chars:
            return
    if not ocr:
        raise InputError(path, IMAGE_ONLY)
    if not any(page.images for page in pdf.pages):
        raise InputError(path, NOTHING_TO_READ)


def sample_pages(n_pages: int, k: int = SAMPLE_PAGES) -> list[int]:
    """Up to `k` page indexes (from 0) spread evenly over the document, first and last included."""
    if n_pages <= k:
        return list(range(n_pages))
    return sorted({round(i * (n_pages - 1) / (k - 1)) for i in range(k)})


def check_garbled_sample(pdf: pdfplumber.PDF, path: str | Path, settings: GarbleSettings | None = None) -> None:
    """Refuse a PDF before the full layout when most sampled pages (that have enough text) are
    garbled; a lone odd page is left to the full check, which sees the laid-out text."""
    idx = sample_pages(len(pdf.pages))
    texts = ["".join(c["text"] for c in pdf.pages[i].chars) for i in idx]
    s = settings or GarbleSettings()
    judged = [t for t in texts if len(t) >= s.min_chars]
    bad = garbled_pages(texts, s)
    if judged and len(bad) > s.sample_garbled_share * len(judged):
        raise_garbled(path, [(idx[n - 1] + 1, why) for n, why in bad])


def raise_garbled(path: str | Path, bad: list[tuple[int, str]]) -> None:
    """InputError for the garbled pages found (page number from 1, reason), if any."""
    if bad:
        raise InputError(path, GARBLED.format(pages=", ".join(str(n) for n, _ in bad[:10]), why=bad[0][1]))


def garbled_pages(pages_text: list[str], settings: GarbleSettings | None = None) -> list[tuple[int, str]]:
    """(page number from 1, reason) for pages whose text cannot be trusted."""
    s = settings or GarbleSettings()
    bad = []
    for n, text in enumerate(pages_text, start=1):
        if len(text) < s.min_chars:
            continue
        cid = len(_CID.findall(text))
        if cid and cid * s.cid_chars / len(text) > s.cid_share:
            bad.append((n, "(cid:N) glyphs without Unicode"))
            continue
        pua = sum(1 for c in text if "\ue000" <= c <= "\uf8ff")
        if pua / len(text) > s.pua_share:
            bad.append((n, "private-use characters"))
            continue
        readable = len(_READABLE.findall(text))
        if readable / len(text) < s.readable_share:
            bad.append((n, "mostly neither Japanese nor ASCII"))
    return bad
