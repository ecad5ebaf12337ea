"""Damaged PDFs never crash with a traceback or hang: a seeded loop of byte flips and cuts."""
from __future__ import annotations

import random
import signal
import time

import pytest

from conftest import FIXTURES
from hokoku.extract import parse_report
from hokoku.extract.errors import InputError

SOURCE = FIXTURES / "edge" / "excerpt_3p.pdf"
PER_CASE_SECONDS = 20


class Hang(Exception):
    pass


def _alarm(signum, frame):
    raise Hang()


def mutate(data: bytes, rnd: random.Random) -> bytes:
    b = bytearray(data)
    kind = rnd.choice(["flip", "cut", "splice", "zero"])
    if kind == "flip":
        for _ in range(rnd.randint(1, 40)):
            b[rnd.randrange(len(b))] = rnd.randrange(256)
    elif kind == "cut":
        b = b[: rnd.randrange(len(b))]
    elif kind == "splice":
        i, j = sorted(rnd.randrange(len(b)) for _ in range(2))
        b = b[:i] + b[j:] + b[i:j]
    else:
        i = rnd.randrange(len(b))
        b[i: i + rnd.randint(1, 500)] = bytes(min(500, len(b) - i))
    return bytes(b)


def run_cases(tmp_path, budget_seconds: float, seed: int) -> int:
    rnd = random.Random(seed)
    data = SOURCE.read_bytes()
    old = signal.signal(signal.SIGALRM, _alarm)
    n = 0
    start = time.time()
    try:
        while time.time() - start < budget_seconds:
            f = tmp_path / f"case{n}.pdf"
            f.write_bytes(mutate(data, rnd))
            signal.alarm(PER_CASE_SECONDS)
            try:
                parse_report(f)
            except InputError as e:
                assert "\n" not in str(e) and str(f) in str(e)
            except Hang:
                pytest.fail(f"case {n} (seed {seed}) hung for {PER_CASE_SECONDS} s")
            finally:
                signal.alarm(0)
            n += 1
    finally:
        signal.signal(signal.SIGALRM, old)
    return n


def test_fuzz_short(tmp_path):
    assert run_cases(tmp_path, 10, seed=7) > 5


@pytest.mark.slow
def test_fuzz_long(tmp_path):
    assert run_cases(tmp_path, 60, seed=11) > 30
