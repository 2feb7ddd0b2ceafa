"""A session's one row in the practice log: written when it starts, finished (or not) once.

Every session counts, hotkey ones too. A log that cannot be used costs one line, never the
session; a session that never finishes (a crash, the terminal closed) stays in the log as
interrupted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assistant.session.live import Session
    from assistant.storage.log import PracticeLog

# The log (and sqlite3) is imported when a record starts, after the first sound: the hotkey's
# first cue never waits for it.


class SessionRecord:
    """The practice-log row of one session."""

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
    def open(cls, session: Session) -> SessionRecord:
        """Open the practice log for this one session and start its row (the CLI's way).

        Problems become notices on the session; the log is closed when the record finishes.
        """
        from assistant.storage.log import LogError, PracticeLog

        try:
            log = PracticeLog.open()
        except LogError as exc:
            session.notices.append(f"This session is not being saved: {exc}.")
            return cls(None, None, owns_log=False)
        if log.notice:
            session.notices.append(log.notice)
        return cls.start(session, log, owns_log=True)

    @classmethod
    def start(
        cls,
        session: Session,
        log: PracticeLog | None,
        *,
        tension_before: int | None = None,
        owns_log: bool = False,
    ) -> SessionRecord:
        """Start the row in an open log (None: nothing is recorded).

        Args:
            session: the session, already playing.
            log: the practice log; left open unless ``owns_log``.
            tension_before: 0–10, if the person rated it.
            owns_log: close ``log`` when the record finishes.
        """
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
        """The session was cut short (Ctrl-C): what was heard counts, breaths are not known."""
        return self.finish(practised_seconds, 0, completed=False)
