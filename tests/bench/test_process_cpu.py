"""bench/process_cpu: the CPU a benchmark's parts spend, read from /proc, and the tally per document."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from bench.process_cpu import CpuTally, Parts, Processes, named, tree
from tests.corpus.session import skip_unless


@pytest.fixture(autouse=True)
def _linux_proc() -> None:
    skip_unless(os.path.isdir("/proc/self/task"), "bench/process_cpu reads Linux's /proc")


BUSY = "import time\nend = time.process_time() + 0.3\nwhile time.process_time() < end: pass\ntime.sleep(30)\n"


def test_a_process_tree_counts_its_childrens_cpu() -> None:
    # a parent that only waits, and its child that spends 0.3 s of CPU: the parent's tree holds the child's time
    parent_code = f"import subprocess, sys, time\nsubprocess.Popen([sys.executable, '-c', {BUSY!r}])\ntime.sleep(30)\n"
    parent = subprocess.Popen([sys.executable, "-c", parent_code])
    try:
        parts = Parts(trees={"parent": parent.pid})
        deadline = time.monotonic() + 20
        while parts.resolve().read()["parent"] < 0.25 and time.monotonic() < deadline:
            time.sleep(0.05)
        below = tree(parent.pid)
        assert len(below) == 2 and below[0] == parent.pid
        assert parts.resolve().read()["parent"] >= 0.25
        assert Processes({"alone": (parent.pid,)}).read()["alone"] < 0.25  # so the 0.25 s came from the child
    finally:
        for pid in reversed(tree(parent.pid)):
            os.kill(pid, 9)
        parent.wait()


def test_processes_are_found_by_their_program_name() -> None:
    with open("/proc/self/comm") as f:
        me = f.read().strip()
    assert os.getpid() in named(me)
    assert named("no-such-program-here") == []


def test_the_client_is_this_process_and_a_tally_is_per_document() -> None:
    parts = Parts()
    before = parts.resolve().read()
    end = time.process_time() + 0.05
    while time.process_time() < end:
        pass
    after = parts.resolve().read()
    tally = CpuTally()
    tally.add(before, after, 10)
    tally.add({"client": 1.0, "gone": 5.0}, {"client": 1.01}, 10)  # a part that went away counts nothing
    client_ms, gone_ms = tally.per_document_ms(["client", "gone"])
    assert tally.documents == 20
    assert client_ms == pytest.approx(1000 * ((after["client"] - before["client"]) + 0.01) / 20)
    assert client_ms >= 2.5
    assert gone_ms == 0.0
    assert CpuTally().per_document_ms(["client"]) == [0.0]
