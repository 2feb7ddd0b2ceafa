"""The time left a session shows: from its planned length, and never a jump up.

A cold cache opens on a plan with the unrendered speech estimated; the real length is known
only once the rest has rendered. The difference is absorbed over the stretch that follows (the
shown clock runs slower, at least at half speed, or faster) instead of being shown as a jump, and
the shown time left is the real one again at the latest when the session ends.
"""

from __future__ import annotations

#: While absorbing a longer real length, the shown clock runs at least this fast (seconds shown
#: per second heard): it never stands still, and the correction takes at most twice its size.
SLOWEST = 0.5


class Countdown:
    """Frames left to show for a session whose length may change once (or more) while it plays.

    Args:
        total: the planned length in frames, shown from the start.
    """

    def __init__(self, total: int) -> None:
        self._total = total
        self._from = 0  # the frame where the correction under way began
        self._correction = 0  # frames the shown time left lags the real one, at ``_from``
        self._span = 0  # frames over which the correction shrinks to nothing
        self._last: int | None = None

    def left(self, frame: int, total: int) -> int:
        """Frames left to show at ``frame`` when the session is now ``total`` frames long.

        Never more than the last answer (frames only move forward: skips and plays), and 0
        exactly when ``frame`` reaches ``total``.
        """
        if total != self._total:
            shown = self._shown(frame)
            real = max(0, total - frame)
            self._total, self._from, self._correction = total, frame, real - shown
            size = abs(self._correction)
            # Within what is left, and quick enough: a longer real length is absorbed with the
            # shown clock at SLOWEST speed or faster, a shorter one at 1 + 1/2 or faster.
            self._span = min(real, round(size / (1 - SLOWEST)))
        shown = self._shown(frame)
        if self._last is not None:
            shown = min(shown, self._last)
        self._last = shown
        return shown

    def _shown(self, frame: int) -> int:
        real = max(0, self._total - frame)
        if self._span <= 0 or frame >= self._from + self._span:
            return real
        remaining = 1 - (frame - self._from) / self._span
        return max(0, round(real - self._correction * remaining))
