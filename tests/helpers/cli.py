"""The real ``ground`` command in a subprocess, with no sound unless a test asks for it."""

from __future__ import annotations

import os
import subprocess
import sys


def ground(
    *args: str, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m assistant ARGS``; never a traceback, whatever the exit code."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    full_env.setdefault(
        "PULSE_SERVER", "unix:/nonexistent/pulse"
    )  # no sound unless a test wants it
    done = subprocess.run(
        [sys.executable, "-m", "assistant", *args],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert "Traceback" not in done.stderr + done.stdout
    return done
