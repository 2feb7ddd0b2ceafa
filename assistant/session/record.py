"""A session's one row in the practice log: written when it starts, finished (or not) once.

Every session counts, hotkey ones too. A log that cannot be used costs one line, never the
session; a session that never finishes (a crash, the terminal closed) stays in the log as
interrupted.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Final, TypeAlias

if TYPE_CHECKING:
    from assistant.session.live import Session
    from assistant.storage.log import PracticeLog

# The log (and sqlite3) is imported when a record starts, after the first sound: the hotkey's
# first cue never waits for it.


class OpenLog:
    """The kind of :data:`OPEN_LOG`: open the practice log for one session, close it after."""

    def __repr__(self) -> str:
        return "OPEN_LOG"


#: Open the practice log for this one session and close it once its row is finished (the
#: command line's way: a ``ground play`` is one session).
OPEN_LOG: Final = OpenLog()

#: Where a session's row goes: an open practice log (left open), a function that gives one
#: once the sound has started (the app's log, opened on first use), :data:`OPEN_LOG`, or None
#: for no row at all.
LogSource: TypeAlias = "PracticeLog | Callable[[], PracticeLog | None] | OpenLog | None"


class SessionRecord:
    """The practice-log row of one session; :meth:`start` makes one."""

    def __init__(
        self,
        log: PracticeLog | None,
        ident: int | None,
        *,
        owns_log: bool,
        session: Session | None = None,
    ) -> None:
        self._log = log
        self._ident = ident
        self._owns_log = owns_log
        self._session = session

    @classmethod
    def start(
        cls, session: Session, log: LogSource, *, tension_before: int | None = None
    ) -> SessionRecord:
        """Start the session's row (call it once the sound has started).

        Problems become notices on the session: the session plays on, unsaved.

        Args:
            session: the session, already playing.
            log: where the row goes (see :data:`LogSource`).
            tension_before: 0–10, if the person rated it.
        """
        owns_log = isinstance(log, OpenLog)
        if isinstance(log, OpenLog):
            from assistant.storage.log import LogError, PracticeLog

            try:
                log = PracticeLog.open()
            except LogError as exc:
                session.notices.append(f"This session is not being saved: {exc}.")
                return cls(None, None, owns_log=False)
            if log.notice:
                session.notices.append(log.notice)
        elif callable(log):
            log = log()
        if log is None:
            return cls(None, None, owns_log=False)
        from assistant.storage.log import LogError

        script = session.request.script
        try:
            ident = log.start_session(
                script.id, script.title, session.planned_seconds(), tension_before=tension_before
            )
        except (LogError, ValueError) as exc:
            session.notices.append(f"This session is not being saved: {exc}.")
            if owns_log:
                log.close()
            return cls(None, None, owns_log=False)
        return cls(log, ident, owns_log=owns_log, session=session)

    def finish(
        self,
        practised_seconds: float,
        breaths: int,
        *,
        completed: bool,
        tension_after: int | None = None,
        note: str | None = None,
    ) -> str | None:
        """Write how the session ended (only the first call counts).

        The planned length is written again: with a cold cache the session started on its
        first step's timeline, and only now is its whole length known.

        Returns:
            A line to show when it could not be saved, else None.
        """
        log, self._log = self._log, None
        if log is None or self._ident is None:
            return None
        from assistant.storage.log import LogError

        try:
            log.finish_session(
                self._ident,
                practised_seconds,
                breaths,
                completed,
                tension_after=tension_after,
                note=note,
                planned_seconds=self._session.planned_seconds() if self._session else None,
            )
        except (LogError, ValueError) as exc:
            return f"this session could not be saved ({exc})"
        finally:
            if self._owns_log:
                log.close()
        return None

    def interrupted(self, practised_seconds: float) -> str | None:
        """The session was cut short (Ctrl-C, the terminal closed): what was heard counts, the
        breaths are not counted."""
        return self.finish(practised_seconds, 0, completed=False)
