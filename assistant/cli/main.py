"""``ground``: argument parsing, exit codes, and the one place errors become plain lines.

Exit codes: 0 done, 1 runtime failure, 2 bad input or usage, 130 interrupted. Heavy modules
(numpy, sounddevice, textual, pyttsx3) are imported inside the commands that need them, so
``ground now`` starts in the time it takes Python to start plus the audio stack.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from typing import NamedTuple, TypeAlias, cast

from assistant import __version__
from assistant.cli import interrupt
from assistant.cli.errors import EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError
from assistant.core import i18n
from assistant.core.i18n import N_, _
from assistant.core.model import ENGINE_NAMES, MINUTES_RANGE
from assistant.core.safe import one_line
from assistant.core.sounds import AMBIENTS, BELL_CHOICES, TONE_SETS


def _minutes(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("'{text}' is not a number of minutes").format(text=text)
        ) from None
    low, high = MINUTES_RANGE
    if not low <= value <= high:  # also refuses nan and inf
        raise argparse.ArgumentTypeError(
            _("minutes must be between {low} and {high}").format(low=f"{low:g}", high=f"{high:g}")
        )
    return value


def _positive_int(text: str) -> int:
    # isascii: "²" is a digit to isdigit() but not to int(); int() refuses 4,300 digits.
    if text.isascii() and text.isdigit() and len(text) > 18:
        raise argparse.ArgumentTypeError(_("'{text}…' is far too large").format(text=text[:24]))
    if not (text.isascii() and text.isdigit()) or int(text) < 1:
        raise argparse.ArgumentTypeError(
            _("'{text}' is not a whole number above 0").format(text=text)
        )
    return int(text)


def _pace(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("'{text}' is not a number").format(text=text)) from None
    if not 0.8 <= value <= 1.25:
        raise argparse.ArgumentTypeError(_("pace must be between 0.8 (quicker) and 1.25 (slower)"))
    return value


def _rate(text: str) -> int:
    if not (text.isascii() and text.isdigit()) or not 80 <= int(text) <= 300:
        raise argparse.ArgumentTypeError(_("rate is words per minute, between 80 and 300"))
    return int(text)


def _volume(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("'{text}' is not a number").format(text=text)) from None
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(_("volume must be between 0 and 1"))
    return value


def _sound_options(parser: argparse.ArgumentParser, *, tones: bool = True) -> None:
    """``--tones``, ``--bell`` and ``--ambient``: the sounds chosen this time (names are data:
    ``core.sounds`` lists them, and completion and the man page follow)."""
    if tones:
        parser.add_argument(
            "--tones", choices=TONE_SETS, help=_("the breathing tones' sound (default: settings)")
        )
    parser.add_argument(
        "--bell", choices=BELL_CHOICES, help=_("the bell, or none (default: settings)")
    )
    parser.add_argument(
        "--ambient",
        choices=AMBIENTS,
        help=_("an ambient sound under it: waves swell with your breath (default: settings)"),
    )


def _meter_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--meter",
        action="store_true",
        help=_("show the microphone breath meter (audio stays in memory)"),
    )
    parser.add_argument("--input-device", metavar="D", help=_("microphone name or number"))


def _session_options(parser: argparse.ArgumentParser, *, live: bool) -> None:
    length = parser.add_mutually_exclusive_group()
    length.add_argument(
        "--minutes", type=_minutes, metavar="M", help=_("session length in minutes")
    )
    length.add_argument("--breaths", type=_positive_int, metavar="N", help=_("number of breaths"))
    holds = parser.add_mutually_exclusive_group()
    holds.add_argument(
        "--holds", action="store_true", help=_("play the breath holds this time (`ground holds`)")
    )
    holds.add_argument("--no-holds", action="store_true", help=_("leave out every breath hold"))
    parser.add_argument(
        "--pace",
        type=_pace,
        metavar="P",
        help=_("scale breathing phases: 1.25 slower, 0.8 quicker"),
    )
    parser.add_argument(
        "--engine",
        choices=ENGINE_NAMES,
        help=_(
            "speech engine (default: the one in your settings; auto at first: the most natural)"
        ),
    )
    parser.add_argument(
        "--voice",
        metavar="V",
        help=_("voice id (`ground voices` lists them) or a Piper model, PATH.onnx"),
    )
    parser.add_argument(
        "--rate", type=_rate, metavar="R", help=_("speaking rate, words per minute")
    )
    parser.add_argument("--no-voice", action="store_true", help=_("tones only: no spoken words"))
    parser.add_argument("--no-tones", action="store_true", help=_("no phase tones"))
    _sound_options(parser)
    if live:
        _meter_options(parser)
        parser.add_argument(
            "--no-audio",
            action="store_true",
            help=_("no sound at all: captions and the pacer only"),
        )
        parser.add_argument("--device", metavar="D", help=_("output device name or number"))
        parser.add_argument("--volume", type=_volume, metavar="V", help=_("volume 0–1"))


NOW_HELP = N_("a quick reset for a hard moment, right now (for a hotkey)")
PANIC_HELP = N_("company through a panic attack: a slow breath out, eyes open (for a hotkey)")
#: The commands that start at once from a hotkey, each with its own small parser.
HOTKEY_COMMANDS = {"now": NOW_HELP, "panic": PANIC_HELP}

#: What every per-command builder below adds its command to (``sub.add_parser``).
Subparsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def _now_options(now: argparse.ArgumentParser) -> argparse.ArgumentParser:
    now.add_argument("--minutes", type=_minutes, metavar="M", help=_("length in minutes"))
    now.add_argument("--no-audio", action="store_true", help=_("captions and pacer only"))
    _sound_options(now)
    _meter_options(now)
    _lang_option(now)
    return now


def now_parser(command: str = "now") -> argparse.ArgumentParser:
    """``ground now`` (or ``ground panic``) alone: the hotkey does not build the parsers of
    every other command (≈ 10 ms); its usage and errors read exactly as through
    :func:`build_parser`."""
    parser = argparse.ArgumentParser(
        prog=f"ground {command}", description=_(HOTKEY_COMMANDS[command])
    )
    _now_options(parser).set_defaults(command=command)
    return parser


def _lang_option(parser: argparse.ArgumentParser) -> None:
    """``--lang`` in the help: :func:`_parse_and_dispatch` takes it out of the command line
    before parsing, wherever it stands (before or after the command)."""
    parser.add_argument(
        i18n.OPTION,
        metavar="LANG",
        help=_("language to show and speak: en, es or de (default: your settings, else LANG)"),
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand (each added by its row of :data:`COMMANDS`)."""
    from assistant.cli.help_text import GroundParser

    parser = GroundParser(
        prog="ground",
        description=_(
            "Voice-guided breathing and grounding in your terminal. "
            "Run with no command for the full-screen app."
        ),
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"ground {__version__}",
        help=_("show program's version number and exit"),
    )
    _lang_option(parser)
    # Subcommands' own help stays short: the file list is the top-level help's.
    sub = parser.add_subparsers(
        dest="command", metavar="COMMAND", parser_class=argparse.ArgumentParser
    )
    for command in COMMANDS.values():
        command.add(sub)
    return parser


