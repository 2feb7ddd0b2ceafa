"""The Piper worker process: loads one voice model and renders WAV files on request.

Run as ``python -m assistant.speech._piper_worker MODEL.onnx CONFIG.onnx.json`` by
:class:`~.piper_engine.PiperEngine`. This is the only module of ``assistant`` that imports
``piper`` or ``onnxruntime`` (an import-linter contract keeps it so): importing them and loading
a model takes 0.4–0.9 s and ~100 MB, which the hotkey path must never pay, and a crash inside
onnxruntime ends this process, not the session.

Protocol (see ``worker``): the ready line is ``{"ready": true, "sample_rate": N}`` or
``{"ready": false, "error": "<one plain line>"}``; then
``{"id": n, "op": "render", "text": ..., "path": ..., "length_scale": x}`` →
``{"id": n, "ok": true}`` once ``path`` holds a mono 16-bit WAV.
"""

from __future__ import annotations

import os
import sys
import wave
from pathlib import Path
from typing import Any

from assistant.core.i18n import N_, gettext_in

from .worker import claim_protocol_fds, sender, serve, watch_parent, worker_language

#: Silence put between sentences (Piper renders each sentence on its own, with none between).
SENTENCE_GAP_SECONDS = 0.3


def explain(exc: BaseException, model: str) -> str:
    """One plain line saying why Piper cannot speak here, and what to do (in the language of
    the process that started the worker)."""
    lang = worker_language()
    text = f"{type(exc).__name__}: {exc}".splitlines()[0]
    missing = getattr(exc, "name", None) if isinstance(exc, ImportError) else None
    if missing is not None and missing.split(".")[0] in {"piper", "onnxruntime"}:
        # TRANSLATORS: {module} is a Python module's name.
        said = N_(
            "Piper is not installed ({module} is missing): pip install 'grounding-assistant[piper]'"
        )
        return gettext_in(lang, said).format(module=missing)
    if isinstance(exc, ImportError):
        said = N_("Piper could not be imported ({why}); try reinstalling: pip install piper-tts")
        return gettext_in(lang, said).format(why=text)
    if isinstance(exc, FileNotFoundError | IsADirectoryError):
        said = N_("the Piper voice file {file} is missing; run `ground voices` to list voices")
        return gettext_in(lang, said).format(file=model)
    said = N_(
        "Piper could not load the voice {voice} (the file may be damaged: {why}); run "
        "`ground voices`, or download the voice again"
    )
    return gettext_in(lang, said).format(voice=Path(model).name, why=text)


class Worker:
    """One loaded Piper voice."""

    def __init__(self, voice: Any, synthesis_config: Any) -> None:
        """Wrap a loaded ``PiperVoice`` and piper's ``SynthesisConfig`` class."""
        self.voice = voice
        self.synthesis_config = synthesis_config
        self.sample_rate = int(voice.config.sample_rate)

    def render(self, request: dict[str, Any]) -> dict[str, Any]:
        """Write ``request["text"]`` to ``request["path"]`` as a mono 16-bit WAV."""
        scale = request.get("length_scale")
        config = self.synthesis_config(length_scale=float(scale) if scale else None)
        pause = request.get("sentence_pause")
        seconds = float(pause) if pause is not None else SENTENCE_GAP_SECONDS
        gap = b"\x00\x00" * round(seconds * self.sample_rate)
        spoken = self.voice.synthesize(str(request["text"]), config)
        chunks = [chunk.audio_int16_bytes for chunk in spoken]
        with wave.open(str(request["path"]), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(self.sample_rate)
            out.writeframes(gap.join(chunks))
        return {"ok": True}


def main() -> int:
    """Import Piper, load the model, report readiness, then serve requests."""
    proto_in, proto_out = claim_protocol_fds()
    send = sender(proto_out)
    watch_parent()
    model, config = sys.argv[1], sys.argv[2]
    try:
        from piper import PiperVoice, SynthesisConfig

        worker = Worker(PiperVoice.load(model, config_path=config), SynthesisConfig)
    except BaseException as exc:  # any failure here means "this voice cannot run"  # noqa: BLE001
        send({"ready": False, "error": explain(exc, model)})
        return 1
    send({"ready": True, "sample_rate": worker.sample_rate})
    try:
        serve({"render": worker.render}, proto_in, send)
    except (BrokenPipeError, KeyboardInterrupt):
        return 0
    return 0


if __name__ == "__main__":
    # os._exit skips interpreter teardown: onnxruntime's threads need not be joined.
    os._exit(main())
