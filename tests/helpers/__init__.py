"""What tests share, by concern; test modules import from here, never from one another.

- ``scripts``: scripts written inline, fixed clip lengths (re-exported here).
- ``fakes``: test doubles used beside the real parts (re-exported here).
- ``paths``: the repository and its test data.
- ``cli``: the real ``ground`` command in a subprocess.
- ``practice_log``: log entries and a filled practice log.
- ``pilot``: the full-screen app driven with Textual's Pilot.
- ``tmux``: ``ground`` in a real terminal.
- ``pulse`` and ``onsets``: the private PulseAudio server, and where cues landed in a recording.
"""

from tests.helpers.fakes import FakeMeter
from tests.helpers.scripts import RATE, fixed_lengths, script_from

__all__ = ["RATE", "FakeMeter", "fixed_lengths", "script_from"]