def _add_now(sub: Subparsers) -> None:
    _now_options(sub.add_parser("now", help=_(NOW_HELP)))


def _add_panic(sub: Subparsers) -> None:
    _now_options(sub.add_parser("panic", help=_(PANIC_HELP), description=_(PANIC_HELP)))


def _add_help(sub: Subparsers) -> None:
    from assistant.cli.help_command import add_parser

    add_parser(sub)


def _add_contacts(sub: Subparsers) -> None:
    from assistant.cli.help_command import add_contacts_parser

    add_contacts_parser(sub)


def _add_holds(sub: Subparsers) -> None:
    holds = sub.add_parser(
        "holds",
        help=_("choose once whether breathing scripts hold the breath (box, 4-7-8)"),
        description=_(
            "Breath holds are chosen once for every script: on, off, or not chosen "
            "yet (then none are played, and you are asked on a terminal). With no choice given, "
            "shows the choice and the reasons to leave them out. --holds or --no-holds on a "
            "session decides for that session only."
        ),
    )
    holds.add_argument(
        "choice",
        nargs="?",
        choices=("on", "off", "ask"),
        help=_("on: play them; off: leave them out; ask: not chosen (asked next time)"),
    )


def _add_list(sub: Subparsers) -> None:
    listing = sub.add_parser("list", help=_("the scripts you can play"))
    listing.add_argument("--json", action="store_true", help=_("machine-readable output"))


