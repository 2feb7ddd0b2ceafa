"""One length for a session everywhere: `ground list`, `ground check` and `ground render` agree
on every shipped script to the second, with the voice in use (a warm espeak cache: its clips'
own lengths; no voice: the estimate), and the countdown of a session starts there."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.core.library import shipped_scripts
from assistant.core.model import length_text

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]


def ground(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PULSE_SERVER="unix:/nonexistent/pulse")
    done = subprocess.run(
        [sys.executable, "-m", "assistant", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        stdin=subprocess.DEVNULL,
        check=False,
        cwd=REPO,
    )
    assert "Traceback" not in done.stderr + done.stdout
    assert done.returncode == 0, done.stderr
    return done


def use_engine(home: Path, engine: str) -> None:
    (home / "config").mkdir(parents=True, exist_ok=True)
    (home / "config" / "settings.toml").write_text(f'engine = "{engine}"\n')


@pytest.mark.tts
@pytest.mark.parametrize("engine", ["espeak", "none"])
def test_list_check_and_render_agree_on_every_shipped_script(
    engine: str, ground_home: Path, tmp_path: Path
) -> None:
    use_engine(ground_home, engine)
    if engine == "espeak":
        warmed = ground("warm")
        assert "espeak" in warmed.stdout, warmed.stdout
    listed = {
        line.split()[0]: line.split()[1]
        for line in ground("list").stdout.splitlines()
        if line.startswith("  ")
    }
    checked = {}
    for line in ground("check", str(REPO / "scripts")).stdout.splitlines():
        found = re.fullmatch(r".*/([\w-]+)\.toml: ok — .*, (\d+:\d\d) long", line)
        if found:
            checked[found[1]] = found[2]
    ids = sorted(s.id for s in shipped_scripts())
    assert sorted(checked) == ids
    for script_id in ids:
        out = tmp_path / f"{script_id}.json"
        wav = tmp_path / f"{script_id}.wav"
        said = ground("render", script_id, "-o", str(wav), "--timeline", str(out)).stdout
        timeline = json.loads(out.read_text())
        rendered = length_text(timeline["total_frames"] / timeline["sample_rate"])
        assert f"({rendered}, " in said, said  # what render says is what it wrote
        assert listed[script_id] == checked[script_id] == rendered, script_id
        breaths = sum(
            1 for e in timeline["events"] if e["kind"] == "phase" and e["phase"] == "inhale"
        )
        assert f", {breaths} breath" in said, said
