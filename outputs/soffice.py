"""LibreOffice conversions: an isolated profile per call, its own process group, a timeout.

Two soffice processes sharing one user profile block each other or fail; each call here
gets its own throw-away profile, so parallel runs never collide. soffice runs in a new
process group that is killed with the command (an exception, Ctrl-C or SIGTERM), and the
profile folder goes with it. Where util-linux's setpriv is there, soffice.bin is started
directly with a parent-death signal, so even `kill -9` of hokoku takes LibreOffice down;
profile folders such a run leaves are removed by the next.
Windows Japanese fonts named in .docx files (游明朝, ＭＳ ゴシック …) are absent on Linux; a
per-call fontconfig file maps them to the IPAex fonts of the same kind.

`to_pdf` does what --convert-to cannot: soffice listens on a named pipe and a small UNO
client (soffice_uno.py, run by the Python that has LibreOffice's `uno` module) updates the
document's indexes — the table of contents gets its entries and page numbers — and
exports the PDF.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import sys
import threading
from collections.abc import Iterator
import uuid
from importlib import resources
from pathlib import Path

from hokoku.extract.errors import HokokuError

from .atomic import write_with

TIMEOUT = 180  # seconds
MINCHO, GOTHIC = "IPAexMincho", "IPAexGothic"
FONT_FALLBACKS: dict[str, str] = {
    "游明朝": MINCHO, "Yu Mincho": MINCHO, "MS 明朝": MINCHO, "ＭＳ 明朝": MINCHO, "MS Mincho": MINCHO,
    "ＭＳ Ｐ明朝": MINCHO, "MS PMincho": MINCHO,
    "游ゴシック": GOTHIC, "Yu Gothic": GOTHIC, "MS ゴシック": GOTHIC, "ＭＳ ゴシック": GOTHIC, "MS Gothic": GOTHIC,
    "ＭＳ Ｐゴシック": GOTHIC, "MS PGothic": GOTHIC, "メイリオ": GOTHIC, "Meiryo": GOTHIC,
}
SYSTEM_FONTS_CONF = "/etc/fonts/fonts.conf"
PROFILE_PREFIX = "hokoku_lo_"
UNO_PYTHONS = ("/usr/bin/python3", "/usr/lib/libreoffice/program/python")
RESTART = 81  # soffice.bin's exit status asking to be started again (after creating a fresh profile)
NOT_INSTALLED = "LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui python3-uno fonts-ipaexfont"


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


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_stale_profiles(tmp: Path | None = None) -> None:
    """Remove profile folders whose hokoku process is gone (a run killed with -9)."""
    for d in Path(tmp or tempfile.gettempdir()).glob(f"{PROFILE_PREFIX}*"):
        pid = d.name[len(PROFILE_PREFIX):].split("_", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(d, ignore_errors=True)


@contextlib.contextmanager
def _terminate_on_sigterm() -> Iterator[None]:
    """SIGTERM ends the command through the normal exit path (so `finally` kills soffice)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum, frame):
        raise SystemExit(128 + signum)

    old = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, old)


def _dies_with_us(cmd: list[str]) -> list[str]:
    """`cmd` under setpriv --pdeathsig KILL when available: killed when hokoku dies, even by kill -9."""
    setpriv = shutil.which("setpriv")
    return [setpriv, "--pdeathsig", "KILL", "--", *cmd] if setpriv else cmd


def _program(exe: str) -> tuple[list[str], bool]:
    """The command starting LibreOffice, and whether it is soffice.bin itself (no oosplash in between)."""
    binary = Path(exe).resolve().with_name("soffice.bin")
    if binary.exists() and shutil.which("setpriv"):
        return _dies_with_us([str(binary)]), True
    return [exe], False


def _create_profile(base: list[str], env: dict[str, str]) -> None:
    """oosplash's job when soffice.bin runs directly: start it until the fresh profile exists."""
    for _ in range(3):
        try:
            done = subprocess.run([*base, "--terminate_after_init"], env=env, capture_output=True, timeout=TIMEOUT,
                                  start_new_session=True)
        except subprocess.TimeoutExpired:
            raise HokokuError(f"LibreOffice did not start within {TIMEOUT} s") from None
        if done.returncode != RESTART:
            return