def _add_play(sub: Subparsers) -> None:
    play = sub.add_parser("play", help=_("play a script without the full-screen app"))
    play.add_argument(
        "script", metavar="SCRIPT", help=_("a script id (see `ground list`) or a .toml")
    )
    _session_options(play, live=True)


def _add_render(sub: Subparsers) -> None:
    render = sub.add_parser(
        "render", help=_("export a session as an audio file (.wav, .flac, .ogg, .opus, .mp3)")
    )
    render.add_argument("script", metavar="SCRIPT", help=_("a script id or a .toml file"))
    render.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="OUT",
        help=_("file to write; its suffix picks the format"),
    )
    render.add_argument("--timeline", metavar="OUT.json", help=_("also write every event as JSON"))
    _session_options(render, live=False)


def _add_timer(sub: Subparsers) -> None:
    from assistant.core.timer import DELAY_RANGE, EVERY_RANGE

    timer = sub.add_parser(
        "timer",
        help=_("a plain timer: silent sitting between bells"),
        description=_(
            "Sit in silence (or with an ambient sound) for a length of time, or until "
            "you stop: a start bell after the delay, a bell every few minutes if you like, and an "
            "end bell. Stopping while sitting rings the end bell; stopping again ends at once."
        ),
    )
    length = timer.add_mutually_exclusive_group(required=True)
    length.add_argument("--minutes", type=_minutes, metavar="M", help=_("how long to sit"))
    length.add_argument(
        "--open", action="store_true", help=_("sit until you stop (q rings the end bell)")
    )
    timer.add_argument(
        "--every",
        type=_number_in(MINUTES_WORDS, EVERY_RANGE),
        metavar="M",
        help=_("an interval bell every M minutes"),
    )
    timer.add_argument(
        "--delay",
        type=_number_in(SECONDS_WORDS, DELAY_RANGE),
        default=0.0,
        metavar="S",
        help=_("seconds of quiet before the start bell (default 0)"),
    )
    _sound_options(timer, tones=False)
    timer.add_argument("--no-audio", action="store_true", help=_("no sound: the clock only"))
    timer.add_argument("--device", metavar="D", help=_("output device name or number"))
    timer.add_argument("--volume", type=_volume, metavar="V", help=_("volume 0–1"))
    timer.add_argument(
        "-o",
        "--output",
        metavar="OUT",
        help=_("write the sitting to an audio file instead (.wav, .flac, .ogg, .opus, .mp3)"),
    )
    timer.add_argument(
        "--timeline", metavar="OUT.json", help=_("with -o: also write every bell as JSON")
    )


class UnitWords(NamedTuple):
    """The two errors of a number in a unit (marked with ``N_``, translated when shown)."""

    not_a_number: str
    out_of_range: str


MINUTES_WORDS = UnitWords(
    N_("'{text}' is not a number of minutes"), N_("minutes must be between {low} and {high}")
)
SECONDS_WORDS = UnitWords(
    N_("'{text}' is not a number of seconds"), N_("seconds must be between {low} and {high}")
)


def _number_in(words: UnitWords, limits: tuple[float, float]) -> Callable[[str], float]:
    """An argument type: a number within ``limits``, its errors in ``words``."""
    low, high = limits

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(_(words.not_a_number).format(text=text)) from None
        if not low <= value <= high:  # also refuses nan and inf
            raise argparse.ArgumentTypeError(
                _(words.out_of_range).format(low=f"{low:g}", high=f"{high:g}")
            )
        return value

    return parse


def _add_check(sub: Subparsers) -> None:
    check = sub.add_parser("check", help=_("validate script files (file:line: message)"))
    check.add_argument("paths", nargs="+", metavar="PATH", help=_("script files or folders"))


def _add_doctor(sub: Subparsers) -> None:
    sub.add_parser("doctor", help=_("what works on this machine, and what to install"))


