"""Runs the real ``ground`` command for the hardening tests (hostile files, faults, signals)."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import REPO


def ground(
    *args: str,
    env: dict[str, str] | None = None,
    timeout: float = 60,
    cwd: str | os.PathLike[str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """``ground ARGS`` in a subprocess with no sound; never a traceback, never a hang."""
    full_env = dict(os.environ)
    full_env.setdefault("PULSE_SERVER", "unix:/nonexistent/pulse")
    full_env["PYTHONPATH"] = str(REPO)
    full_env.update(env or {})
    done = subprocess.run(
        [sys.executable, "-m", "assistant", *args],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
        check=False,
        cwd=cwd,
    )
    assert "Traceback" not in done.stderr + done.stdout, done.stderr
    return done