@contextlib.contextmanager
def _soffice(args: list[str]) -> Iterator[tuple[subprocess.Popen, Path]]:
    """soffice with `args` in a fresh profile folder and its own process group, killed (with the folder) on exit."""
    exe = find_soffice()
    if not exe:
        raise HokokuError(NOT_INSTALLED)
    clean_stale_profiles()
    profile = Path(tempfile.mkdtemp(prefix=f"{PROFILE_PREFIX}{os.getpid()}_"))
    proc = None
    try:
        env = dict(os.environ, FONTCONFIG_FILE=str(_fonts_conf(profile)), SAL_ENABLE_FILE_LOCKING="1")
        program, direct = _program(exe)
        base = [*program, f"-env:UserInstallation={(profile / 'user').as_uri()}", "--headless", "--norestore"]
        with _terminate_on_sigterm():
            if direct:
                _create_profile(base, env)
            proc = subprocess.Popen([*base, *args], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, env=env, start_new_session=True)
            yield proc, profile
    finally:
        if proc is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGKILL)  # soffice.bin and oosplash, whatever state they are in
            proc.communicate()
        shutil.rmtree(profile, ignore_errors=True)


def _wait(proc: subprocess.Popen, src: Path, timeout: int) -> None:
    try:
        _, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        raise HokokuError(f"{src}: LibreOffice did not finish within {timeout} s") from None
    if proc.returncode:
        raise HokokuError(f"{src}: LibreOffice failed ({err.decode(errors='replace').strip()[:200]})")


def convert(src: str | Path, out_dir: str | Path, fmt: str = "pdf", timeout: int = TIMEOUT) -> Path:
    """Convert `src` (e.g. .docx) to `fmt` in `out_dir`; returns the new file's path."""
    src, out_dir = Path(src), Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with _soffice(["--convert-to", fmt, "--outdir", str(out_dir), str(src)]) as (proc, _):
        _wait(proc, src, timeout)
    out = out_dir / f"{src.stem}.{fmt}"
    if not out.exists():
        raise HokokuError(f"{src}: LibreOffice wrote no {fmt} file")
    return out


def uno_python() -> str | None:
    """An interpreter that can import LibreOffice's `uno` module (python3-uno)."""
    for exe in (sys.executable, *UNO_PYTHONS):
        if exe and Path(exe).exists() and subprocess.run([exe, "-c", "import uno"], capture_output=True).returncode == 0:
            return exe
    return None


def to_pdf(src: str | Path, dest: str | Path, timeout: int = TIMEOUT) -> Path:
    """`src` as PDF at `dest` (atomically), its table of contents and other indexes updated first."""
    src, dest = Path(src).resolve(), Path(dest)
    python = uno_python()
    if not find_soffice() or not python:
        raise HokokuError(NOT_INSTALLED)
    pipe = f"hokoku_{uuid.uuid4().hex}"
    with resources.as_file(resources.files("hokoku.outputs").joinpath("soffice_uno.py")) as client, \
            _soffice([f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext", "--invisible"]) as (_, profile):
        export = profile / "export.pdf"  # inside the profile: a killed run leaves nothing beside the draft
        try:
            done = subprocess.run(_dies_with_us([python, str(client), pipe, str(src), str(export)]), capture_output=True,
                                  timeout=timeout, stdin=subprocess.DEVNULL, start_new_session=True)
        except subprocess.TimeoutExpired:
            raise HokokuError(f"{src}: LibreOffice did not finish the PDF within {timeout} s") from None
        if done.returncode:
            raise HokokuError(f"{src}: LibreOffice PDF export failed ({done.stderr.decode(errors='replace').strip()[-200:]})")
        if not export.exists() or export.stat().st_size == 0:
            raise HokokuError(f"{src}: LibreOffice wrote no PDF")
        write_with(dest, lambda tmp: shutil.copyfile(export, tmp))
    return dest