def _add_breath(sub: Subparsers) -> None:
    breath = sub.add_parser("breath", help=_("find the breaths in a recording (WAV)"))
    breath.add_argument("file", metavar="FILE.wav", help=_("a WAV recording (8–32-bit PCM)"))
    breath.add_argument("--json", action="store_true", help=_("machine-readable output"))
    breath.add_argument("--script", metavar="ID", help=_("compare with this script's pace"))


def _add_log(sub: Subparsers) -> None:
    log = sub.add_parser("log", help=_("your practice so far, newest first"))
    log.add_argument("--json", action="store_true", help=_("machine-readable output"))
    log.add_argument(
        "--limit", type=_positive_int, metavar="N", help=_("show at most N sessions (default 50)")
    )
    log.add_argument("--all", action="store_true", help=_("show every session"))
    moving = log.add_mutually_exclusive_group()
    moving.add_argument(
        "--csv",
        nargs="?",
        const="-",
        metavar="FILE.csv",
        help=_(
            "the sessions as CSV for a spreadsheet: to the screen, or to FILE (only you can read)"
        ),
    )
    moving.add_argument(
        "--export",
        metavar="FILE.json",
        help=_(
            "write your practice log and ladder to one file (readable only by you; "
            "- for standard output)"
        ),
    )
    moving.add_argument(
        "--import",
        dest="import_file",
        metavar="FILE.json",
        help=_("merge an export back in (nothing is added twice)"),
    )


def _add_ladder(sub: Subparsers) -> None:
    ladder = sub.add_parser(
        "ladder",
        help=_("your exposure ladder: small social steps"),
        description=_(
            "Your exposure ladder: small social steps, each rated by how hard it feels "
            "from 0 to 100 (SUDS, subjective units of distress: 0 calm, 100 the most distress you "
            "can imagine). Work up one step at a time; nothing here is a test."
        ),
    )
    steps = ladder.add_subparsers(dest="ladder_command", metavar="ACTION")
    listing = steps.add_parser("list", help=_("the steps, easiest first, with how they went"))
    listing.add_argument("--json", action="store_true", help=_("machine-readable output"))
    listing.add_argument("--all", action="store_true", help=_("include put-away steps"))
    _add_ladder_add(steps)
    _add_ladder_attempt(steps)
    ready = steps.add_parser(
        "ready", help=_("a couple of minutes of grounding before a step, naming it")
    )
    ready.add_argument(
        "step", metavar="STEP", help=_("its number in `ground ladder list`, or its title")
    )
    _session_options(ready, live=True)
    rehearse = steps.add_parser(
        "rehearse",
        help=_("rehearse a step in your imagination first (three or four minutes)"),
        description=_(
            "Walk through a step in your imagination, through your own eyes, to its "
            "end, leaving one of its safety behaviours behind. On a terminal you are asked how "
            "anxious you feel before and after (0–100); the rehearsal is kept with the step, "
            "never counted as a try."
        ),
    )
    rehearse.add_argument(
        "step", metavar="STEP", help=_("its number in `ground ladder list`, or its title")
    )
    _session_options(rehearse, live=True)
    move = steps.add_parser("move", help=_("move a step to another place on the ladder"))
    move.add_argument("step", metavar="STEP", help=_("its number or title"))
    move.add_argument(
        "--to", type=_positive_int, required=True, metavar="N", help=_("its new number")
    )
    steps.add_parser("sort", help=_("order the steps from the easiest to the hardest"))
    put_away = steps.add_parser("archive", help=_("put a step away (its attempts are kept)"))
    put_away.add_argument("step", metavar="STEP", help=_("its number or title"))


def _add_ladder_add(steps: Subparsers) -> None:
    add = steps.add_parser("add", help=_("add a step at the top of the ladder"))
    add.add_argument(
        "title", metavar="TITLE", help=_('what the step is, e.g. "say hello to a neighbour"')
    )
    add.add_argument(
        "--suds",
        type=_suds,
        required=True,
        metavar="N",
        help=_("how hard it feels, 0–100 (SUDS: 0 calm, 100 the most distress you can imagine)"),
    )
    add.add_argument(
        "--safety",
        action="append",
        default=[],
        metavar="TEXT",
        help=_("a safety behaviour to drop (repeat for more)"),
    )


