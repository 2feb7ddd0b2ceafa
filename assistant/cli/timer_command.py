"""``ground timer``: a plain timer, played with the inline clock or written to a file."""

from __future__ import annotations

import argparse

from assistant.cli.errors import EXIT_OK, UsageError
from assistant.core.model import length_text
from assistant.core.timer import TimerError, TimerOptions, check
from assistant.storage.settings import load_settings


def timer(args: argparse.Namespace) -> int:
    """Sit with the timer (its row goes into the practice log), or write it with ``-o``."""
    from assistant.cli.play_command import render_to, run_request
    from assistant.session import timer_request

    options = TimerOptions(minutes=args.minutes, open=args.open, every=args.every, delay=args.delay)
    if args.output and args.open:
        raise UsageError("a file needs a length: give --minutes instead of --open")
    if args.timeline and not args.output:
        raise UsageError("--timeline goes with -o FILE (the sitting written to a file)")
    try:
        check(options)
    except TimerError as exc:
        raise UsageError(str(exc)) from None
    settings, notice = load_settings()
    notices = [notice] if notice else []
    request = timer_request(
        settings,
        options,
        bell=args.bell,
        ambient=args.ambient,
        sound=not args.no_audio and not args.output,
        device=args.device,
        volume=args.volume,
    )
    if not args.output:
        return run_request(request, notices, args, settings)
    timeline = render_to(request, args.output, args.timeline, notices)
    bells = sum(1 for e in timeline.events if e.kind.value == "chime")
    also = f" and {args.timeline}" if args.timeline else ""
    print(f"Wrote {args.output} ({length_text(timeline.seconds)}, {bells} bells){also}")
    return EXIT_OK
