"""The real pyttsx3 worker with faults injected (tests only): hang, crash, empty or bad files.

Tests point ``pyttsx3_engine.WORKER_MODULE`` here and name a file in ``FAULTS_ENV``; each render
consumes its first line. The shipped worker has no such hook.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

from assistant.speech import _pyttsx3_worker as real

MODULE = "tests.speech.faulty_pyttsx3_worker"
FAULTS_ENV = "GROUND_TEST_PYTTSX3_FAULTS"


def _next_fault() -> str:
    path = Path(os.environ[FAULTS_ENV])
    lines = path.read_text(encoding="utf-8").splitlines()
    if not lines:
        return ""
    path.write_text("".join(f"{line}\n" for line in lines[1:]), encoding="utf-8")
    return lines[0].strip()


class FaultyWorker(real.Worker):
    def render(self, request: dict[str, Any]) -> dict[str, Any]:
        fault = _next_fault()
        if fault == "hang":
            threading.Event().wait()  # never set: pyttsx3 stuck in its loop
        if fault == "crash":
            os._exit(70)
        reply = super().render(request)
        if fault == "empty":
            Path(request["path"]).write_bytes(b"")
        elif fault == "garbage":
            Path(request["path"]).write_bytes(b"RIFF\x00\x00\x00\x00not a wave file")
        return reply


if __name__ == "__main__":
    real.Worker = FaultyWorker  # type: ignore[misc]
    os._exit(real.main())
