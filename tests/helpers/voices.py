"""A Piper voice's files as a test makes them: an ONNX header and a config naming a language."""

from __future__ import annotations

import json
from pathlib import Path

#: The first bytes of an ONNX model file (a protobuf naming its producer).
ONNX_HEAD = b"\x08\x08\x12\x07pytorch"


def piper_voice(folder: Path, name: str, code: str) -> Path:
    """Write ``name``.onnx and its .json (language ``code``) into ``folder``; the model's path."""
    folder.mkdir(parents=True, exist_ok=True)
    model = folder / f"{name}.onnx"
    model.write_bytes(ONNX_HEAD + b"\x00" * 64)
    config = {"audio": {"sample_rate": 22050}, "language": {"code": code}}
    (folder / f"{name}.onnx.json").write_text(json.dumps(config), encoding="utf-8")
    return model
