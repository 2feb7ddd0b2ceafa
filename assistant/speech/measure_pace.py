"""``python -P -m assistant.speech.measure_pace VOICE...``: print Piper voices' own paces.

What :data:`assistant.speech.pace.SHIPPED_PACES` holds is measured with this (apart from
``pace``, which the Piper engine imports, so that neither imports the other).
"""

from __future__ import annotations

from .pace import measure
from .piper_engine import PiperEngine


def main(argv: list[str] | None = None) -> int:
    """Print the measured pace of each Piper voice named (for ``SHIPPED_PACES``)."""
    import sys

    engine = PiperEngine()
    try:
        for voice in argv if argv is not None else sys.argv[1:]:
            found = engine.voice_file(voice)
            pace = measure(engine, found)
            shown = (
                "no passage in its language"
                if pace is None
                else f"Pace({pace.at_1:.1f}, {pace.at_2:.1f})  # at length_scale 1 and 2"
            )
            print(f"{found.id}: {shown}")
    finally:
        engine.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
