"""Atomic writes: a failed or killed run never leaves a half-written file or a mixed folder.

Files: written to a hidden temporary sibling, then renamed over the destination.
Folders (an output *set*): written into a hidden temporary sibling folder, then
swapped into place, so a reader sees either the old set or the new one.
Everything is created with the user's umask (mkstemp alone would give 0600). Temporaries a
killed run left behind are removed by the next write to the same destination (`clean_stale`).
`-` as a destination means standard output (text and CSV only; see `STDOUT`).
"""
from __future__ import annotations

import contextlib
import glob
import logging
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable, Iterator

log = logging.getLogger(__name__)

STDOUT = "-"
"""The output argument that means standard output."""
TMP_SUFFIX = ".tmp"
OLD_SUFFIX = ".old"
_RANDOM_LEN = 8  # tempfile's random part of a name
STALE_AFTER_S = 60.0
"""A temporary sibling older than this is left over from a killed run and is removed on start."""


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _apply_umask(path: Path, base: int) -> None:
    os.chmod(path, base & ~_umask())


def is_stdout(dest: str | os.PathLike) -> bool:
    return str(dest) == STDOUT


@contextlib.contextmanager
def atomic_path(dest: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside `dest`; rename it over `dest` only on success.

    `dest` = "-" writes the temporary file's bytes to standard output instead."""
    if is_stdout(dest):
        with tempfile.TemporaryDirectory(prefix="hokoku-") as d:
            tmp = Path(d) / "stdout"
            yield tmp
            sys.stdout.flush()
            sys.stdout.buffer.write(tmp.read_bytes())
            sys.stdout.buffer.flush()
        return
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    clean_stale(dest.parent, dest.name)
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=TMP_SUFFIX, dir=dest.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    _apply_umask(tmp_path, 0o666)
    try:
        yield tmp_path
        os.replace(tmp_path, dest)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def write_text(dest: str | os.PathLike, text: str, encoding: str = "utf-8") -> None:
    with atomic_path(dest) as tmp:
        tmp.write_text(text, encoding=encoding)


def write_with(dest: str | os.PathLike, writer: Callable[[Path], None]) -> None:
    """Call writer(tmp_path) and move the result into place atomically."""
    with atomic_path(dest) as tmp:
        writer(tmp)


def clean_stale(folder: str | os.PathLike, name: str | None = None, older_than_s: float = STALE_AFTER_S) -> list[Path]:
    """Remove temporaries (`.NAME.XXXX.tmp` files and folders) left in `folder` by a killed run,
    of destination `name` only when given.

    Only entries older than `older_than_s` go, so a run writing into the same folder
    right now keeps its own."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    prefix = f".{glob.escape(name)}." if name else "."
    now = time.time()
    removed = []
    for p in folder.glob(f"{prefix}*{TMP_SUFFIX}"):
        try:
            if now - p.lstat().st_mtime < older_than_s:
                continue
            shutil.rmtree(p) if p.is_dir() and not p.is_symlink() else p.unlink()
            removed.append(p)
        except FileNotFoundError:
            continue
    for p in folder.glob(f"{prefix}*{TMP_SUFFIX}{OLD_SUFFIX}"):
        original = folder / p.name[1:-(len(TMP_SUFFIX + OLD_SUFFIX) + _RANDOM_LEN + 1)]
        if original.exists():
            shutil.rmtree(p, ignore_errors=True)
        else:  # killed between "old aside" and "new into place": the old set comes back
            os.replace(p, original)
        removed.append(p)
    if removed:
        log.info("removed %d leftover temporary item(s) in %s", len(removed), folder)
    return removed


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    fn = getattr(libc, "renameat2", None)
    if fn is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    return fn(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0


@contextlib.contextmanager
def atomic_dir(dest: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary sibling folder; on success it replaces `dest` as a whole.

    An existing `dest` is swapped with the new folder in one step where the system allows
    (so a reader, or a kill -9, sees the old set or the new one), else renamed aside first
    (`clean_stale` puts it back if the run dies between the two renames)."""
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    clean_stale(dest.parent, dest.name)
    tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", suffix=TMP_SUFFIX, dir=dest.parent))
    _apply_umask(tmp, 0o777)
    try:
        yield tmp
        if not dest.exists():
            os.replace(tmp, dest)
        elif not _exchange(tmp, dest):
            aside = tmp.with_name(tmp.name + OLD_SUFFIX)
            os.replace(dest, aside)
            os.replace(tmp, dest)
            shutil.rmtree(aside, ignore_errors=True)
    finally:
        if tmp.exists():  # after a swap: the old set; after a failure: the partial new one
            shutil.rmtree(tmp, ignore_errors=True)
