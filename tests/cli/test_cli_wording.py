"""The command line says exactly the right thing (#11): voices, tension, SUDS, defaults, help."""

from __future__ import annotations

import json
from pathlib import Path

from assistant.cli.ladder_command import format_ladder
from assistant.cli.log_command import format_entry
from assistant.core.ladder import Attempt, LadderStep
from tests.helpers.cli import ground
from tests.helpers.practice_log import NOW, entry


def test_the_log_shows_tension_when_only_one_rating_was_given() -> None:
    assert "tension 6 → 3" in format_entry(entry(6, 3))
    assert "tension before 6" in format_entry(entry(6, None))
    assert "tension after 3" in format_entry(entry(None, 3))
    assert "tension" not in format_entry(entry(None, None))


def test_a_peak_is_named_as_a_peak_and_suds_is_explained() -> None:
    step = LadderStep(
        id=1,
        title="phone the GP",
        predicted_suds=45,
        safety_behaviours=(),
        position=0,
        archived=False,
        created_at=NOW,
    )
    tried = Attempt(id=1, step_id=1, attempted_at=NOW, suds_before=40, suds_peak=55, suds_after=20)
    lines = format_ladder([step], [tried])
    text = "\n".join(lines)
    assert "felt 55" not in text
    assert "before 40, at its hardest 55, after 20" in text
    assert "SUDS, subjective units of distress" in text


def test_help_explains_suds_and_names_no_wrong_default() -> None:
    assert "default: the one in your settings" in ground("play", "--help").stdout
    ladder = ground("ladder", "add", "--help").stdout
    assert "SUDS" in ladder and "100 the most distress" in ladder


def test_a_voice_id_as_listed_works_verbatim(tmp_path: Path) -> None:
    from assistant.speech.piper_voices import looks_like_path

    assert not looks_like_path("gmw/en-us")  # espeak-ng's ids hold a slash
    assert looks_like_path("voices/joe.onnx") and looks_like_path("./joe")
    listed = json.loads(ground("voices", "--json", "--engine", "espeak").stdout)
    ids = [v["id"] for e in listed["engines"] for v in e["voices"]]
    listed_id = next(i for i in ids if i.lower().startswith("gmw/en-us"))  # as printed
    done = ground("render", "now", "-o", str(tmp_path / "now.wav"), "--voice", listed_id)
    assert done.returncode == 0, done.stderr
    unknown = ground("render", "now", "-o", str(tmp_path / "x.wav"), "--voice", "no-such-voice")
    assert unknown.returncode == 2
    assert "`ground voices` lists" in unknown.stderr.strip().splitlines()[-1]


def test_a_background_voice_render_leaves_no_defunct_process() -> None:
    """A background voice render is reaped when it ends: no defunct child while the app runs."""
    import os
    import time

    from assistant.session import warm_in_background

    def children() -> dict[int, str]:
        found = {}
        for proc in Path("/proc").iterdir():
            if proc.name.isdigit():
                try:
                    fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                if int(fields[1]) == os.getpid():
                    found[int(proc.name)] = fields[0]
        return found

    before = set(children())
    warm_in_background("none")  # nothing to render: it ends at once
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and set(children()) - before:
        time.sleep(0.1)  # polling a process table, with a deadline: there is no event to wait on
    assert not set(children()) - before, children()