def _add_ladder_attempt(steps: Subparsers) -> None:
    attempt = steps.add_parser("attempt", help=_("note how a step went"))
    attempt.add_argument(
        "step", metavar="STEP", help=_("its number in `ground ladder list`, or its title")
    )
    attempt.add_argument(
        "--before",
        type=_suds,
        required=True,
        metavar="N",
        help=_("how hard it felt just before, 0–100"),
    )
    attempt.add_argument(
        "--after",
        type=_suds,
        required=True,
        metavar="N",
        help=_("how hard it felt just after, 0–100"),
    )
    attempt.add_argument(
        "--peak", type=_suds, metavar="N", help=_("how hard it felt at its hardest, 0–100")
    )
    attempt.add_argument("--predicted", metavar="TEXT", help=_("what you feared would happen"))
    attempt.add_argument("--happened", metavar="TEXT", help=_("what actually happened"))
    attempt.add_argument("--did-well", metavar="TEXT", help=_("one thing you did well"))
    attempt.add_argument("--note", metavar="TEXT", help=_("anything else"))


def _add_remind(sub: Subparsers) -> None:
    remind = sub.add_parser(
        "remind",
        help=_("a gentle daily reminder to practise (off unless you set it)"),
        description=_(
            "A quiet daily notification inviting a few minutes of practice. Off unless "
            "you set it; a reminder missed while the computer is off is simply skipped. "
            "With no option, shows whether one is set."
        ),
    )
    when = remind.add_mutually_exclusive_group()
    when.add_argument("--at", metavar="HH:MM", help=_("set the reminder for this time, every day"))
    when.add_argument("--off", action="store_true", help=_("remove the reminder"))
    remind.add_argument(
        "--print",
        dest="print_files",
        action="store_true",
        help=_("only print the scheduler files (for --at, default 09:00); change nothing"),
    )


def _add_voices(sub: Subparsers) -> None:
    voices = sub.add_parser(
        "voices",
        help=_("every speech engine's voices: language, quality, where from, licence"),
        description=_("Lists the voices of every speech engine, or says a sentence with one."),
    )
    voices.add_argument("--json", action="store_true", help=_("machine-readable output"))
    voices.add_argument("--engine", choices=ENGINE_NAMES, help=_("only this engine's voices"))
    voices.add_argument(
        "--all", action="store_true", help=_("every voice, in every language (--json has them all)")
    )
    voices.add_argument(
        "--say", metavar="TEXT", help=_("say TEXT with --voice (or your settings' voice)")
    )
    voices.add_argument("--voice", metavar="V", help=_("voice id, or a Piper model PATH.onnx"))
    voices.add_argument(
        "--rate", type=_rate, metavar="R", help=_("speaking rate, words per minute")
    )
    actions = voices.add_subparsers(dest="voices_action", metavar="ACTION")
    add = actions.add_parser(
        "add",
        help=_("install a Piper voice you downloaded (NAME.onnx with NAME.onnx.json)"),
        description=_(
            "Checks a Piper voice you downloaded and copies it into your voices folder. "
            "Nothing is downloaded. Scripts in the voice's language then speak with it."
        ),
    )
    add.add_argument("file", metavar="FILE.onnx", help=_("the voice's model; its .json beside it"))
    add.add_argument(
        "--replace", action="store_true", help=_("replace an installed voice of the same name")
    )


def _add_warm(sub: Subparsers) -> None:
    warm = sub.add_parser(
        "warm",
        help=_("prepare the voice cache for scripts (all of them by default)"),
        description=_(
            "Renders every spoken phrase of the scripts with the chosen voice, so "
            "sessions start at once."
        ),
    )
    warm.add_argument("scripts", nargs="*", metavar="SCRIPT", help=_("script ids or .toml files"))
    warm.add_argument("--engine", choices=ENGINE_NAMES, help=_("speech engine (default: settings)"))
    warm.add_argument("--voice", metavar="V", help=_("voice id, or a Piper model PATH.onnx"))
    warm.add_argument("--rate", type=_rate, metavar="R", help=_("speaking rate, words per minute"))
    warm.add_argument(
        "--background", action="store_true", help=_("start it detached and return at once")
    )
    warm.add_argument(
        "--progress",
        action="store_true",
        help=_("draw a progress bar even when not on a terminal (on one, it is always drawn)"),
    )
    warm.add_argument(
        "--quiet-if-ready",
        action="store_true",
        help=_("print nothing when every phrase is already prepared (for set-up scripts)"),
    )
    # Set by the detached process itself: low priority, and it gives way to a newer warm.
    warm.add_argument("--detached", action="store_true", help=argparse.SUPPRESS)


