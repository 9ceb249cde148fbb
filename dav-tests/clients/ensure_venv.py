#!/usr/bin/env python3
"""Makes sure dav-tests/.venv holds dav-tests/requirements.txt; prints the venv's interpreter.

Usage: python3 dav-tests/clients/ensure_venv.py

Called by the real-client tests (dav-tests/clients.rs) and by .ci/run, so both build the same
virtualenv the same way. The venv is (re)built when it is missing, when its interpreter no
longer runs or cannot import the clients, or when requirements.txt (or this script, or the
Python version) changed since the last successful build, recorded in .venv/.davsuite-stamp.
An exclusive lock on .venv/.lock keeps concurrent callers (test threads, several `cargo test`
processes) from building it at the same time: the others wait, then find it ready.

Packages come from the configured package index only (pip's defaults, or PIP_INDEX_URL).
Exits non-zero, with pip's output, if the venv cannot be built.
"""

import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TESTS = HERE.parent
VENV = TESTS / ".venv"
REQUIREMENTS = TESTS / "requirements.txt"
STAMP = VENV / ".davsuite-stamp"
LOCK = VENV / ".lock"
MIN_PYTHON = (3, 10)


def log(msg):
    print(f"ensure_venv: {msg}", file=sys.stderr, flush=True)


def python():
    return VENV / "bin" / "python"


def wanted_stamp():
    h = hashlib.sha256()
    h.update(REQUIREMENTS.read_bytes())
    h.update(Path(__file__).read_bytes())
    h.update(sys.version.encode())
    return h.hexdigest() + "\n"


def is_ready(stamp):
    if not STAMP.exists() or STAMP.read_text() != stamp:
        return False
    probe = subprocess.run(
        [str(python()), "-c", "import caldav, vdirsyncer"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return probe.returncode == 0 and (VENV / "bin" / "vdirsyncer").exists()


def clear():
    """Empties the venv directory, keeping the lock file we hold."""
    for entry in VENV.iterdir():
        if entry == LOCK:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()


def run(cmd):
    log("$ " + " ".join(cmd))
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if r.returncode != 0:
        sys.stderr.write(r.stdout.decode(errors="replace"))
        log(f"failed with exit status {r.returncode}: {' '.join(cmd)}")
        sys.exit(1)


def build(stamp):
    started = time.monotonic()
    log(f"building {VENV} from {REQUIREMENTS}")
    clear()
    run([sys.executable, "-m", "venv", str(VENV)])
    run(
        [
            str(python()),
            "-m",
            "pip",
            "install",
            "--disable-pip-version-check",
            "--no-input",
            "--quiet",
            "-r",
            str(REQUIREMENTS),
        ]
    )
    if not is_ready_without_stamp():
        log("the venv was built but cannot import caldav and vdirsyncer")
        sys.exit(1)
    STAMP.write_text(stamp)
    log(f"built in {time.monotonic() - started:.0f}s")


def is_ready_without_stamp():
    probe = subprocess.run([str(python()), "-c", "import caldav, vdirsyncer"])
    return probe.returncode == 0 and (VENV / "bin" / "vdirsyncer").exists()


def main():
    if sys.version_info < MIN_PYTHON:
        log(f"Python {'.'.join(map(str, MIN_PYTHON))} or newer is needed, this is {sys.version}")
        sys.exit(1)
    VENV.mkdir(exist_ok=True)
    stamp = wanted_stamp()
    with open(LOCK, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not is_ready(stamp):
            build(stamp)
    print(python())


if __name__ == "__main__":
    main()
