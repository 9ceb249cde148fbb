"""What the vdirsyncer scripts of `dav-tests/clients/` share: their progress and failure
messages, and running the `vdirsyncer` next to the venv's interpreter (the client under test)
on a configuration, failing on a non-zero exit or a reported error.
VDIRSYNCER_FLOW_DEBUG=1 runs vdirsyncer with -vdebug."""

import os
import re
import subprocess
import sys
import time
from pathlib import Path


def step(msg):
    print(f"--- {msg}", flush=True)


def fail(msg):
    raise SystemExit(f"FAIL: {msg}")


class Vdirsyncer:
    def __init__(self, config):
        self.exe = Path(sys.executable).parent / "vdirsyncer"
        self.config = config
        self.level = "debug" if os.environ.get("VDIRSYNCER_FLOW_DEBUG") else "info"

    def __call__(self, *args):
        cmd = [str(self.exe), "-c", str(self.config), "-v", self.level, *args]
        print(f"$ vdirsyncer {' '.join(args)}", flush=True)
        started = time.monotonic()
        r = subprocess.run(
            cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        out = r.stdout.decode(errors="replace")
        print(out, end="" if out.endswith("\n") or not out else "\n", flush=True)
        print(f"(exit {r.returncode}, {time.monotonic() - started:.1f}s)", flush=True)
        if r.returncode != 0:
            fail(f"vdirsyncer {' '.join(args)} exited with {r.returncode}")
        if re.search(r"^(error|critical):", out, re.M | re.I):
            fail(f"vdirsyncer {' '.join(args)} reported errors")
        return out
