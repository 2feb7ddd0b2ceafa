"""``ground``: argument parsing, exit codes, and the one place errors become plain lines.

Exit codes: 0 done, 1 runtime failure, 2 bad input or usage, 130 interrupted. Heavy modules
(numpy, sounddevice, textual, pyttsx3) are imported inside the commands that need them, so
``ground now`` starts in the time it takes Python to start plus the audio stack.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence

from assistant import __version__
from assistant.cli import interrupt
from assistant.cli.errors import EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError
from assistant.core.model import ENGINE_NAMES, MINUTES_RANGE
from assistant.core.safe import one_line


def _minutes(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of minutes") from None
    low, high = MINUTES_RANGE
    if not low <= value <= high:  # also refuses nan and inf
        raise argparse.ArgumentTypeError(f"minutes must be between {low:g} and {high:g}")
    return value


def _positive_int(text: str) -> int:
    # isascii: "²" is a digit to isdigit() but not to int(); int() refuses 4,300 digits.
    if text.isascii() and text.isdigit() and len(text) > 18:
        raise argparse.ArgumentTypeError(f"'{text[:24]}…' is far too large")
    if not (text.isascii() and text.isdigit()) or int(text) < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number above 0")
    return int(text)


def _pace(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number") from None
    if not 0.8 <= value <= 1.25:
        raise argparse.ArgumentTypeError("pace must be between 0.8 (quicker) and 1.25 (slower)")
    return value


def _rate(text: str) -> int:
    if not (text.isascii() and text.isdigit()) or not 80 <= int(text) <= 300:
        raise argparse.ArgumentTypeError("rate is words per minute, between 80 and 300")
    return int(text)


def _volume(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number") from None
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError("volume must be between 0 and 1")
    return value


def _meter_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--meter",
        action="store_true",
        help="show the microphone breath meter (audio stays in memory)",
    )
    parser.add_argument("--input-device", metavar="D", help="microphone name or number")


def _session_options(parser: argparse.ArgumentParser, *, live: bool) -> None:
    length = parser.add_mutually_exclusive_group()
    length.add_argument("--minutes", type=_minutes, metavar="M", help="session length in minutes")
    length.add_argument("--breaths", type=_positive_int, metavar="N", help="number of breaths")
    parser.add_argument("--no-holds", action="store_true", help="leave out every breath hold")
    parser.add_argument(
        "--pace", type=_pace, metavar="P", help="scale breathing phases: 1.25 slower, 0.8 quicker"
    )
    parser.add_argument(
        "--engine",
        choices=ENGINE_NAMES,
        help="speech engine (default: the one in your settings; auto at first: the most natural)",
    )
    parser.add_argument(
        "--voice",
        metavar="V",
        help="voice id (`ground voices` lists them) or a Piper model, PATH.onnx",
    )
    parser.add_argument("--rate", type=_rate, metavar="R", help="speaking rate, words per minute")
    parser.add_argument("--no-voice", action="store_true", help="tones only: no spoken words")
    parser.add_argument("--no-tones", action="store_true", help="no phase tones")
    if live:
        _meter_options(parser)
        parser.add_argument(
            "--no-audio", action="store_true", help="no sound at all: captions and the pacer only"
        )
        parser.add_argument("--device", metavar="D", help="output device name or number")
        parser.add_argument("--volume", type=_volume, metavar="V", help="volume 0–1")


NOW_HELP = "a one-minute reset, right now (for a hotkey)"


def _now_options(now: argparse.ArgumentParser) -> argparse.ArgumentParser:
    now.add_argument("--minutes", type=_minutes, metavar="M", help="length in minutes")
    now.add_argument("--no-audio", action="store_true", help="captions and pacer only")
    _meter_options(now)
    return now


def now_parser() -> argparse.ArgumentParser:
    """``ground now`` alone: the hotkey does not build the parsers of every other command
    (≈ 10 ms); its usage and errors read exactly as through :func:`build_parser`."""
    parser = argparse.ArgumentParser(prog="ground now", description=NOW_HELP)
    _now_options(parser).set_defaults(command="now")
    return parser


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    from assistant.cli.help_text import GroundParser

    parser = GroundParser(
        prog="ground",
        description="Voice-guided breathing and grounding in your terminal. "
        "Run with no command for the full-screen app.",
    )
    parser.add_argument("--version", action="version", version=f"ground {__version__}")
    # Subcommands' own help stays short: the file list is the top-level help's.
    sub = parser.add_subparsers(
        dest="command", metavar="COMMAND", parser_class=argparse.ArgumentParser
    )

    _now_options(sub.add_parser("now", help=NOW_HELP))

    listing = sub.add_parser("list", help="the scripts you can play")
    listing.add_argument("--json", action="store_true", help="machine-readable output")

    play = sub.add_parser("play", help="play a script without the full-screen app")
    play.add_argument("script", metavar="SCRIPT", help="a script id (see `ground list`) or a .toml")
    _session_options(play, live=True)

    render = sub.add_parser(
        "render", help="export a session as an audio file (.wav, .flac, .ogg, .opus, .mp3)"
    )
    render.add_argument("script", metavar="SCRIPT", help="a script id or a .toml file")
    render.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="OUT",
        help="file to write; its suffix picks the format",
    )
    render.add_argument("--timeline", metavar="OUT.json", help="also write every event as JSON")
    _session_options(render, live=False)

    check = sub.add_parser("check", help="validate script files (file:line: message)")
    check.add_argument("paths", nargs="+", metavar="PATH", help="script files or folders")

    sub.add_parser("doctor", help="what works on this machine, and what to install")

    breath = sub.add_parser("breath", help="find the breaths in a recording (WAV)")
    breath.add_argument("file", metavar="FILE.wav", help="a WAV recording (8–32-bit PCM)")
    breath.add_argument("--json", action="store_true", help="machine-readable output")
    breath.add_argument("--script", metavar="ID", help="compare with this script's pace")

    log = sub.add_parser("log", help="your practice so far, newest first")
    log.add_argument("--json", action="store_true", help="machine-readable output")
    log.add_argument(
        "--limit", type=_positive_int, metavar="N", help="show at most N sessions (default 50)"
    )
    log.add_argument("--all", action="store_true", help="show every session")
    moving = log.add_mutually_exclusive_group()
    moving.add_argument(
        "--csv",
        nargs="?",
        const="-",
        metavar="FILE.csv",
        help="the sessions as CSV for a spreadsheet: to the screen, or to FILE (only you can read)",
    )
    moving.add_argument(
        "--export",
        metavar="FILE.json",
        help="write your practice log and ladder to one file (readable only by you; "
        "- for standard output)",
    )
    moving.add_argument(
        "--import",
        dest="import_file",
        metavar="FILE.json",
        help="merge an export back in (nothing is added twice)",
    )

    ladder = sub.add_parser(
        "ladder",
        help="your exposure ladder: small social steps",
        description="Your exposure ladder: small social steps, each rated by how hard it feels "
        "from 0 to 100 (SUDS, subjective units of distress: 0 calm, 100 the most distress you "
        "can imagine). Work up one step at a time; nothing here is a test.",
    )
    steps = ladder.add_subparsers(dest="ladder_command", metavar="ACTION")
    listing = steps.add_parser("list", help="the steps, easiest first, with how they went")
    listing.add_argument("--json", action="store_true", help="machine-readable output")
    listing.add_argument("--all", action="store_true", help="include put-away steps")
    add = steps.add_parser("add", help="add a step at the top of the ladder")
    add.add_argument(
        "title", metavar="TITLE", help='what the step is, e.g. "say hello to a neighbour"'
    )
    add.add_argument(
        "--suds",
        type=_suds,
        required=True,
        metavar="N",
        help="how hard it feels, 0–100 (SUDS: 0 calm, 100 the most distress you can imagine)",
    )
    add.add_argument(
        "--safety",
        action="append",
        default=[],
        metavar="TEXT",
        help="a safety behaviour to drop (repeat for more)",
    )
    attempt = steps.add_parser("attempt", help="note how a step went")
    attempt.add_argument(
        "step", metavar="STEP", help="its number in `ground ladder list`, or its title"
    )
    attempt.add_argument(
        "--before",
        type=_suds,
        required=True,
        metavar="N",
        help="how hard it felt just before, 0–100",
    )
    attempt.add_argument(
        "--after", type=_suds, required=True, metavar="N", help="how hard it felt just after, 0–100"
    )
    attempt.add_argument(
        "--peak", type=_suds, metavar="N", help="how hard it felt at its hardest, 0–100"
    )
    attempt.add_argument("--predicted", metavar="TEXT", help="what you feared would happen")
    attempt.add_argument("--happened", metavar="TEXT", help="what actually happened")
    attempt.add_argument("--did-well", metavar="TEXT", help="one thing you did well")
    attempt.add_argument("--note", metavar="TEXT", help="anything else")
    ready = steps.add_parser("ready", help="two minutes of grounding before a step, naming it")
    ready.add_argument(
        "step", metavar="STEP", help="its number in `ground ladder list`, or its title"
    )
    _session_options(ready, live=True)
    move = steps.add_parser("move", help="move a step to another place on the ladder")
    move.add_argument("step", metavar="STEP", help="its number or title")
    move.add_argument("--to", type=_positive_int, required=True, metavar="N", help="its new number")
    steps.add_parser("sort", help="order the steps from the easiest to the hardest")
    put_away = steps.add_parser("archive", help="put a step away (its attempts are kept)")
    put_away.add_argument("step", metavar="STEP", help="its number or title")
    _remind_parser(sub)
    _voice_parsers(sub)
    from assistant.cli import cache_command

    cache_command.add_parser(sub)
    _tool_parsers(sub)
    return parser


def _tool_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``ground hotkey`` and ``ground completion`` (their code is imported only when they run:
    ``assistant.cli.hotkey_command``, ``assistant.cli.completion_command``)."""
    hotkey = sub.add_parser(
        "hotkey",
        help="set up a keyboard shortcut that starts `ground now` in a small terminal",
        description="Adds a shortcut for the one-minute reset to your desktop (GNOME and other "
        "gsettings desktops, KDE Plasma, sway, i3, Hyprland), to tmux, or says how on macOS. "
        "It never replaces a shortcut you already have on that key.",
    )
    hotkey.add_argument(
        "--desktop",
        choices=("gnome", "kde", "sway", "i3", "hyprland", "tmux", "macos"),
        help="where to add it (default: the desktop you are in, and tmux when inside tmux)",
    )
    hotkey.add_argument(
        "--key", metavar="KEY", help="the shortcut, e.g. super+alt+g (the default); tmux: prefix g"
    )
    hotkey.add_argument(
        "--terminal", metavar="PROGRAM", help="terminal to open it in (default: your desktop's)"
    )
    what = hotkey.add_mutually_exclusive_group()
    what.add_argument(
        "--print", dest="print_only", action="store_true", help="only show what it would do"
    )
    what.add_argument("--remove", action="store_true", help="undo what `ground hotkey` set up")
    completion = sub.add_parser(
        "completion",
        help="print a shell completion script (bash, zsh or fish)",
        description="Prints a completion script. Bash: add `source <(ground completion bash)` "
        "to ~/.bashrc; zsh: `source <(ground completion zsh)` to ~/.zshrc; fish: "
        "`ground completion fish > ~/.config/fish/completions/ground.fish`.",
    )
    completion.add_argument("shell", choices=("bash", "zsh", "fish"), help="your shell")


