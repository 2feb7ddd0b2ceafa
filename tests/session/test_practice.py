"""The whole practice on a fake clock: its log row from start to end, one result, the meter,
and the services around it (a voice preview that closes its engines, a ladder try)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from assistant.core.clock import FakeClock
from assistant.core.model import EventKind, PhaseKind
from assistant.session import (
    MICROPHONE_LOST,
    OPEN_LOG,
    MeterSettings,
    Practice,
    PracticeResult,
    SessionRequest,
    preview_script,
)
from assistant.session.ladder import TryAnswers, note_try
from assistant.session.preview import PreparedVoice, VoicePreview
from assistant.session.record import SessionRecord
from assistant.sound import player as player_module
from assistant.storage.ladder import Ladder
from assistant.storage.log import Ending, PracticeLog
from tests.helpers import FakeMeter, script_from

SCRIPT = """
[[step]]
say = "Settle in."
[[step]]
breathe = "Slow"
inhale = 4
exhale = 6
cycles = 12
words = { inhale = "in", exhale = "out" }
[[step]]
say = "Well done."
"""


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(100.0)


@pytest.fixture
def log() -> Iterator[PracticeLog]:
    with PracticeLog.open() as opened:
        yield opened


def request(sound: bool = False) -> SessionRequest:
    return SessionRequest(script=script_from(SCRIPT), sound=sound, engine="none")


def start(clock: FakeClock, **kwargs: Any) -> Practice:
    return Practice.start(request(), clock=clock, **kwargs)


def only_entry() -> Any:
    with PracticeLog.open() as log:
        (entry,) = log.entries()
    return entry


@pytest.fixture
def silent_player(monkeypatch: pytest.MonkeyPatch) -> None:
    """A request with sound opens a silent player on the test's clock (no sound card here)."""
    real = player_module.open_player

    def fake_open(mixer, **kwargs):  # type: ignore[no-untyped-def]
        return real(mixer, device=None, want_sound=False, clock=kwargs.get("clock"))

    monkeypatch.setattr("assistant.session.live.open_player", fake_open)


# -- the log row ---------------------------------------------------------------------------------


def test_a_completed_practice_is_one_row_with_its_breaths(clock: FakeClock) -> None:
    practice = start(clock, log=OPEN_LOG, tension_before=6)
    assert only_entry().outcome is Ending.INTERRUPTED  # the row is there from the start
    clock.advance(practice.session.timeline.seconds + 1)
    look = practice.look()
    assert look.over
    result = practice.end(completed=True)
    assert result == PracticeResult(
        script_id="test",
        title="Test",
        practised_seconds=pytest.approx(practice.session.timeline.seconds),
        planned_seconds=practice.session.timeline.seconds,
        breaths=12,
        completed=True,
        underruns=0,
    )
    assert practice.save(tension_after=2, note="calmer") is None
    entry = only_entry()
    assert entry.outcome is Ending.COMPLETED
    assert (entry.breaths, entry.tension_before, entry.tension_after, entry.note) == (
        12,
        6,
        2,
        "calmer",
    )
    assert entry.practised_seconds == pytest.approx(result.practised_seconds)


def test_stopped_early_keeps_the_time_heard(clock: FakeClock, log: PracticeLog) -> None:
    practice = start(clock, log=log)
    clock.advance(20)
    practice.look()
    result = practice.end(completed=False)
    assert not result.completed and result.practised_seconds == pytest.approx(20)
    inhales = [
        e
        for e in practice.timeline.events
        if e.kind is EventKind.PHASE and e.phase is PhaseKind.INHALE
    ]
    assert result.breaths == sum(1 for e in inhales if e.frame <= 20 * 48_000) == 2
    practice.save()
    (entry,) = log.entries()
    assert entry.outcome is Ending.STOPPED_EARLY
    assert entry.practised_seconds == pytest.approx(20)


def test_the_app_closed_mid_session_saves_how_it_went_so_far(
    clock: FakeClock, log: PracticeLog
) -> None:
    practice = start(clock, log=log)
    clock.advance(12)
    practice.look()
    assert practice.save() is None  # before end(): stopped early, with the time heard
    assert practice.save(tension_after=1) is None  # only the first call writes
    (entry,) = log.entries()
    assert entry.outcome is Ending.STOPPED_EARLY
    assert entry.practised_seconds == pytest.approx(12)
    assert entry.tension_after is None
    practice.close()