def _add_cache(sub: Subparsers) -> None:
    from assistant.cli import cache_command

    cache_command.add_parser(sub)


def _add_hotkey(sub: Subparsers) -> None:
    hotkey = sub.add_parser(
        "hotkey",
        help=_("set up a keyboard shortcut that starts `ground now` in a small terminal"),
        description=_(
            "Adds a shortcut for the quick reset to your desktop (GNOME and other "
            "gsettings desktops, KDE Plasma, sway, i3, Hyprland), to tmux, or says how on macOS. "
            "It never replaces a shortcut you already have on that key."
        ),
    )
    hotkey.add_argument(
        "--desktop",
        choices=("gnome", "kde", "sway", "i3", "hyprland", "tmux", "macos"),
        help=_("where to add it (default: the desktop you are in, and tmux when inside tmux)"),
    )
    hotkey.add_argument(
        "--key",
        metavar="KEY",
        help=_("the shortcut, e.g. super+alt+g (the default); tmux: prefix g"),
    )
    hotkey.add_argument(
        "--terminal", metavar="PROGRAM", help=_("terminal to open it in (default: your desktop's)")
    )
    what = hotkey.add_mutually_exclusive_group()
    what.add_argument(
        "--print", dest="print_only", action="store_true", help=_("only show what it would do")
    )
    what.add_argument("--remove", action="store_true", help=_("undo what `ground hotkey` set up"))


def _add_completion(sub: Subparsers) -> None:
    completion = sub.add_parser(
        "completion",
        help=_("print a shell completion script (bash, zsh or fish)"),
        description=_(
            "Prints a completion script. Bash: add `source <(ground completion bash)` "
            "to ~/.bashrc; zsh: `source <(ground completion zsh)` to ~/.zshrc; fish: "
            "`ground completion fish > ~/.config/fish/completions/ground.fish`."
        ),
    )
    completion.add_argument("shell", choices=("bash", "zsh", "fish"), help=_("your shell"))


def _suds(text: str) -> int:
    if not (text.isascii() and text.isdigit()) or int(text) > 100:
        raise argparse.ArgumentTypeError(
            _("'{text}' is not a whole number from 0 to 100").format(text=text)
        )
    return int(text)


class CommandRow(NamedTuple):
    """One row of :data:`COMMANDS`: what adds a command's arguments, and where its code is."""

    add: Callable[[Subparsers], None]
    module: str
    function: str


