"""The man page: generated from the parser, committed as man/ground.1, valid roff."""

from __future__ import annotations

import shutil
import subprocess

from assistant import __version__
from assistant.cli.main import build_parser
from assistant.cli.manpage import escape, manpage
from tests.helpers.paths import REPO


def test_committed_man_page_is_up_to_date() -> None:
    committed = (REPO / "man" / "ground.1").read_text(encoding="utf-8")
    assert committed == manpage(build_parser(), __version__), (
        "man/ground.1 is out of date: run `make man` and commit it"
    )


def test_every_visible_command_and_option_is_on_the_page() -> None:
    page = manpage(build_parser(), __version__)
    for name in ("now", "play", "render", "hotkey", "completion", "ladder add", "log"):
        assert f".SS ground {name}\n" in page
    assert "\\fB\\-\\-no\\-holds\\fR" in page
    assert "\\fB\\-\\-csv\\fR" in page
    assert "_ids" not in page  # the completion helper stays hidden


def test_escape_makes_text_literal() -> None:
    assert escape(".hidden -x \\n") == "\\&.hidden \\-x \\en"
    assert escape("0–1") == "0\\[u2013]1"


def test_groff_reads_it_without_a_warning() -> None:
    groff = shutil.which("groff")
    assert groff is not None, "groff is needed to check the man page (apt install groff-base)"
    done = subprocess.run(
        [groff, "-man", "-Tutf8", "-ww", "-z", str(REPO / "man" / "ground.1")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0
    assert done.stderr == ""
