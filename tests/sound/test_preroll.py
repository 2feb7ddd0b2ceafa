"""The hotkey's pre-roll: kept only for the same command line and settings, and handed to the
session at the exact frame (or, when its frames are not the session's, at its own end)."""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace

from assistant.sound import preroll
from assistant.sound.preroll import PreRoll

RATE = 48_000


def _keep(pcm: bytes, args: list[str], fingerprint: str = "f" * 40) -> Path:
    data = preroll.encode(pcm, RATE, 0.15, 2048, fingerprint, args)
    assert data is not None
    path = Path(str(preroll.cache_file()))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def _settings(home: Path, text: str) -> None:
    (home / "config").mkdir(exist_ok=True)
    (home / "config" / "settings.toml").write_text(text, encoding="utf-8")


def test_kept_for_the_same_command_line_and_settings(ground_home: Path) -> None:
    _settings(ground_home, "volume = 0.5\n")
    _keep(b"\x01\x00" * 100, ["now"], "a" * 40)
    kept = preroll.load(["now"])
    assert kept is not None
    assert (kept.frames, kept.rate, kept.latency, kept.blocksize) == (100, RATE, 0.15, 2048)
    assert kept.fingerprint == "a" * 40
    assert preroll.load(["now", "--minutes", "2"]) is None


def test_a_settings_change_makes_it_stale(ground_home: Path) -> None:
    _settings(ground_home, "volume = 0.5\n")
    _keep(b"\x01\x00" * 100, ["now"])
    _settings(ground_home, "volume = 0.6\n")
    assert preroll.load(["now"]) is None
    (ground_home / "config" / "settings.toml").unlink()
    assert preroll.load(["now"]) is None


def test_no_settings_file_is_a_state_of_its_own(ground_home: Path) -> None:
    _keep(b"\x01\x00" * 10, ["now"])
    assert preroll.load(["now"]) is not None
    _settings(ground_home, "")
    assert preroll.load(["now"]) is None


def test_a_damaged_or_planted_file_is_ignored(ground_home: Path) -> None:
    path = _keep(b"\x01\x00" * 10, ["now"])
    data = path.read_bytes()
    for bad in (b"", data[:20], b"junk" + data, data + b"\x00"):  # odd length: not 16-bit PCM
        path.write_bytes(bad)
        assert preroll.load(["now"]) is None
    real = path.with_name("elsewhere")
    real.write_bytes(data)
    path.unlink()
    path.symlink_to(real)
    assert preroll.load(["now"]) is None
    path.unlink()
    os.mkfifo(path)
    assert preroll.load(["now"]) is None  # never blocks on a FIFO


class _Session:
    """Stands in for the player: writes frames numbered from its clock's start."""

    def __init__(self) -> None:
        self.frame: int | None = None
        self.calls = 0
        self.alive = 0

    def begin(self, position: int) -> None:
        self.frame = position

    def callback(self, outdata: memoryview, frames: int, _time: object, _status: object) -> None:
        assert self.frame is not None
        self.calls += 1
        view = memoryview(outdata).cast("h")
        for i in range(frames):
            view[i] = 1000 + self.frame + i
        self.frame += frames

    def finished(self) -> None:
        pass

    def tick(self) -> None:
        self.alive += 1


OK = SimpleNamespace(output_underflow=False)


def _block(kept: PreRoll, frames: int) -> list[int]:
    out = bytearray(frames * 2)
    kept._on_audio(out, frames, None, OK)
    return list(memoryview(out).cast("h"))


def _kept(frames: int) -> PreRoll:
    pcm = memoryview(bytearray(frames * 2)).cast("h")
    for i in range(frames):
        pcm[i] = i + 1
    return PreRoll(pcm.cast("B").tobytes(), RATE, 0.15, 4, "f" * 40)


def test_the_session_takes_over_at_the_next_block_where_the_pre_roll_is() -> None:
    kept, session = _kept(10), _Session()
    assert _block(kept, 4) == [1, 2, 3, 4]
    kept.hand_over(session.callback, session.finished, session.begin, session.tick, at_end=False)
    assert _block(kept, 4) == [1004, 1005, 1006, 1007]  # the session's frame 4 onwards
    assert kept.adopted


def test_frames_that_differ_play_to_their_end_and_the_session_follows_in_the_same_block() -> None:
    kept, session = _kept(6), _Session()
    assert _block(kept, 4) == [1, 2, 3, 4]
    kept.hand_over(session.callback, session.finished, session.begin, session.tick, at_end=True)
    # Two frames of the pre-roll are left; the session's clock starts after them, no gap.
    assert _block(kept, 4) == [5, 6, 1006, 1007]
    assert session.alive == 1  # the stall watch heard from the stream meanwhile
    assert _block(kept, 2) == [1008, 1009]


def test_run_out_before_the_session_is_ready_the_clock_waits_in_silence() -> None:
    kept, session = _kept(3), _Session()
    assert _block(kept, 4) == [1, 2, 3, 0]
    assert _block(kept, 4) == [0, 0, 0, 0]
    assert kept.position == 3
    kept.hand_over(session.callback, session.finished, session.begin, session.tick, at_end=False)
    assert _block(kept, 2) == [1003, 1004]
