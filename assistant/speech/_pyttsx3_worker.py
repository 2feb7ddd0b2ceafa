"""The pyttsx3 worker process: owns one pyttsx3 engine and renders files on request.

Run as ``python -m assistant.speech._pyttsx3_worker`` by :class:`~.pyttsx3_engine.Pyttsx3Engine`;
not meant to be started by hand. pyttsx3 runs here, in its own process, because 2.99 can hang,
prints to stdout, and its C back-ends write to file descriptors 1 and 2 directly: a process of its
own can be killed and restarted, and its noise cannot reach the terminal.

Protocol: JSON, one object per line. The worker's real stdin/stdout are moved to private file
descriptors before pyttsx3 is imported; fds 0, 1 and 2 then point at the null device, so nothing
pyttsx3 (or anything it starts) prints can corrupt the protocol.

- On start the worker sends ``{"ready": true, "driver": ..., "voice": ...}`` or
  ``{"ready": false, "error": "<one plain line>"}`` and exits.
- ``{"id": n, "op": "render", "text": ..., "path": ..., "voice": ..., "rate": ...}`` →
  ``{"id": n, "ok": true}`` once the file is written.
- ``{"id": n, "op": "voices"}`` → ``{"id": n, "ok": true, "voices": [{id, name, languages,
  gender}, ...]}``.
- ``{"id": n, "op": "quit"}`` → the worker exits.
- Failures: ``{"id": n, "ok": false, "kind": "unknown_voice" | "error", "error": "..."}``.

Only the standard library, the shared worker plumbing (``worker``) and pyttsx3 are imported here,
to keep start-up short.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any

from .worker import claim_protocol_fds, sender, serve, watch_parent

#: Words per minute when a request gives no rate: pyttsx3's own default (200) differs from
#: espeak-ng's (175), and each request sets the rate so no state leaks between requests.
DEFAULT_RATE = 175


def _explain(exc: BaseException) -> str:
    """One plain line saying why pyttsx3 could not start, and what to install."""
    text = f"{type(exc).__name__}: {exc}".splitlines()[0]
    missing = getattr(exc, "name", None) if isinstance(exc, ImportError) else None
    if missing == "pyttsx3":
        return "pyttsx3 is not installed: pip install 'pyttsx3==2.99'"
    if sys.platform == "darwin" and missing in {"objc", "Foundation", "AppKit", "PyObjCTools"}:
        return "the system voice needs PyObjC on macOS: pip install pyobjc"
    if sys.platform == "win32" and missing in {"comtypes", "win32com", "pythoncom", "pywintypes"}:
        return "the system voice needs comtypes and pywin32: pip install comtypes pywin32"
    if sys.platform.startswith("linux") and ("espeak" in text.lower() or isinstance(exc, OSError)):
        return (
            "the system voice needs the espeak-ng library, which is not installed: "
            "sudo apt-get install libespeak-ng1"
        )
    return f"the system voice could not start ({text})"


def _espeak_synchronize(engine: Any) -> Callable[[], object] | None:
    """``espeak_Synchronize`` when pyttsx3 drives espeak-ng, else None (other drivers are sync)."""
    if str(engine) != "espeak":
        return None
    try:
        from pyttsx3.drivers import _espeak  # type: ignore[import-untyped,unused-ignore]
    except Exception:  # noqa: BLE001 - the worker reports every failure to its parent
        return None
    sync = getattr(_espeak, "Synchronize", None)
    return sync if callable(sync) else None


def _gender(value: object) -> str | None:
    """Normalise any driver's spelling ("Male", "VoiceGenderFemale") to male, female or None."""
    text = str(value or "").lower()
    if "female" in text:
        return "female"
    return "male" if "male" in text else None


def _norm(tag: str) -> str:
    """Compare voice names and language tags without case or ``_``/``-`` differences."""
    return tag.strip().lower().replace("_", "-")


