"""Every Python child ground starts is isolated from the caller's folder: a planted
``typing.py`` or ``assistant.py`` there never runs, in the detached warm (``ground warm
--background``, and so the full-screen app's voice change) as in the speech workers."""

from __future__ import annotations

import ctypes
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

PR_SET_CHILD_SUBREAPER = 36
GROUND = str(Path(sys.executable).with_name("ground"))


def plant(folder: Path, marker: Path) -> None:
    """Modules that announce themselves if anything imports them from ``folder``."""
    body = f"open({str(marker)!r}, 'a').write(__name__ + '\\n')\n"
    for name in ("typing", "assistant", "argparse", "json", "encodings"):
        (folder / f"{name}.py").write_text(body)


def wait_for_orphan(timeout: float) -> tuple[int, int]:
    """Reap the next child reparented to this process (a subreaper); (pid, wait status)."""
    reaped: list[tuple[int, int]] = []
    waiter = threading.Thread(target=lambda: reaped.append(os.waitpid(-1, 0)), daemon=True)
    waiter.start()
    waiter.join(timeout)
    assert reaped, f"the detached warm did not finish within {timeout:g} s"
    return reaped[0]


@pytest.mark.tts
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a subreaper is Linux's")
def test_warm_in_the_background_runs_nothing_from_the_current_folder(
    ground_home: Path, tmp_path: Path
) -> None:
    here = tmp_path / "here"
    here.mkdir()
    marker = tmp_path / "ran.txt"
    plant(here, marker)
    libc = ctypes.CDLL(None, use_errno=True)
    # The warm detaches (its own session) and outlives `ground`: as a subreaper this test
    # becomes its parent when `ground` exits, so it can wait for it to end.
    assert libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    try:
        done = subprocess.run(
            [GROUND, "warm", "now", "--engine", "espeak", "--background"],
            cwd=here,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout == "Preparing the voice in the background.\n"
        pid, status = wait_for_orphan(120)
    finally:
        libc.prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0)
    assert not marker.exists(), marker.read_text()  # before: typing.py ran in the warm
    assert os.waitstatus_to_exitcode(status) == 0  # it warmed (a -P typo would fail here)
    assert (ground_home / "cache" / "warm.pid").read_text() == str(pid)
    assert any((ground_home / "cache" / "clips").rglob("*.wav"))  # and it filled the cache


def test_a_script_path_reaches_the_warm_from_its_own_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assistant.session.warm import _from_anywhere

    monkeypatch.chdir(tmp_path)
    assert _from_anywhere("mine.toml") == str(tmp_path / "mine.toml")
    assert _from_anywhere("sub/mine") == str(tmp_path / "sub" / "mine")
    assert _from_anywhere("box") == "box"  # an id stays an id
