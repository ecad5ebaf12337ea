"""LibreOffice conversions with an isolated profile per call and a timeout.

Two soffice processes sharing one user profile block each other or fail; each
call here gets its own throw-away profile, so parallel runs never collide.
Windows Japanese fonts named in .docx files (游明朝, ＭＳ ゴシック …) are absent on
Linux; a per-call fontconfig file maps them to the IPAex fonts of the same kind
(明朝 → IPAexMincho, ゴシック → IPAexGothic) instead of fontconfig's arbitrary pick.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

from hokoku.extract.errors import HokokuError

TIMEOUT = 180  # seconds
MINCHO, GOTHIC = "IPAexMincho", "IPAexGothic"
FONT_FALLBACKS: dict[str, str] = {
    "游明朝": MINCHO, "Yu Mincho": MINCHO, "MS 明朝": MINCHO, "ＭＳ 明朝": MINCHO, "MS Mincho": MINCHO,
    "ＭＳ Ｐ明朝": MINCHO, "MS PMincho": MINCHO,
    "游ゴシック": GOTHIC, "Yu Gothic": GOTHIC, "MS ゴシック": GOTHIC, "ＭＳ ゴシック": GOTHIC, "MS Gothic": GOTHIC,
    "ＭＳ Ｐゴシック": GOTHIC, "MS PGothic": GOTHIC, "メイリオ": GOTHIC, "Meiryo": GOTHIC,
}
SYSTEM_FONTS_CONF = "/etc/fonts/fonts.conf"


def _fonts_conf(directory: Path) -> Path:
    """A fontconfig file: the system configuration plus aliases for FONT_FALLBACKS."""
    aliases = "".join(
        f"<alias binding=\"same\"><family>{name}</family><prefer><family>{to}</family></prefer></alias>"
        for name, to in FONT_FALLBACKS.items()
    )
    conf = directory / "fonts.conf"
    conf.write_text(f'<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
                    f"<include ignore_missing=\"yes\">{SYSTEM_FONTS_CONF}</include>{aliases}</fontconfig>",
                    encoding="utf-8")
    return conf


def find_soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(src: str | Path, out_dir: str | Path, fmt: str = "pdf", timeout: int = TIMEOUT) -> Path:
    """Convert `src` (e.g. .docx) to `fmt` in `out_dir`; returns the new file's path."""
    exe = find_soffice()
    if not exe:
        raise HokokuError("LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui fonts-ipaexfont")
    src, out_dir = Path(src), Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="hokoku_lo_") as profile:
        cmd = [exe, f"-env:UserInstallation=file://{profile}/{uuid.uuid4().hex}", "--headless", "--norestore",
               "--convert-to", fmt, "--outdir", str(out_dir), str(src)]
        env = dict(os.environ, FONTCONFIG_FILE=str(_fonts_conf(Path(profile))))
        try:
            subprocess.run(cmd, check=True, timeout=timeout, capture_output=True, env=env)
        except subprocess.TimeoutExpired:
            raise HokokuError(f"{src}: LibreOffice did not finish converting within {timeout} s") from None
        except subprocess.CalledProcessError as e:
            raise HokokuError(f"{src}: LibreOffice conversion failed ({e.stderr.decode(errors='replace').strip()[:200]})") from None
    out = out_dir / f"{src.stem}.{fmt}"
    if not out.exists():
        raise HokokuError(f"{src}: LibreOffice wrote no {fmt} file")
    return out
