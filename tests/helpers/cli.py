"""The real ``ground`` command in a subprocess, with no sound unless a test asks for it, and
what bash completes for it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


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


BIN = str(Path(sys.executable).parent)  # the venv's `ground`, which the scripts call for ids


def bash(program: str, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``program`` in a plain bash (no rc files) with this venv's ``ground`` on PATH."""
    return subprocess.run(
        ["bash", "--norc", "--noprofile", "-c", program, "_", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PATH": BIN + os.pathsep + os.environ["PATH"]},
        timeout=60,
        check=False,
        cwd=cwd,
    )


def complete(line: str, cwd: Path | None = None) -> list[str]:
    """What bash offers for ``line`` (a trailing space starts a new word)."""
    program = (
        "source <(ground completion bash) || exit 3\n"
        'read -ra COMP_WORDS <<< "$1"\n'
        '[[ "$1" == *" " ]] && COMP_WORDS+=("")\n'
        "COMP_CWORD=$((${#COMP_WORDS[@]} - 1))\n"
        "_ground\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    done = bash(program, line, cwd=cwd)
    assert done.returncode == 0, done.stderr
    return [word for word in done.stdout.splitlines() if word]
