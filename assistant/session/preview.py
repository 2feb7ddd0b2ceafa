"""Hearing a voice: one sentence in the chosen engine and voice, its engine closed after.

Settings (p) and ``ground voices --say`` use one :class:`VoicePreview`. It owns every speech
engine it starts, from the render to :meth:`VoicePreview.close`, so a front end never closes
an engine itself.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from assistant.core.sounds import NO_AMBIENT
from assistant.session.live import Session
from assistant.session.voice import PREVIEW, prepare_preview

if TYPE_CHECKING:
    from assistant.core.clock import Clock
    from assistant.session.request import SessionRequest
    from assistant.speech.renderer import SpeechRenderer


@dataclass(frozen=True)
class PreparedVoice:
    """A voice with its sentence already rendered, ready to play (:meth:`VoicePreview.prepare`).

    Attributes:
        request: what to play (a one-sentence script, see ``preview_script``).
        renderer: the voice that works (down the engine ladder if needed; None: no voice).
        notices: lines to show (a fallback voice, …).
    """

    request: SessionRequest
    renderer: SpeechRenderer | None
    notices: tuple[str, ...]


class VoicePreview:
    """Plays one sentence at a time in a chosen voice; owns the engines it starts.

    Args:
        clock: the clock for a silent player (tests pass a FakeClock).
    """

    def __init__(self, *, clock: Clock | None = None) -> None:
        self._clock = clock
        # prepare() runs on a worker thread in the TUI; play() and close() on the main one.
        self._lock = threading.Lock()
        self._voices: list[SpeechRenderer] = []  # started here and not closed yet
        self._playing: SpeechRenderer | None = None
        self._session: Session | None = None
        self._closed = False

    def prepare(self, request: SessionRequest, text: str = PREVIEW) -> PreparedVoice:
        """Render ``text`` in the request's very voice, waiting for it (a Piper model loads in
        about half a second); safe on a worker thread."""
        request = replace(request, ambient=NO_AMBIENT)  # the voice alone is what is asked for
        renderer, notices = prepare_preview(request, text)
        with self._lock:
            closed = self._closed
            if renderer is not None and not closed:
                self._voices.append(renderer)
        if closed and renderer is not None:
            renderer.engine.close()  # closed meanwhile (the screen left): nothing will play it
            renderer = None
        return PreparedVoice(request, renderer, tuple(notices))

    def play(self, prepared: PreparedVoice) -> list[str] | None:
        """Play a prepared voice now; the sentence playing before stops, its engine closes.

        Returns:
            The lines to show (the voice's, then the session's: no sound card, …); None when
            this preview was closed meanwhile (nothing plays).

        Raises:
            DeviceNotFound: the request names a missing device and ``strict_device`` is set.
        """
        if self._closed:
            return None
        self._end_session()
        with self._lock:
            previous, self._playing = self._playing, prepared.renderer
            if previous is not None and previous is not prepared.renderer:
                self._voices.remove(previous)
            else:
                previous = None
        if previous is not None:
            previous.engine.close()
        self._session = Session.open(
            prepared.request, clock=self._clock, renderer=prepared.renderer
        )
        return [*prepared.notices, *self._session.notices]

    def stop(self) -> None:
        """Stop the sentence playing now (its voice stays ready)."""
        if self._session is not None:
            self._session.stop()

    @property
    def done(self) -> bool:
        """Whether nothing is playing: never started, heard to the end, or stopped."""
        session = self._session
        return (
            session is None
            or session.finished
            or (session.complete and session.position() >= session.timeline.total_frames)
        )

    def wait(self, seconds: float) -> bool:
        """Wait for the end or ``seconds``; True once the sentence has been heard."""
        return self._session is None or self._session.wait(seconds)

    def close(self) -> None:
        """Stop, and close every speech engine this preview started (again: nothing)."""
        self._end_session()
        with self._lock:
            self._closed = True
            voices, self._voices = self._voices, []
            self._playing = None
        for voice in voices:
            voice.engine.close()

    def _end_session(self) -> None:
        session, self._session = self._session, None
        if session is not None:
            session.close()