def test_ctrl_c_logs_the_time_heard_and_closes_its_own_log(
    clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    closed: list[PracticeLog] = []
    real_close = PracticeLog.close

    def spy_close(self: PracticeLog) -> None:
        closed.append(self)
        real_close(self)

    monkeypatch.setattr(PracticeLog, "close", spy_close)
    practice = start(clock, log=OPEN_LOG)
    clock.advance(7)
    practice.look()  # the last tick before Ctrl-C
    assert practice.interrupted() is None
    assert practice.session.finished  # the sound stopped at once
    assert len(closed) == 1  # the log it opened for itself
    practice.close()
    entry = only_entry()
    assert entry.outcome is Ending.STOPPED_EARLY
    assert entry.practised_seconds == pytest.approx(7)
    assert entry.breaths == 0  # not counted when cut short


def test_the_apps_log_is_asked_for_once_the_sound_has_started(clock: FakeClock) -> None:
    asked: list[bool] = []
    opened = PracticeLog.open()

    def app_log() -> PracticeLog:
        asked.append(True)
        return opened

    practice = start(clock, log=app_log)
    assert asked == [True]
    practice.end(completed=False)
    practice.save()
    assert len(opened.entries()) == 1  # and it is left open: the app's to close
    opened.close()


def test_no_log_records_nothing(clock: FakeClock) -> None:
    practice = start(clock)
    assert practice.end(completed=False).practised_seconds == 0
    assert practice.save() is None
    with PracticeLog.open() as log:
        assert log.entries() == []


def test_a_log_that_cannot_be_used_is_one_notice(
    clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assistant.storage.log import LogError

    def refuse(cls: type[PracticeLog], path: object = None) -> PracticeLog:
        raise LogError("the disk is full")

    monkeypatch.setattr(PracticeLog, "open", classmethod(refuse))
    practice = start(clock, log=OPEN_LOG, notices=["Settings moved aside."])
    assert practice.new_notices() == [
        "Settings moved aside.",
        "This session is not being saved: the disk is full.",
    ]
    assert practice.end(completed=False).completed is False
    assert practice.save() is None


def test_one_result_whatever_is_asked_after(clock: FakeClock) -> None:
    practice = start(clock)
    clock.advance(5)
    first = practice.end(completed=False)
    clock.advance(60)
    assert practice.end(completed=True) is first
    assert practice.result(completed=True) is first


def test_the_record_has_one_constructor(clock: FakeClock) -> None:
    practice = start(clock)
    nothing = SessionRecord.start(practice.session, None)
    assert nothing.finish(1.0, 0, completed=True) is None
    practice.close()


# -- looking and keys ----------------------------------------------------------------------------


def test_a_look_gives_each_event_once_and_the_phase_under_way(clock: FakeClock) -> None:
    practice = start(clock)
    first = practice.look()
    assert [e.text for e in first.events if e.kind is EventKind.SAY] == ["Settle in."]
    assert first.phase is None and not first.over
    inhale = next(e for e in practice.timeline.events if e.phase is PhaseKind.INHALE)
    clock.advance(inhale.frame / practice.timeline.sample_rate + 1)
    look = practice.look()
    assert look.phase is not None and look.phase.phase is PhaseKind.INHALE
    assert 0 < look.into < 1 and look.seconds_left == 3
    assert look.breaths == 1 and look.caption_over
    assert practice.look().events == []  # nothing twice
    practice.pause()
    assert practice.look().paused
    practice.close()


def test_a_skipped_step_is_not_announced(clock: FakeClock) -> None:
    practice = start(clock)
    practice.look()
    practice.skip()  # past "Settle in." into the breathing
    practice.skip()  # past the breathing
    clock.advance(0.1)
    said = [e.text for e in practice.look().events if e.kind is EventKind.SAY]
    assert said == ["Well done."]
    assert practice.result().breaths == 0
    practice.close()


def test_volume_and_toggles_go_to_the_session(clock: FakeClock) -> None:
    practice = start(clock)
    assert practice.change_volume(-0.1) == 0.9
    assert practice.toggle("voice") is False
    assert practice.toggle("voice") is True
    practice.close()


# -- the breath meter ----------------------------------------------------------------------------


def test_the_meter_reading_comes_with_the_look(
    clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = FakeMeter(rate=8.0, breath=0.5)
    asked: list[object] = []

    def open_meter(device: object = None) -> tuple[FakeMeter, None]:
        asked.append(device)
        return fake, None

    monkeypatch.setattr("assistant.sound.meter.open_meter", open_meter)
    practice = start(clock, meter=MeterSettings(device="usb mic"))
    assert not practice.meter_on
    assert practice.open_meter() is None
    assert practice.meter_on and asked == ["usb mic"]
    inhale = next(e for e in practice.timeline.events if e.phase is PhaseKind.INHALE)
    clock.advance(inhale.frame / practice.timeline.sample_rate + 0.5)
    look = practice.look()
    reading = look.meter
    assert reading is not None
    assert reading.detail == "≈8/min"
    assert "exhale run a little longer" in (reading.advice or "")
    assert len(reading.bar(6)) == 6 and reading.bar().strip()
    assert practice.look(meter=False).meter is None  # read when the view asks for it
    clock.advance(2)
    later = practice.look().meter
    assert later is not None and len(later.trace) == 4  # two columns a second
    assert {c.heard for c in later.trace} == {0.5}
    practice.end(completed=False)
    assert fake.stopped and not practice.meter_on


def test_a_lost_microphone_turns_the_meter_off_with_a_notice(
    clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = FakeMeter()
    monkeypatch.setattr("assistant.sound.meter.open_meter", lambda device=None: (fake, None))
    practice = start(clock)
    practice.open_meter()
    practice.look()
    fake.lost = True
    clock.advance(1)
    look = practice.look()
    assert look.meter_lost and look.meter is None
    assert look.notices == [MICROPHONE_LOST]
    assert fake.stopped and not practice.meter_on
    assert not practice.look().meter_lost  # said once
    practice.close()


@pytest.mark.usefixtures("silent_player")
def test_the_meter_asked_for_at_the_start_listens_only_with_sound(
    clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[object] = []

    def no_microphone(device: object = None) -> tuple[None, str]:
        opened.append(device)
        return None, "The breath meter is off: no microphone."

    monkeypatch.setattr("assistant.sound.meter.open_meter", no_microphone)
    quiet = Practice.start(request(sound=False), clock=clock, meter_on=True)
    assert opened == [] and not quiet.meter_on
    quiet.close()
    with_sound = Practice.start(request(sound=True), clock=clock, meter_on=True)
    assert opened == [None]
    assert with_sound.new_notices() == ["The breath meter is off: no microphone."]
    with_sound.close()


def test_meter_settings_follow_the_settings_unless_a_device_is_typed() -> None:
    from assistant.storage.settings import Settings

    settings = Settings(input_device="desk", gate_voice=False, speak_feedback=True)
    assert MeterSettings.of(settings) == MeterSettings("desk", False, True)
    assert MeterSettings.of(settings, "usb").device == "usb"


# -- voice previews ------------------------------------------------------------------------------


class CountingEngine:
    name = "fake"

    def __init__(self) -> None:
        self.closed = 0

    def close(self) -> None:
        self.closed += 1


class FakeRenderer:
    """A renderer whose engine counts closes; its clips are short tones of silence."""

    def __init__(self) -> None:
        self.engine = CountingEngine()
        self.voice: str | None = None
        self.engine_worked = True

    def cached(self, text: str) -> bytes | None:
        return None

    def clip(self, text: str) -> bytes:
        return b"\x00\x00" * 4800


@pytest.fixture
def renderers(monkeypatch: pytest.MonkeyPatch) -> list[FakeRenderer]:
    made: list[FakeRenderer] = []

    def prepare(request: SessionRequest, text: str) -> tuple[FakeRenderer, list[str]]:
        made.append(FakeRenderer())
        return made[-1], [f"voice {len(made)}"]

    monkeypatch.setattr("assistant.session.preview.prepare_preview", prepare)
    return made


def preview_request() -> SessionRequest:
    return SessionRequest(script=preview_script("Hello there."), sound=False, engine="system")


def test_a_preview_plays_and_closes_every_engine_it_started(
    clock: FakeClock, renderers: list[FakeRenderer]
) -> None:
    preview = VoicePreview(clock=clock)
    assert preview.done
    first = preview.prepare(preview_request(), "Hello there.")
    assert isinstance(first, PreparedVoice)
    assert preview.play(first) == ["voice 1"]
    assert not preview.done
    clock.advance(5)
    assert preview.wait(0.1) and preview.done
    second = preview.play(preview.prepare(preview_request(), "Hello there."))
    assert second == ["voice 2"]
    assert renderers[0].engine.closed == 1  # the voice before is closed once replaced
    unplayed = preview.prepare(preview_request(), "Hello there.")
    assert unplayed.renderer is renderers[2]
    preview.stop()
    assert preview.done
    preview.close()
    assert [r.engine.closed for r in renderers] == [1, 1, 1]
    preview.close()
    assert [r.engine.closed for r in renderers] == [1, 1, 1]  # closing twice closes nothing twice


def test_a_preview_closed_while_its_voice_got_ready_plays_nothing(
    clock: FakeClock, renderers: list[FakeRenderer]
) -> None:
    preview = VoicePreview(clock=clock)
    preview.close()
    prepared = preview.prepare(preview_request(), "Hello there.")
    assert renderers[0].engine.closed == 1 and prepared.renderer is None
    assert preview.play(prepared) is None
    assert preview.done


# -- a ladder try --------------------------------------------------------------------------------


def test_noting_tries_keeps_them_and_suggests_the_next_step(log: PracticeLog) -> None:
    ladder = Ladder(log)
    lower = ladder.add("say hello to a neighbour", 40)
    ladder.add("ask a shop assistant a question", 60)
    lower = next(s for s in ladder.steps() if s.id == lower.id)
    first = note_try(ladder, lower, TryAnswers(before=30, after=10, did_well="smiled"))
    assert first.attempt.suds_before == 30 and first.attempt.did_well == "smiled"
    assert first.suggestion is None  # one low try is not yet a pattern
    second = note_try(ladder, lower, TryAnswers(peak=15))
    assert second.suggestion is not None and "ask a shop assistant" in second.suggestion
    assert len(ladder.attempts(lower.id)) == 2
    with pytest.raises(ValueError):
        note_try(ladder, lower, TryAnswers(before=101))
