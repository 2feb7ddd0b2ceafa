"""``ground completion bash|zsh|fish``: shell completion generated from the argument parser.

The scripts are built from ``ground``'s argument parser itself, so a new command or
option completes without anyone remembering to add it here. Script and voice ids change with
what is installed, so the scripts ask ``ground _ids scripts|voices`` (a hidden command that loads
no user interface and no audio) at the moment of completing.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from dataclasses import dataclass, field

SHELLS = ("bash", "zsh", "fish")
ID_KINDS = ("scripts", "voices")
HIDDEN = "_ids"
"""The hidden command the completion scripts call for ids."""

# Which dynamic list a value completes from, by the metavar argparse shows for it.
_SCRIPT_METAVARS = {"SCRIPT", "ID"}
_VOICE_DESTS = {"voice"}


@dataclass
class Command:
    """One (sub)command as completion sees it: its options, their values, its positionals."""

    name: str
    help: str = ""
    flags: list[str] = field(default_factory=list)
    valued: dict[str, str] = field(default_factory=dict)
    """Option → what its value completes from: ``scripts``, ``voices``, ``files``, ``choice:a b``
    or ``""`` (free text)."""
    option_help: dict[str, str] = field(default_factory=dict)
    positional: str = ""
    """What the positional arguments complete from (as for ``valued``)."""
    children: list[Command] = field(default_factory=list)


def completion_command(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """Print the completion script for ``args.shell``, for ``ground``'s ``parser``.

    The parser comes from the caller, so this module never imports ``cli.main`` (which imports
    it): no import cycle.
    """
    tree = describe(parser)
    text = {"bash": bash_script, "zsh": zsh_script, "fish": fish_script}[args.shell](tree)
    sys.stdout.write(text)
    return 0


def ids_command(words: list[str]) -> int:
    """``ground _ids scripts|voices``: the ids, one a line (for the completion scripts).

    Returns:
        0, or 2 for anything but one known kind; a failure to list prints nothing (a
        completion offers nothing rather than an error in the middle of a command line).
    """
    if len(words) != 1 or words[0] not in ID_KINDS:
        print(f"ground: {HIDDEN} needs one of: {', '.join(ID_KINDS)}", file=sys.stderr)
        return 2
    for line in _ids(words[0]):
        if line.isprintable() and not line.startswith("-"):
            print(line)
    return 0


def _ids(kind: str) -> list[str]:
    try:
        if kind == "scripts":
            from assistant.core.library import load_library
            from assistant.storage.paths import user_scripts_dir

            return sorted(load_library(user_scripts_dir()).scripts)
        from assistant.session import voices_of

        seen: dict[str, None] = {}
        groups, _ = voices_of()
        for group in groups:
            seen.update((voice.id, None) for voice in group.voices)
        return list(seen)
    except Exception:  # noqa: BLE001 - completion offers nothing rather than an error mid-line
        return []


def describe(parser: argparse.ArgumentParser, name: str = "ground", text: str = "") -> Command:
    """The completion view of ``parser`` and its subcommands (hidden ones left out)."""
    command = Command(name, text)
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            shown = {a.dest: a.help or "" for a in action._choices_actions}
            for child_name, child in action.choices.items():
                if child_name in shown:
                    command.children.append(describe(child, child_name, shown[child_name]))
            continue
        if action.help == argparse.SUPPRESS:
            continue
        if not action.option_strings:
            command.positional = _source(action)
            continue
        for flag in action.option_strings:
            command.flags.append(flag)
            command.option_help[flag] = (action.help or "").replace("%%", "%")
            if action.nargs != 0:
                command.valued[flag] = _source(action)
    return command


def _source(action: argparse.Action) -> str:
    if action.choices is not None:
        return "choice:" + " ".join(map(str, action.choices))
    metavar = str(action.metavar or action.dest).upper()
    if action.dest in _VOICE_DESTS:
        return "voices"
    if metavar in _SCRIPT_METAVARS:
        return "scripts"
    if "." in metavar or metavar in {"PATH", "FILE", "OUT"}:
        return "files"
    return ""


def _walk(command: Command, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Command]]:
    found = [(path, command)]
    for child in command.children:
        found += _walk(child, (*path, child.name))
    return found


def _bash_words(source: str) -> str:
    """The bash expression that fills COMPREPLY for one value source."""
    if source.startswith("choice:"):
        words = shlex.quote(source.removeprefix("choice:"))
        return f'COMPREPLY=($(compgen -W {words} -- "$cur"))'
    if source in ID_KINDS:
        return f"_ground_ids {source}"
    if source == "files":
        return "_ground_files"
    return "COMPREPLY=()"


# Ids and file names are data: ``compgen -W "$(…)"`` would expand a voice file named
# ``$(touch x).onnx`` (command substitution runs), and an unquoted ``$(compgen -f)`` splits and
# globs names. These read one name a line into COMPREPLY as it is; an id is offered quoted
# (``%q``) and a file name is quoted by readline (``-o filenames``), so a name is never run,
# neither here nor when the completed command line is entered.
_BASH_HELPERS = """\
_ground_ids() {
    local line quoted
    COMPREPLY=()
    while IFS= read -r line; do
        [[ "$line" == "$cur"* ]] || continue
        printf -v quoted '%q' "$line"
        COMPREPLY+=("$quoted")
    done < <(command ground _ids "$1" 2>/dev/null)
}
_ground_files() {
    local line
    COMPREPLY=()
    compopt -o filenames 2>/dev/null
    while IFS= read -r line; do
        COMPREPLY+=("$line")
    done < <(compgen -f -- "$cur")
}"""


def _key(path: tuple[str, ...]) -> str:
    """``/ladder/add``: where the words typed so far lead (``""`` for ``ground`` itself)."""
    return "/".join(("", *path))


def bash_script(tree: Command) -> str:
    """A bash completion script: ``source <(ground completion bash)``."""
    lines = [
        "# bash completion for ground (generated by `ground completion bash`)",
        _BASH_HELPERS,
        "_ground() {",
        *_bash_path(tree),
        *_bash_values(tree),
        *_bash_flags(tree),
        *_bash_positionals(tree),
        "}",
        "complete -F _ground ground",
        "",
    ]
    return "\n".join(lines)


def _bash_path(tree: Command) -> list[str]:
    """Follow the words typed so far to the (sub)command they name: ``$at`` (``$path`` is
    zsh's PATH)."""
    valued = sorted({flag for _, c in _walk(tree) for flag in c.valued})
    lines = [
        '    local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}"',
        '    local at="" word i',
        "    COMPREPLY=()",
        "    for ((i = 1; i < COMP_CWORD; i++)); do",
        '        word="${COMP_WORDS[i]}"',
        '        case "$word" in -*) continue ;; esac',
        '        case "${COMP_WORDS[i-1]}" in',
        f"            {'|'.join(valued)}) continue ;;",
        "        esac",
        '        case "$at/$word" in',
    ]
    for path, command in _walk(tree):
        for child in command.children:
            lines.append(
                f'            {"/".join(("", *path, child.name))}) at="$at/{child.name}" ;;'
            )
    return [*lines, "        esac", "    done"]


def _bash_values(tree: Command) -> list[str]:
    """An option's value, after the option."""
    lines = ['    case "$at $prev" in']
    for path, command in _walk(tree):
        for flag, source in command.valued.items():
            lines.append(
                f'        "{"/".join(("", *path))} {flag}") {_bash_words(source)}; return ;;'
            )
    return [*lines, "    esac"]


def _bash_flags(tree: Command) -> list[str]:
    """The options of the command typed so far, for a word starting with ``-``."""
    lines = ['    if [[ "$cur" == -* ]]; then', '        case "$at" in']
    for path, command in _walk(tree):
        flags = shlex.quote(" ".join(command.flags))
        lines.append(f'            "{_key(path)}") COMPREPLY=($(compgen -W {flags} -- "$cur")) ;;')
    return [*lines, "        esac", "        return", "    fi"]


def _bash_positionals(tree: Command) -> list[str]:
    """Subcommands, or what a command's positional arguments complete from."""
    lines = ['    case "$at" in']
    for path, command in _walk(tree):
        key = _key(path)
        if command.children:
            names = " ".join(child.name for child in command.children)
            lines.append(
                f'        "{key}") COMPREPLY=($(compgen -W {shlex.quote(names)} -- "$cur")) ;;'
            )
        elif command.positional:
            lines.append(f'        "{key}") {_bash_words(command.positional)} ;;')
    return [*lines, "    esac"]


def zsh_script(tree: Command) -> str:
    """A zsh completion script (bash's, through zsh's own bashcompinit)."""
    return (
        "# zsh completion for ground (generated by `ground completion zsh`)\n"
        "# Add `source <(ground completion zsh)` to ~/.zshrc, after compinit.\n"
        "autoload -U +X bashcompinit && bashcompinit\n" + bash_script(tree).split("\n", 1)[1]
    )


def _fish_quote(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _fish_values(source: str) -> str:
    if source.startswith("choice:"):
        return f" -x -a {_fish_quote(source.removeprefix('choice:'))}"
    if source in ID_KINDS:
        return f" -x -a {_fish_quote(f'(command ground {HIDDEN} {source} 2>/dev/null)')}"
    if source == "files":
        return " -r -F"
    return " -x"


def fish_script(tree: Command) -> str:
    """A fish completion script (for ``~/.config/fish/completions/ground.fish``)."""
    lines = [
        "# fish completion for ground (generated by `ground completion fish`)",
        "complete -c ground -f",
    ]
    for path, command in _walk(tree):
        if not path:
            condition = "__fish_use_subcommand"
        elif len(path) == 1:
            condition = f"__fish_seen_subcommand_from {path[0]}"
            if command.children:
                names = " ".join(child.name for child in command.children)
                condition += f"; and not __fish_seen_subcommand_from {names}"
        else:
            condition = (
                f"__fish_seen_subcommand_from {path[0]}; and __fish_seen_subcommand_from {path[-1]}"
            )
        for child in command.children:
            lines.append(
                f"complete -c ground -n {_fish_quote(condition)} -a {child.name} "
                f"-d {_fish_quote(child.help)}"
            )
        for flag in command.flags:
            if flag.startswith("--"):
                spec = f"-l {flag[2:]}"
            elif len(flag) == 2:
                spec = f"-s {flag[1]}"
            else:
                spec = f"-o {flag[1:]}"
            values = _fish_values(command.valued[flag]) if flag in command.valued else ""
            lines.append(
                f"complete -c ground -n {_fish_quote(condition)} {spec}{values} "
                f"-d {_fish_quote(command.option_help[flag])}"
            )
        if command.positional and not command.children and path:
            lines.append(
                f"complete -c ground -n {_fish_quote(condition)}{_fish_values(command.positional)}"
            )
    return "\n".join(lines) + "\n"