def _voice_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``ground voices`` and ``ground warm`` (code: ``assistant.cli.voices_command``)."""
    voices = sub.add_parser(
        "voices",
        help="every speech engine's voices: language, quality, where from, licence",
        description="Lists the voices of every speech engine, or says a sentence with one.",
    )
    voices.add_argument("--json", action="store_true", help="machine-readable output")
    voices.add_argument("--engine", choices=ENGINE_NAMES, help="only this engine's voices")
    voices.add_argument(
        "--say", metavar="TEXT", help="say TEXT with --voice (or your settings' voice)"
    )
    voices.add_argument("--voice", metavar="V", help="voice id, or a Piper model PATH.onnx")
    voices.add_argument("--rate", type=_rate, metavar="R", help="speaking rate, words per minute")
    warm = sub.add_parser(
        "warm",
        help="prepare the voice cache for scripts (all of them by default)",
        description="Renders every spoken phrase of the scripts with the chosen voice, so "
        "sessions start at once.",
    )
    warm.add_argument("scripts", nargs="*", metavar="SCRIPT", help="script ids or .toml files")
    warm.add_argument("--engine", choices=ENGINE_NAMES, help="speech engine (default: settings)")
    warm.add_argument("--voice", metavar="V", help="voice id, or a Piper model PATH.onnx")
    warm.add_argument("--rate", type=_rate, metavar="R", help="speaking rate, words per minute")
    warm.add_argument(
        "--background", action="store_true", help="start it detached and return at once"
    )
    warm.add_argument(
        "--progress",
        action="store_true",
        help="draw a progress bar even when not on a terminal (on one, it is always drawn)",
    )
    warm.add_argument(
        "--quiet-if-ready",
        action="store_true",
        help="print nothing when every phrase is already prepared (for set-up scripts)",
    )
    # Set by the detached process itself: low priority, and it gives way to a newer warm.
    warm.add_argument("--detached", action="store_true", help=argparse.SUPPRESS)


def _remind_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``ground remind`` (its code, ``assistant.cli.remind_command``, is imported when it runs)."""
    remind = sub.add_parser(
        "remind",
        help="a gentle daily reminder to practise (off unless you set it)",
        description="A quiet daily notification inviting a few minutes of practice. Off unless "
        "you set it; a reminder missed while the computer is off is simply skipped. "
        "With no option, shows whether one is set.",
    )
    when = remind.add_mutually_exclusive_group()
    when.add_argument("--at", metavar="HH:MM", help="set the reminder for this time, every day")
    when.add_argument("--off", action="store_true", help="remove the reminder")
    remind.add_argument(
        "--print",
        dest="print_files",
        action="store_true",
        help="only print the scheduler files (for --at, default 09:00); change nothing",
    )


