"""One bound on session length, whichever way it is asked for."""

from __future__ import annotations

import pytest

from assistant.core.compiler import CompileOptions, LengthError, compile_timeline
from assistant.core.library import shipped_script
from tests.helpers import fixed_lengths
from tests.helpers.cli import ground


@pytest.mark.parametrize("breaths", ["99999999999999999999", "1000", "10" * 3000, "²"])
def test_absurd_breaths_are_refused_at_once(breaths: str) -> None:
    # Before: 99999999999999999999 grew memory ~65 MB/s without end; 1000 gave 267 minutes.
    done = ground("render", "box", "--breaths", breaths, "-o", "/tmp/never.wav", timeout=20)
    assert done.returncode == 2, done.stderr
    message = done.stderr.splitlines()[-1]  # after argparse's usage line, for a bad argument
    assert message.startswith("ground"), done.stderr
    assert any(w in message for w in ("breaths", "whole number", "too large")), message


def test_the_breath_limit_matches_the_minute_limit() -> None:
    box = shipped_script("box")
    with pytest.raises(LengthError, match=r"more than 120 minutes.*fits at most (\d+) breaths"):
        compile_timeline(box, fixed_lengths(), CompileOptions(breaths=1000))
    longest = compile_timeline(box, fixed_lengths(), CompileOptions(minutes=120))
    assert compile_timeline(box, fixed_lengths(), CompileOptions(breaths=longest.breaths - 5))
