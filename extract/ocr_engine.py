"""The OCR engine: RapidOCR (PP-OCR models bundled in its wheel) on onnxruntime, per process.

Chosen by measurement over Debian's tesseract (bench/ocr.md): better characters and exact
digits. The engine only ever loads the model files shipped inside the installed `rapidocr`
wheel, named explicitly; a setting that would make it fetch other models (a language, a
model type or version, a model folder) is refused, so nothing is downloaded at run time.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .errors import HokokuError

ENGINE = "rapidocr"
MODEL_FILES = {"Det": "PP-OCRv6_det_small.onnx", "Rec": "PP-OCRv6_rec_small.onnx",
               "Cls": "ch_ppocr_mobile_v2.0_cls_mobile.onnx"}
DOWNLOADING_KEYS = ("lang_type", "model_type", "ocr_version", "model_root_dir", "model_dir", "rec_keys_path")
NOT_INSTALLED = ("OCR needs the rapidocr wheel and its bundled models ({why}); install hokoku's dependencies "
                 "again (nothing is downloaded at run time), or read with --ocr off")
REFUSED = "OCR setting {key} would make rapidocr download models; only the bundled models are used"

GREY_NDIM = 2  # a greyscale image array (height, width); the engine wants RGB



@dataclass(frozen=True)
class Glyph:
    """One character read: its text, box in image pixels (x0, top, x1, bottom), confidence 0–1."""

    text: str
    box: tuple[float, float, float, float]
    conf: float


@dataclass(frozen=True)
class TextLine:
    """One text line the detector found, its glyphs in reading order and its own box."""

    glyphs: tuple[Glyph, ...]
    box: tuple[float, float, float, float]
    conf: float


def model_paths() -> dict[str, Path]:
    """The bundled model file for each stage; HokokuError when the wheel or a file is missing."""
    try:
        import rapidocr
    except ImportError as e:
        raise HokokuError(NOT_INSTALLED.format(why=e)) from None
    root = Path(rapidocr.__file__).parent / "models"
    paths = {stage: root / name for stage, name in MODEL_FILES.items()}
    missing = [str(p) for p in paths.values() if not p.is_file()]
    if missing:
        raise HokokuError(NOT_INSTALLED.format(why="missing " + ", ".join(missing)))
    return paths


def engine_params(threads: int, extra: dict | None = None, det_max_side: int = 1600) -> dict:
    """RapidOCR parameters: bundled models by path, per-char boxes, `threads` onnxruntime threads,
    no orientation classifier (pages are deskewed, lines upright), the detector on the page
    scaled to `det_max_side` pixels at most (a third of its time, text still found)."""
    for key in extra or {}:
        if key.split(".")[-1] in DOWNLOADING_KEYS:
            raise HokokuError(REFUSED.format(key=key))
    params = {f"{stage}.model_path": str(p) for stage, p in model_paths().items()}
    params.update({"Global.log_level": "error", "Global.return_word_box": True,
                   "EngineConfig.onnxruntime.intra_op_num_threads": threads,
                   "EngineConfig.onnxruntime.inter_op_num_threads": 1, "Global.use_cls": False,
                   "Det.limit_type": "max", "Det.limit_side_len": det_max_side})
    params.update(extra or {})
    return params


_ENGINES: dict[tuple[int, int], object] = {}


def _engine(threads: int, det_max_side: int):
    """The process's engine (the models load once, about a second)."""
    key = (threads, det_max_side)
    if key not in _ENGINES:
        from rapidocr import RapidOCR

        _ENGINES[key] = RapidOCR(params=engine_params(threads, det_max_side=det_max_side))
    return _ENGINES[key]


def read_image(img: np.ndarray, threads: int, det_max_side: int = 1600) -> list[TextLine]:
    """The text lines of a page image (greyscale or RGB array)."""
    if img.ndim == GREY_NDIM:
        img = np.stack([img] * 3, axis=-1)
    out = _engine(threads, det_max_side)(img)
    if out.txts is None:
        return []
    words = out.word_results or [()] * len(out.txts)
    lines = []
    for quad, text, conf, chars in zip(out.boxes, out.txts, out.scores, words):
        box = _box(quad)
        glyphs = tuple(g for ch, c, q in chars for g in _split(ch, _box(q), float(c))) if chars else \
            _split(text, box, float(conf))
        lines.append(TextLine(_with_spaces(glyphs, text), box, float(conf)))
    return lines


def _with_spaces(glyphs: tuple[Glyph, ...], text: str) -> tuple[Glyph, ...]:
    """The printed spaces of the line's text put back between its glyphs (word boxes of Latin
    text touch, so the layout would not see the space between two words)."""
    if "".join(g.text for g in glyphs) != "".join(text.split()):
        return glyphs
    out: list[Glyph] = []
    k = 0
    for ch in text.strip():
        if ch.isspace():
            if out and out[-1].text != " ":
                x = out[-1].box[2]
                out.append(Glyph(" ", (x, out[-1].box[1], x, out[-1].box[3]), out[-1].conf))
            continue
        out.append(glyphs[k])
        k += 1
    return tuple(out)


def _box(quad) -> tuple[float, float, float, float]:
    xs = [float(p[0]) for p in quad]
    ys = [float(p[1]) for p in quad]
    return (min(xs), min(ys), max(xs), max(ys))


def _split(text: str, box: tuple[float, float, float, float], conf: float) -> tuple[Glyph, ...]:
    """A word read as one unit (Latin runs) shared evenly between its characters."""
    text = "".join(text.split())
    if not text:
        return ()
    x0, top, x1, bottom = box
    w = (x1 - x0) / len(text)
    return tuple(Glyph(ch, (x0 + k * w, top, x0 + (k + 1) * w, bottom), conf) for k, ch in enumerate(text))