def _suds(text: str) -> int:
    if not (text.isascii() and text.isdigit()) or int(text) > 100:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number from 0 to 100")
    return int(text)


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``ground``; returns the exit code (never raises, never prints a traceback)."""
    interrupt.install()
    try:
        return _parse_and_dispatch(argv)
    except UsageError as exc:
        _error(str(exc))
        return EXIT_USAGE
    except KeyboardInterrupt:
        with contextlib.suppress(OSError):  # the terminal may be gone (SIGHUP)
            _restore_terminal()
            print("\nStopped.", file=sys.stderr)
        return interrupt.exit_code
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # noqa: BLE001 - the promise: no traceback in front of anyone
        return _crashed(exc)


def _crashed(exc: Exception) -> int:
    """Say in one line that something went wrong, keeping the details in a file if we can.

    Out of memory, building the message can fail as well: then a fixed line is written.
    """
    try:
        path = _save_traceback()
        where = f" (details saved in {path})" if path else ""
        _error(f"something went wrong: {exc}{where}")
    except BaseException:  # noqa: BLE001 - the promise: no traceback in front of anyone
        with contextlib.suppress(OSError):
            os.write(2, b"ground: something went wrong (the computer may be out of memory)\n")
    return EXIT_FAILURE


def _parse_and_dispatch(argv: Sequence[str] | None) -> int:
    args_list = sys.argv[1:] if argv is None else list(argv)
    if args_list[:1] == ["_ids"]:  # the completion scripts' helper, kept out of help and usage
        from assistant.cli.completion_command import ids_command

        return ids_command(args_list[1:])
    if not args_list:  # the full-screen app: no parser to build (≈ 6 ms of its first frame)
        return _dispatch(argparse.Namespace(command=None))
    hotkey = args_list[:1] == ["now"] and not {"-h", "--help"} & set(args_list)
    parser = now_parser() if hotkey else build_parser()
    try:
        args = parser.parse_args(args_list[1:] if hotkey else args_list)
    except SystemExit as exc:  # argparse has printed usage and the problem
        return int(exc.code) if isinstance(exc.code, int) else EXIT_USAGE
    return _dispatch(args)


def _dispatch(args: argparse.Namespace) -> int:
    # Each command's module is imported only when it runs (``ground now`` stays light).
    if args.command is None:
        from assistant.cli.tui_command import tui

        return tui()
    if args.command == "breath":
        from assistant.cli.breath_command import breath_command

        return breath_command(args)
    if args.command == "log":
        from assistant.cli.log_command import log_command

        return log_command(args)
    if args.command == "cache":
        from assistant.cli.cache_command import cache_command

        return cache_command(args)
    if args.command == "remind":
        from assistant.cli.remind_command import remind_command

        return remind_command(args)
    if args.command in ("voices", "warm"):
        from assistant.cli import voices_command

        if args.command == "voices":
            return voices_command.voices_command(args)
        return voices_command.warm_command(args)
    if args.command == "completion":
        from assistant.cli.completion_command import completion_command

        return completion_command(args, build_parser())
    if args.command == "hotkey":
        from assistant.cli.hotkey_command import hotkey_command

        return hotkey_command(args)
    if args.command == "ladder":
        from assistant.cli.ladder_command import ladder_command

        return ladder_command(args)
    if args.command == "doctor":
        from assistant.cli.doctor_command import doctor

        return doctor(args)
    if args.command in ("list", "check"):
        from assistant.cli import scripts_command

        return (scripts_command.list_scripts if args.command == "list" else scripts_command.check)(
            args
        )
    from assistant.cli import play_command

    handler = {
        "now": play_command.now,
        "play": play_command.play,
        "render": play_command.render,
    }[args.command]
    return handler(args)


def _error(message: str) -> None:
    # one_line: a message may quote a file's text or an argument; never as control codes.
    print(f"ground: {one_line(message)}", file=sys.stderr)


def _restore_terminal() -> None:
    if sys.stdout.isatty():
        sys.stdout.write("\r\x1b[2K")
        sys.stdout.flush()


def _save_traceback() -> str | None:
    """Write the traceback to the cache dir for a bug report, instead of the screen."""
    try:
        # Inside the try, imports too: out of memory, even `import traceback` can fail.
        import traceback

        from assistant.core.files import atomic_write
        from assistant.storage.paths import cache_dir, private_dir

        path = private_dir(cache_dir()) / "last-error.txt"
        atomic_write(path, traceback.format_exc().encode("utf-8", "replace"))
        return str(path)
    except BaseException:  # noqa: BLE001 - the promise: no traceback in front of anyone
        return None