class Worker:
    """The pyttsx3 engine plus the little state the protocol needs."""

    def __init__(self, engine: Any) -> None:
        """Wrap an initialised pyttsx3 engine.

        Args:
            engine: the object ``pyttsx3.init()`` returned.
        """
        self.engine = engine
        self.default_voice: str | None = self._current_voice()
        self.voice: str | None = None
        self.rate: int | None = None
        self.errors: list[str] = []
        self._voices: list[dict[str, Any]] | None = None
        # pyttsx3 runs queued commands inside runAndWait and reports their exceptions as
        # "error" notifications instead of raising them; collect them so a request can fail.
        engine.connect("error", self._on_error)
        self._synchronize = _espeak_synchronize(engine)
        # Until its first runAndWait, pyttsx3 queues setProperty calls and runs them inside the
        # loop, where the espeak driver's endLoop -> stop() -> espeak_Cancel() can drop them
        # (the rate silently stays as it was). One empty run leaves the queue idle, so from now
        # on setProperty takes effect when called.
        engine.runAndWait()
        self._settle()

    def _settle(self) -> None:
        """Wait until the speech library has applied every queued command (espeak-ng only).

        espeak-ng applies parameter changes asynchronously; if one is still pending when
        runAndWait starts, the driver cancels it. Observed here: with requests alternating
        between three rates, most renders came out at an earlier request's rate without this.
        """
        if self._synchronize is not None:
            self._synchronize()

    def _on_error(self, name: object = None, exception: object = None, **_: object) -> None:
        """Remember an error pyttsx3 reported while running its queue."""
        self.errors.append(f"{type(exception).__name__}: {exception}")

    def _current_voice(self) -> str | None:
        """The voice the engine starts with, to go back to when a request names none."""
        try:
            voice = self.engine.getProperty("voice")
        except Exception:  # noqa: BLE001 - the worker reports every failure to its parent
            return None
        return str(voice) if voice else None

    def voices(self) -> list[dict[str, Any]]:
        """The engine's voices as plain dicts (asked once: the list does not change)."""
        if self._voices is None:
            found: list[dict[str, Any]] = []
            for v in self.engine.getProperty("voices") or ():
                gender = getattr(v, "gender", None)
                langs = getattr(v, "languages", None) or []
                found.append(
                    {
                        "id": str(v.id),
                        "name": str(getattr(v, "name", None) or v.id),
                        "languages": [
                            (x.decode("utf-8", "replace") if isinstance(x, bytes) else str(x))
                            for x in langs
                            if x
                        ],
                        "gender": _gender(gender),
                    }
                )
            self._voices = found
        return self._voices

    def resolve(self, wanted: str) -> str | None:
        """The voice id for an id, a name or a language tag; None when nothing matches."""
        key = _norm(wanted)
        voices = self.voices()
        for field in ("id", "name"):
            for v in voices:
                if _norm(v[field]) == key:
                    return str(v["id"])
        for v in voices:
            if any(_norm(lang) == key for lang in v["languages"]):
                return str(v["id"])
        # A bare language ("es", as a script in Spanish asks) also names a regional voice
        # ("es-ES" on macOS and Windows, whose voices carry only regional tags).
        for v in voices:
            if "-" not in key and any(_norm(lang).split("-")[0] == key for lang in v["languages"]):
                return str(v["id"])
        return None

    def render(self, request: dict[str, Any]) -> dict[str, Any]:
        """Write one utterance to ``request["path"]``: one save_to_file per runAndWait."""
        wanted = request.get("voice")
        voice = self.resolve(wanted) if wanted else self.default_voice
        if wanted and voice is None:
            return {"ok": False, "kind": "unknown_voice", "error": f"no voice {wanted!r}"}
        rate = int(request.get("rate") or DEFAULT_RATE)
        self.errors.clear()
        # Set both every time they differ from what was last set, so one request's voice or rate
        # never leaks into the next (pyttsx3 reports the rate wrongly, so it is never read back).
        changed = False
        if voice is not None and voice != self.voice:
            self.engine.setProperty("voice", voice)
            self.voice, changed = voice, True
        if rate != self.rate:
            self.engine.setProperty("rate", rate)
            self.rate, changed = rate, True
        if changed:
            self._settle()
        self.engine.save_to_file(str(request["text"]), str(request["path"]))
        self.engine.runAndWait()
        # runAndWait returns after one 10 ms tick of the driver's loop, not when synthesis ends;
        # make sure the file is complete before saying so.
        self._settle()
        if self.errors:
            self.voice = self.rate = None  # unknown state after a failure: set both next time
            return {"ok": False, "kind": "error", "error": "; ".join(self.errors)}
        return {"ok": True}


def main() -> int:
    """Start pyttsx3, report readiness, then serve requests."""
    proto_in, proto_out = claim_protocol_fds()
    send = sender(proto_out)
    watch_parent()
    try:
        import pyttsx3  # type: ignore[import-untyped,unused-ignore]

        worker = Worker(pyttsx3.init())
    except BaseException as exc:  # any failure here means "this engine cannot run"  # noqa: BLE001
        send({"ready": False, "error": _explain(exc)})
        return 1
    send({"ready": True, "driver": str(worker.engine), "voice": worker.default_voice})
    try:
        serve(
            {"render": worker.render, "voices": lambda _: {"ok": True, "voices": worker.voices()}},
            proto_in,
            send,
        )
    except (BrokenPipeError, KeyboardInterrupt):
        return 0
    return 0


if __name__ == "__main__":
    # os._exit skips interpreter teardown, where pyttsx3's espeak driver can assert or hang.
    os._exit(main())
