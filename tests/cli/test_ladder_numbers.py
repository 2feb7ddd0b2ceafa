"""A ladder step's number is the same in every view (`list`, `list --all`, `--json`) and is the
one `attempt`, `ready` and `move` take; a step put away has none."""

from __future__ import annotations

import json
import re

import pytest

from assistant.cli.main import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(["ladder", *args]) == 0
    return capsys.readouterr().out


def numbers(text: str) -> dict[str, str]:
    """Title → the mark in front of it, from a text listing."""
    found = {}
    for line in text.splitlines():
        row = re.match(r"\s*(\d+\.|-)\s+(.+?)\s{2,}\d+\s", line)
        if row:
            found[row[2]] = row[1].rstrip(".")
    return found


def test_numbers_agree_in_every_view_and_with_the_commands(
    capsys: pytest.CaptureFixture[str],
) -> None:
    for title, suds in [("say hello", "20"), ("phone the GP", "45"), ("go to a party", "85")]:
        run(capsys, "add", title, "--suds", suds)
    run(capsys, "archive", "phone the GP")  # the middle step
    plain = numbers(run(capsys, "list"))
    every = numbers(run(capsys, "list", "--all"))
    assert plain == {"say hello": "1", "go to a party": "2"}
    assert every == {**plain, "phone the GP": "-"}  # put away: listed, never numbered
    listing = json.loads(run(capsys, "list", "--json", "--all"))["steps"]
    assert {s["title"]: s["number"] for s in listing} == {
        "say hello": 1,
        "go to a party": 2,
        "phone the GP": None,
    }
    noted = run(capsys, "attempt", "2", "--before", "50", "--after", "30")
    assert noted.startswith("Noted: go to a party,")  # number 2 in every view is this step
    moved = run(capsys, "move", "2", "--to", "1")
    assert "“go to a party” to number 1" in moved
    assert numbers(run(capsys, "list", "--all")) == {
        "go to a party": "1",
        "say hello": "2",
        "phone the GP": "-",
    }
