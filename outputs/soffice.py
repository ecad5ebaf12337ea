"""LibreOffice conversions with an isolated profile per call and a timeout.

Two soffice processes sharing one user profile block each other or fail; each
call here gets its own throw-away profile, so parallel runs never collide.
"""
from __future__ import annotations

import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

from extract.errors import HokokuError

TIMEOUT = 180  # seconds


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
        try:
            subprocess.run(cmd, check=True, timeout=timeout, capture_output=True)
        except subprocess.TimeoutExpired:
            raise HokokuError(f"{src}: LibreOffice did not finish converting within {timeout} s") from None
        except subprocess.CalledProcessError as e:
            raise HokokuError(f"{src}: LibreOffice conversion failed ({e.stderr.decode(errors='replace').strip()[:200]})") from None
    out = out_dir / f"{src.stem}.{fmt}"
    if not out.exists():
        raise HokokuError(f"{src}: LibreOffice wrote no {fmt} file")
    return out
