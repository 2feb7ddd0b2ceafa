"""`ground completion bash|zsh|fish`, the hidden `ground _ids`, and `ground --version`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from assistant import __version__
from tests.helpers.cli import bash, complete, ground


def test_bash_completion_loads_in_bash() -> None:
    done = bash("source <(ground completion bash); complete -p ground")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "complete -F _ground ground"
    assert done.stderr == ""


def test_bash_completes_commands_options_and_choices() -> None:
    assert complete("ground pl") == ["play"]
    assert "hotkey" in complete("ground ")
    assert {"panic", "help", "contacts", "holds"} <= set(complete("ground "))
    assert complete("ground holds ") == ["on", "off", "ask"]
    assert complete("ground contacts ") == ["add", "remove"]
    assert complete("ground play box --hol") == ["--holds"]
    assert "_ids" not in complete("ground ")  # the helper stays hidden
    assert complete("ground play box --en") == ["--engine"]
    assert complete("ground play box --engine e") == ["espeak"]
    assert complete("ground ladder ") == [
        "list",
        "add",
        "attempt",
        "ready",
        "rehearse",
        "move",
        "sort",
        "archive",
    ]
    assert sorted(complete("ground ladder add --s")) == ["--safety", "--suds"]
    assert complete("ground completion ") == ["bash", "zsh", "fish"]
    assert complete("ground --ver") == ["--version"]


def test_bash_completes_script_ids_and_voice_ids(ground_home: Path) -> None:
    assert complete("ground play res") == ["resonance", "resonance-4-6"]
    assert complete("ground render box --minutes 3 --voice en_US-j") == ["en_US-joe-medium"]
    assert "gmw/en" in complete("ground play box --voice gmw/en")  # espeak-ng's


HOSTILE = "$(touch${IFS}ran)"


def test_tab_after_voice_runs_nothing_from_voice_file_names(
    ground_home: Path, tmp_path: Path
) -> None:
    voices = ground_home / "data" / "voices"
    voices.mkdir(parents=True)
    (voices / f"{HOSTILE}.onnx").write_bytes(b"")
    (voices / f"{HOSTILE}.onnx.json").write_text("{}")
    assert HOSTILE in ground("_ids", "voices").stdout.splitlines()  # listed as it is named
    offered = complete("ground play box --voice ", cwd=tmp_path)
    assert not (tmp_path / "ran").exists()  # before: compgen -W ran the $(…) in the name
    assert r"\$\(touch\$\{IFS\}ran\)" in offered  # offered as text, quoted for the line
    assert "en_US-joe-medium" in offered and "gmw/en" in offered  # plain ids stay plain
    assert complete("ground play box --voice '$(to", cwd=tmp_path) == []
    assert not (tmp_path / "ran").exists()


def test_file_names_are_offered_whole(tmp_path: Path) -> None:
    (tmp_path / "rec one.wav").write_bytes(b"")
    (tmp_path / f"{HOSTILE}.wav").write_bytes(b"")
    offered = complete(f"ground breath {tmp_path}/", cwd=tmp_path)
    # before: split at the space ("…/rec" and "one.wav")
    assert sorted(offered) == sorted([f"{tmp_path}/rec one.wav", f"{tmp_path}/{HOSTILE}.wav"])
    assert not (tmp_path / "ran").exists()


def test_no_shell_expands_a_listed_name() -> None:
    for shell in ("bash", "zsh"):
        text = ground("completion", shell).stdout
        assert 'compgen -W "$(' not in text  # compgen -W expands its word list
        assert "COMPREPLY=($(compgen -f" not in text  # unquoted: split and globbed
        assert "local path" not in text  # zsh's $path is its PATH: every command was lost


def test_a_value_is_not_taken_for_a_command() -> None:
    # "now" after --script is breath's value, not a command: breath's options still complete.
    assert "--json" in complete("ground breath --script now --")


def test_bash_completes_file_names_for_files(tmp_path: Path) -> None:
    (tmp_path / "rec-one.wav").write_bytes(b"")
    assert complete(f"ground breath {tmp_path}/rec") == [f"{tmp_path}/rec-one.wav"]
    assert complete(f"ground render box -o {tmp_path}/rec") == [f"{tmp_path}/rec-one.wav"]


def test_ids_lists_scripts_one_a_line() -> None:
    done = ground("_ids", "scripts")
    assert done.returncode == 0
    assert {"now", "box", "resonance"} <= set(done.stdout.split())


def test_ids_is_absent_from_help_and_usage() -> None:
    assert "_ids" not in ground("--help").stdout
    unknown = ground("foo")
    assert unknown.returncode == 2
    assert "'completion'" in unknown.stderr and "_ids" not in unknown.stderr
    wrong = ground("_ids", "nope")
    assert (wrong.returncode, wrong.stderr) == (2, "ground: _ids needs one of: scripts, voices\n")


def test_fish_script_has_commands_options_and_dynamic_ids() -> None:
    done = ground("completion", "fish")
    assert done.returncode == 0
    text = done.stdout
    assert (
        "complete -c ground -n '__fish_use_subcommand' -a now -d 'a quick reset for a hard moment"
        in text
    )
    assert (
        "complete -c ground -n '__fish_seen_subcommand_from play' -l voice -x "
        "-a '(command ground _ids voices 2>/dev/null)'" in text
    )
    assert "-n '__fish_seen_subcommand_from play' -x -a '(command ground _ids scripts" in text
    assert "-l engine -x -a 'auto system espeak piper none'" in text


def test_zsh_script_uses_bashcompinit() -> None:
    text = ground("completion", "zsh").stdout
    assert text.splitlines()[2] == "autoload -U +X bashcompinit && bashcompinit"
    assert "complete -F _ground ground" in text


def test_completion_loads_no_textual_and_no_numpy() -> None:
    probe = (
        "import sys, io, contextlib\n"
        "from assistant.cli.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    assert main(['completion', 'bash']) == 0\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'numpy')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.stdout.strip() == "[]", done.stderr


def test_version() -> None:
    done = ground("--version")
    assert done.returncode == 0
    assert done.stdout.strip() == f"ground {__version__}"
