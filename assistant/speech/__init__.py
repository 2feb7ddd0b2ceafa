"""Speech: engines (system voice, espeak-ng, silence), clip preparation and the render cache."""

from .base import (
    DEFAULT_RATE,
    EngineUnavailable,
    Rendered,
    RenderFailed,
    SpeechEngine,
    UnknownVoice,
    Voice,
)
from .cache import PROCESSING_VERSION, ClipCache
from .clips import prepare_clip, read_aiff, read_audio, read_wav, write_wav
from .espeak import EspeakEngine
from .factory import ENGINES, first_available, make_engine
from .null import NullEngine
from .pyttsx3_engine import Pyttsx3Engine
from .renderer import SpeechRenderer

__all__ = [
    "DEFAULT_RATE",
    "ENGINES",
    "PROCESSING_VERSION",
    "ClipCache",
    "EngineUnavailable",
    "EspeakEngine",
    "NullEngine",
    "Pyttsx3Engine",
    "RenderFailed",
    "Rendered",
    "SpeechEngine",
    "SpeechRenderer",
    "UnknownVoice",
    "Voice",
    "first_available",
    "make_engine",
    "prepare_clip",
    "read_aiff",
    "read_audio",
    "read_wav",
    "write_wav",
]