#: Every command, in the order help lists them. Its code is imported only when it runs
#: (``ground now`` stays light): ``module.function(args)`` returns the exit code.
COMMANDS: dict[str, CommandRow] = {
    "now": CommandRow(_add_now, "assistant.cli.play_command", "now"),
    "panic": CommandRow(_add_panic, "assistant.cli.play_command", "panic"),
    # Called with the parser too: `ground help COMMAND` shows that command's help.
    "help": CommandRow(_add_help, "assistant.cli.help_command", "help_command"),
    "list": CommandRow(_add_list, "assistant.cli.scripts_command", "list_scripts"),
    "play": CommandRow(_add_play, "assistant.cli.play_command", "play"),
    "render": CommandRow(_add_render, "assistant.cli.play_command", "render"),
    "timer": CommandRow(_add_timer, "assistant.cli.timer_command", "timer"),
    "check": CommandRow(_add_check, "assistant.cli.scripts_command", "check"),
    "doctor": CommandRow(_add_doctor, "assistant.cli.doctor_command", "doctor"),
    "breath": CommandRow(_add_breath, "assistant.cli.breath_command", "breath_command"),
    "log": CommandRow(_add_log, "assistant.cli.log_command", "log_command"),
    "ladder": CommandRow(_add_ladder, "assistant.cli.ladder_command", "ladder_command"),
    "remind": CommandRow(_add_remind, "assistant.cli.remind_command", "remind_command"),
    "voices": CommandRow(_add_voices, "assistant.cli.voices_command", "voices_command"),
    "warm": CommandRow(_add_warm, "assistant.cli.voices_command", "warm_command"),
    "cache": CommandRow(_add_cache, "assistant.cli.cache_command", "cache_command"),
    "hotkey": CommandRow(_add_hotkey, "assistant.cli.hotkey_command", "hotkey_command"),
    "holds": CommandRow(_add_holds, "assistant.cli.help_command", "holds_command"),
    "contacts": CommandRow(_add_contacts, "assistant.cli.help_command", "contacts_command"),
    # Called with the parser too: the completion scripts are written from it.
    "completion": CommandRow(
        _add_completion, "assistant.cli.completion_command", "completion_command"
    ),
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``ground``; returns the exit code (never raises, never prints a traceback)."""
    interrupt.install()
    try:
        return _parse_and_dispatch(argv)
    except UsageError as exc:
        _error(str(exc))
        return EXIT_USAGE
    except KeyboardInterrupt:
        return _stopped()
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # noqa: BLE001 - the promise: no traceback in front of anyone
        if interrupt.caused_by_interrupt(exc):  # a Ctrl-C Python wrapped (in an import)
            return _stopped()
        return _crashed(exc)


def _stopped() -> int:
    with contextlib.suppress(OSError):  # the terminal may be gone (SIGHUP)
        _restore_terminal()
        print("\n" + _("Stopped."), file=sys.stderr)
    interrupt.settled()
    return interrupt.exit_code


def _crashed(exc: Exception) -> int:
    """Say in one line that something went wrong, keeping the details in a file if we can.

    Out of memory, building the message can fail as well: then a fixed line is written.
    """
    try:
        path = _save_traceback()
        if path:
            _error(
                _("something went wrong: {error} (details saved in {path})").format(
                    error=exc, path=path
                )
            )
        else:
            _error(_("something went wrong: {error}").format(error=exc))
    except BaseException:  # noqa: BLE001 - the promise: no traceback in front of anyone
        with contextlib.suppress(OSError):
            os.write(2, b"ground: something went wrong (the computer may be out of memory)\n")
    return EXIT_FAILURE


def _parse_and_dispatch(argv: Sequence[str] | None) -> int:
    args_list = sys.argv[1:] if argv is None else list(argv)
    if args_list[:1] == ["_ids"]:  # the completion scripts' helper, kept out of help and usage
        from assistant.cli.completion_command import ids_command

        return ids_command(args_list[1:])
    args_list = _choose_language(args_list)
    if not args_list:  # the full-screen app: no parser to build (≈ 6 ms of its first frame)
        return _dispatch(argparse.Namespace(command=None))
    first = args_list[0]
    hotkey = first in HOTKEY_COMMANDS and not {"-h", "--help"} & set(args_list)
    parser = now_parser(first) if hotkey else build_parser()
    try:
        args = parser.parse_args(args_list[1:] if hotkey else args_list)
    except SystemExit as exc:  # argparse has printed usage and the problem
        return int(exc.code) if isinstance(exc.code, int) else EXIT_USAGE
    return _dispatch(args)


def _choose_language(args: list[str]) -> list[str]:
    """Install the language (``--lang`` over the setting over the environment) before any
    parser is built; returns the command line without ``--lang``.

    Raises:
        UsageError: ``--lang`` names no language ground has.
    """
    try:
        value, rest = i18n.split_option(args)
        chosen = i18n.language_option(value) if value is not None else None
    except i18n.UnknownLanguage as exc:
        raise UsageError(str(exc)) from None
    if chosen is None:
        from assistant.storage.settings import read_language

        chosen = i18n.choose(setting=read_language())
    i18n.install(chosen)
    return rest


def _dispatch(args: argparse.Namespace) -> int:
    if args.command is None:  # no command: the full-screen app
        from assistant.cli.tui_command import tui

        return tui()
    command = COMMANDS[args.command]
    run = getattr(importlib.import_module(command.module), command.function)
    if args.command in ("completion", "help"):
        return cast("int", run(args, build_parser()))
    return cast("int", run(args))


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
