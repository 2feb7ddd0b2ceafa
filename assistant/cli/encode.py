"""Write a rendered session compressed (Ogg Vorbis, Opus, MP3, FLAC) through libsndfile.

WAV stays with the session's own writer (:func:`compressed` says which one a name needs).
The compressed formats go through ``soundfile``
(libsndfile), imported only when one is asked for, so no other path pays for it. They are
encoded in memory and written like every other output (atomically: a failed encode never
leaves half a file behind, nor replaces a good one).
"""

from __future__ import annotations

from pathlib import Path

from assistant.core.i18n import _

FORMATS: dict[str, tuple[str, str] | None] = {
    ".wav": None,
    ".ogg": ("OGG", "VORBIS"),
    ".oga": ("OGG", "VORBIS"),
    ".opus": ("OGG", "OPUS"),
    ".mp3": ("MP3", "MPEG_LAYER_III"),
    ".flac": ("FLAC", "PCM_16"),
}
"""File suffix → libsndfile (format, subtype); None for the built-in WAV writer."""

SUFFIXES = ", ".join(sorted({s for s in FORMATS if s != ".oga"}))
"""The suffixes ``ground render -o`` understands, for messages and help."""

_COMPRESSION = 0.6
"""libsndfile's 0 (best quality) … 1 (smallest) scale: plenty for speech and soft tones."""


_BLOCK = 8192
"""Frames handed to libsndfile per call."""


class EncodeError(ValueError):
    """The file cannot be written in that format here; the message is one line saying why."""


def check_suffix(path: Path) -> None:
    """Raise :class:`EncodeError` unless ``path``'s suffix is one ``ground render`` writes."""
    suffix = path.suffix.lower()
    if suffix and suffix not in FORMATS:
        raise EncodeError(
            _("{file}: ground writes {suffixes} files, not {suffix}").format(
                file=path, suffixes=SUFFIXES, suffix=path.suffix
            )
        )


def compressed(path: Path) -> bool:
    """Whether ``path`` names a compressed format (else it is a WAV, or no suffix: WAV too).

    Raises:
        EncodeError: a suffix ground does not write.
    """
    check_suffix(path)
    return FORMATS.get(path.suffix.lower()) is not None


def encode_audio(path: Path, pcm: bytes, rate: int, *, title: str = "") -> bytes:
    """Mono 16-bit ``pcm`` encoded in the compressed format ``path``'s suffix names.

    The bytes are written by the caller, atomically, like every other output.

    Raises:
        EncodeError: not a compressed suffix, soundfile missing, or this libsndfile lacks it.
    """
    spec = FORMATS.get(path.suffix.lower()) if compressed(path) else None
    if spec is None:
        raise EncodeError(_("{file}: not a compressed format; write it as a WAV").format(file=path))
    sf = _soundfile(path)
    fmt, subtype = spec
    if not sf.check_format(fmt, subtype):
        version = getattr(sf, "__libsndfile_version__", "?")
        if fmt == "MP3":
            cannot = _(
                "{file}: this machine's libsndfile {version} cannot write {suffix} files "
                "(MP3 needs libsndfile 1.1 or later); write a .wav, .flac or .ogg instead"
            )
        else:
            cannot = _(
                "{file}: this machine's libsndfile {version} cannot write {suffix} files; "
                "write a .wav, .flac or .ogg instead"
            )
        raise EncodeError(cannot.format(file=path, version=version, suffix=path.suffix))
    import io

    import numpy as np

    samples = np.frombuffer(pcm, dtype="<i2")
    buffer = io.BytesIO()
    with sf.SoundFile(
        buffer,
        "w",
        samplerate=rate,
        channels=1,
        format=fmt,
        subtype=subtype,
        # Lossy encoders take the quality setting; FLAC is lossless either way.
        compression_level=None if fmt == "FLAC" else _COMPRESSION,
    ) as out:
        if title:
            out.title = title
            out.software = "ground"
        # In blocks: libvorbis allocates a whole write on the stack (alloca), and a
        # 10-minute session in one call overflows it (libsndfile issue 1095).
        for start in range(0, len(samples), _BLOCK):
            out.write(samples[start : start + _BLOCK])
    return buffer.getvalue()


def _soundfile(path: Path):  # type: ignore[no-untyped-def]  # soundfile ships no annotations
    try:
        import soundfile
    except (ImportError, OSError) as exc:  # OSError: the package is there, libsndfile is not
        raise EncodeError(
            _(
                "{file}: writing {suffix} files needs the soundfile package and libsndfile "
                "({why}); `pip install soundfile`, or write a .wav"
            ).format(file=path, suffix=path.suffix, why=exc)
        ) from None
    return soundfile
