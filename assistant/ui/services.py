"""What the screens need from the rest of the program, gathered in one place.

The CLI builds the real one; tests build one with a fake clock, no sound and a temp home. Screens
never construct engines, players or databases themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, Protocol, cast

from assistant.core.clock import Clock, MonotonicClock
from assistant.core.compiler import CompileOptions
from assistant.core.library import Library
from assistant.storage.paths import user_scripts_dir
from assistant.storage.settings import Settings, load_settings, save_settings

if TYPE_CHECKING:  # imported on first use: not needed for the first frame
    from assistant.core.model import Script
    from assistant.core.timer import TimerOptions
    from assistant.session import Practice, SessionRequest
    from assistant.session.preview import VoicePreview
    from assistant.storage.ladder import Ladder
    from assistant.storage.log import PracticeLog
    from assistant.storage.script_cache import ScriptCache
    from assistant.ui.app import GroundApp


@dataclass
class Services:
    """The app's connection to settings, scripts, sessions and the practice log.

    Attributes:
        settings: the current settings (replaced, never mutated, on change).
        clock: the clock silent players use (a FakeClock in tests).
        sound: False runs every session silently (tests, ``--no-audio``).
        notices: one-line notices from loading (a settings file moved aside, …).
        today: returns today's date (fixed in tests).
    """

    settings: Settings = field(default_factory=Settings)
    clock: Clock = field(default_factory=MonotonicClock)
    sound: bool = True
    notices: list[str] = field(default_factory=list)
    today: Callable[[], date] = date.today
    _log: PracticeLog | None = None
    _library: Library | None = None
    _script_cache: ScriptCache | None = None

    @classmethod
    def load(cls, *, sound: bool = True, clock: Clock | None = None) -> Services:
        """Read settings from disk (moving a corrupt file aside with a notice)."""
        settings, notice = load_settings()
        services = cls(settings=settings, sound=sound, clock=clock or MonotonicClock())
        if notice:
            services.notices.append(notice)
        return services

    # -- scripts ------------------------------------------------------------------------------

    @property
    def library(self) -> Library:
        """Shipped and user scripts (loaded once; :meth:`reload_library` to refresh)."""
        if self._library is None:
            from assistant.storage.script_cache import cached_library

            self._library, self._script_cache = cached_library(user_scripts_dir())
        return self._library

    def script_seconds(self, script: Script) -> float:
        """How long ``script`` plays at its default length with these settings (estimated;
        kept in the script cache).

        Raises:
            LengthError: the script cannot be compiled at its default length.
        """
        from assistant.session import listed_seconds, listed_seconds_key

        settings = self.settings

        def seconds(of: Script) -> float:
            return listed_seconds(settings, of)

        cache = self._script_cache
        if cache is None:
            return seconds(script)
        return cache.derived(script, listed_seconds_key(settings), seconds)

    def breathing(
        self, script: Script, options: CompileOptions | None = None
    ) -> list[tuple[int, str]]:
        """Each breathing block of ``script`` as it plays with these settings, in words:
        (its step's index, ``in 5 · hold 5 · out 5 · rest 5 — 3 breaths/min``).

        Args:
            script: the script.
            options: the length chosen (None: its own length; then kept in the script cache,
                so Home's first frame compiles nothing).
        """
        from assistant.core.compiler import LengthError
        from assistant.session import estimate_timeline, listed_seconds_key
        from assistant.ui.plan import breathing_lines

        def lines(of: Script) -> list[tuple[int, str]]:
            request = self.request(of, options)
            try:
                plan = estimate_timeline(of, request.options, request.rate)
            except LengthError:
                return []
            return breathing_lines(of, plan)

        cache = self._script_cache
        if options is not None or cache is None:
            return lines(script)
        return cache.derived(script, "breathing:" + listed_seconds_key(self.settings), lines)

    def save_script_cache(self) -> None:
        """Keep what was worked out about the scripts for the next start."""
        if self._script_cache is not None:
            self._script_cache.save()

    def scripts_stamp(self) -> tuple[tuple[str, int, int, int], ...]:
        """What the user's scripts folder holds now: each ``.toml`` file's name, size, mtime
        and ctime (a ``stat`` each; any add, edit, rename or removal changes it)."""
        import os

        found: list[tuple[str, int, int, int]] = []
        try:
            with os.scandir(user_scripts_dir()) as entries:
                for entry in entries:
                    if not entry.name.endswith(".toml"):
                        continue
                    try:
                        info = entry.stat()
                    except OSError:
                        continue
                    found.append((entry.name, info.st_size, info.st_mtime_ns, info.st_ctime_ns))
        except OSError:
            pass  # no folder (yet): no scripts of one's own
        return tuple(sorted(found))

    def reload_library(self) -> Library:
        """Read the user's scripts folder again."""
        self._library = None
        return self.library

    # -- settings -----------------------------------------------------------------------------

    def update_settings(self, **changes: object) -> Settings:
        """Apply and persist changes (validated); returns the new settings.

        Raises:
            SettingsError: a value is out of range.
        """
        new = replace(self.settings, **changes)  # type: ignore[arg-type]
        notice = save_settings(new)  # a notice: the file there could not be read, set aside
        if notice:
            self.notices.append(notice)
        self.settings = new
        return new

    # -- sessions -----------------------------------------------------------------------------

    def request(self, script: Script, options: CompileOptions | None = None) -> SessionRequest:
        """A session request from the current settings (no sound: no speech engine either)."""
        from assistant.session import request_for

        opts = options or CompileOptions()
        return request_for(
            self.settings,
            script,
            minutes=opts.minutes,
            breaths=opts.breaths,
            no_holds=opts.no_holds,
            sound=self.sound,
        )

    def open_practice(
        self, script: Script, options: CompileOptions | None = None, *, before: int | None = None
    ) -> Practice:
        """Start playing ``script`` now (audio begins before this returns); its row goes into
        the practice log, opened (if not yet) once the sound has started.

        Args:
            script: what to play.
            options: length and the like.
            before: how tense the person said they were, 0–10 (None: not asked).

        Raises:
            LengthError: the options do not fit the script.
        """
        from assistant.session import MeterSettings, Practice

        return Practice.start(
            self.request(script, options),
            log=lambda: self.log,
            tension_before=before,
            meter=MeterSettings.of(self.settings),
            clock=self.clock,
        )

    def open_timer(self, options: TimerOptions, *, before: int | None = None) -> Practice:
        """Start a plain timer now with the settings' timer bell and ambient sound; its row
        goes into the practice log like any session's.

        Raises:
            TimerError: the options do not make a sitting.
        """
        from assistant.session import Practice, timer_request

        settings = self.settings
        return Practice.start(
            timer_request(
                settings,
                options,
                bell=settings.timer_bell,
                ambient=settings.timer_ambient,
                sound=self.sound,
            ),
            log=lambda: self.log,
            tension_before=before,
            clock=self.clock,
        )

    def voice_preview(self) -> VoicePreview:
        """A voice preview playing on this app's clock (the caller closes it)."""
        from assistant.session.preview import VoicePreview

        return VoicePreview(clock=self.clock)

    # -- practice log -------------------------------------------------------------------------

    @property
    def log(self) -> PracticeLog | None:
        """The practice log, opened on first use; None (with a notice) if it cannot be used."""
        from assistant.storage.log import LogError, PracticeLog

        if self._log is None:
            try:
                self._log = PracticeLog.open()
            except LogError as exc:
                self.notices.append(str(exc))
                return None
            if self._log.notice:
                self.notices.append(self._log.notice)
        return self._log

    @property
    def ladder(self) -> Ladder | None:
        """The exposure ladder (it lives in the practice log); None if the log cannot be used."""
        from assistant.storage.ladder import Ladder

        log = self.log
        return Ladder(log) if log is not None else None

    def close(self) -> None:
        """Close the log (and keep what was worked out about the scripts)."""
        self.save_script_cache()
        if self._log is not None:
            self._log.close()
            self._log = None


class _HasServices(Protocol):
    services: Services


def services_of(app: object) -> Services:
    """The app's services, typed (a screen knows its app only as a Textual ``App``)."""
    return cast(_HasServices, app).services


def ground_app(app: object) -> GroundApp:
    """The app as what it is (a screen knows it only as a Textual ``App``)."""
    return cast("GroundApp", app)
