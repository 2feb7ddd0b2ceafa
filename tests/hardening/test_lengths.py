"""One bound on session length, whichever way it is asked for."""

from __future__ import annotations

from pathlib import Path

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


HEAD = 'title = "Long"\nsummary = "Very long."\ncategory = "breathe"\n\n'


def long_scripts(folder: Path) -> dict[str, Path]:
    """Valid scripts in every other respect, far past the longest session."""
    pauses = HEAD + '[[step]]\nsay = "Settle in."\n\n' + "[[step]]\npause=120\n" * 12_500
    block = "[[step]]\nbreathe = 'Slow'\ninhale = 20\nhold = 30\nexhale = 30\ncycles = 600\n\n"
    words = '[[step]]\nsay = "' + " ".join(["calm"] * 79) + '"\n\n'
    variants = {
        "pauses": pauses,  # 247 KB, 25,000 minutes: the one found in #23
        "breathing": HEAD + block * 23,  # 3 KB, 26,000 minutes
        "words": HEAD + words * 600,  # 79 words a step: over 2.5 hours even at 300 a minute
        "no-holds": HEAD  # fits with the holds; the no-holds steps alone are 125 minutes
        + "[[step]]\nbreathe = 'B'\ninhale = 4\nhold = 4\nexhale = 4\ncycles = 100\n\n"
        + "[[step]]\npause = 100\nwhen = 'no-holds'\n\n" * 75,
    }
    paths = {}
    for name, text in variants.items():
        paths[name] = folder / f"{name}.toml"
        paths[name].write_text(text)
    assert paths["pauses"].stat().st_size > 230_000
    return paths


@pytest.mark.parametrize("variant", ["pauses", "breathing", "words", "no-holds"])
def test_a_script_past_the_longest_session_is_refused_by_check_and_render(
    tmp_path: Path, variant: str
) -> None:
    path = long_scripts(tmp_path)[variant]
    checked = ground("check", str(path), timeout=60)
    assert checked.returncode == 2, checked.stdout  # before: "ok — Long, 25000:00 long"
    (line,) = [s for s in checked.stdout.splitlines() if "longest session" in s]
    assert line.startswith(f"{path}:") and "longer" in line and "120 minutes" in line
    rendered = ground("render", str(path), "-o", str(tmp_path / "out.wav"), timeout=60)
    # before: MemoryError, an empty "something went wrong", exit 1
    assert rendered.returncode == 2, rendered.stderr
    assert rendered.stderr == f"ground: {line}\n"
    assert not (tmp_path / "out.wav").exists()


def test_a_script_of_almost_two_hours_still_loads(tmp_path: Path) -> None:
    path = tmp_path / "fits.toml"
    path.write_text(HEAD + "[[step]]\npause = 120\n\n" * 59 + '[[step]]\nsay = "Done."\n')
    checked = ground("check", str(path))
    assert checked.returncode == 0, checked.stdout
    assert "ok — Long" in checked.stdout
