"""The clip cache: content addressing, atomic writes, permissions, and recovery from bad files."""

from __future__ import annotations

import stat
import wave
from pathlib import Path

import pytest

from assistant.speech import ClipCache, Rendered, SpeechRenderer, Voice, write_wav

KEY_ARGS: dict[str, object] = {
    "engine": "espeak",
    "version": "1.51",
    "voice": "en-us",
    "rate": 150,
    "sample_rate": 48000,
    "text": "Breathe in.",
}
PCM = bytes(range(256)) * 40  # 5120 bytes = 2560 frames


class CountingEngine:
    """A fake engine that counts renders and returns a short non-silent clip."""

    name = "counting"

    def __init__(self) -> None:
        self.calls: list[str] = []

    def version(self) -> str:
        return "1"

    def voices(self) -> list[Voice]:
        return []

    def render(self, text: str, voice: str | None, rate: int | None) -> Rendered:
        self.calls.append(text)
        return Rendered(b"\x00\x10\x00\xf0" * 2000, 24000)

    def close(self) -> None:
        pass


def key(**changes: object) -> str:
    args = {**KEY_ARGS, **changes}
    return ClipCache.key(**args)


def test_round_trip_is_a_plain_wav(tmp_path: Path) -> None:
    cache = ClipCache(tmp_path / "clips")
    k = key()
    assert cache.get(k) is None
    path = cache.put(k, PCM)
    assert path == tmp_path / "clips" / k[:2] / f"{k}.wav"
    assert cache.get(k) == PCM
    with wave.open(str(path), "rb") as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, 48000)
        assert w.getnframes() == len(PCM) // 2


def test_empty_clip_round_trips(tmp_path: Path) -> None:
    cache = ClipCache(tmp_path)
    cache.put(key(text=""), b"")
    assert cache.get(key(text="")) == b""


def test_write_leaves_no_temporary_files(tmp_path: Path) -> None:
    cache = ClipCache(tmp_path)
    for i in range(5):
        cache.put(key(text=str(i)), PCM)
    leftovers = [p for p in tmp_path.rglob("*") if p.is_file() and not p.name.endswith(".wav")]
    assert leftovers == []
    assert all(not p.name.startswith(".tmp-") for p in tmp_path.rglob("*"))


def test_failed_write_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = ClipCache(tmp_path)
    k = key()

    def broken_replace(self: Path, target: object) -> Path:
        raise OSError("disk full")

    monkeypatch.setattr(Path, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        cache.put(k, PCM)
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_files_are_private(tmp_path: Path) -> None:
    cache = ClipCache(tmp_path / "clips")
    path = cache.put(key(), PCM)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "clips").stat().st_mode) == 0o700


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda p: p.write_bytes(p.read_bytes()[:-1000]), id="truncated"),
        pytest.param(lambda p: p.write_bytes(b"RIFF garbage garbage garbage"), id="garbage"),
        pytest.param(lambda p: p.write_bytes(b""), id="empty"),
        pytest.param(lambda p: write_wav(p, PCM, 44100), id="wrong-rate"),
    ],
)
def test_bad_entry_is_removed_and_rendered_again(tmp_path: Path, damage: object) -> None:
    engine = CountingEngine()
    cache = ClipCache(tmp_path)
    renderer = SpeechRenderer(engine, cache)
    first = renderer.clip("Breathe in.")
    path = cache.path(renderer.key("Breathe in."))
    damage(path)  # type: ignore[operator]
    assert cache.get(renderer.key("Breathe in.")) is None
    assert not path.exists()
    again = renderer.clip("Breathe in.")
    assert again == first
    assert engine.calls == ["Breathe in.", "Breathe in."]
    assert cache.get(renderer.key("Breathe in.")) == first


def test_stereo_entry_is_rejected(tmp_path: Path) -> None:
    cache = ClipCache(tmp_path)
    k = key()
    path = cache.path(k)
    path.parent.mkdir(parents=True)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(48000)
        w.writeframes(PCM)
    assert cache.get(k) is None
    assert not path.exists()


def test_key_changes_with_every_field() -> None:
    base = key()
    assert key() == base  # stable
    assert len(base) == 64
    variants = [
        key(engine="system"),
        key(version="1.52"),
        key(voice="en-gb"),
        key(voice=None),
        key(rate=151),
        key(rate=None),
        key(sample_rate=44100),
        key(text="Breathe in!"),
    ]
    assert len({base, *variants}) == 1 + len(variants)


def test_key_fields_cannot_run_together() -> None:
    assert key(engine="a|b", version="c") != key(engine="a", version="b|c")


def test_key_changes_with_processing_version(monkeypatch: pytest.MonkeyPatch) -> None:
    import assistant.speech.cache as cache_module

    before = key()
    monkeypatch.setattr(cache_module, "PROCESSING_VERSION", cache_module.PROCESSING_VERSION + 1)
    assert key() != before


def test_bad_key_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        ClipCache(tmp_path).path("../../etc/passwd")
