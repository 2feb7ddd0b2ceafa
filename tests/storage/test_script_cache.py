"""The parsed-script cache: the same scripts as parsing, reused only while a file is unchanged."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from assistant.core.library import load_library
from assistant.core.loader import ScriptError, load_script
from assistant.core.model import Script
from assistant.storage.paths import cache_dir, user_scripts_dir
from assistant.storage.script_cache import CACHE_NAME, ScriptCache, cached_library

GOOD = """id = "{id}"
title = "{title}"
summary = "A test."
category = "breathe"

[[step]]
say = "Hello."
pause = 1
"""


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


class Counting:
    """``load_script`` that counts the files it really parsed."""

    def __init__(self) -> None:
        self.parsed: list[str] = []

    def __call__(self, path: Path) -> Script:
        self.parsed.append(path.name)
        return load_script(path)


def test_a_second_run_reads_the_scripts_from_the_cache_unchanged() -> None:
    folder = user_scripts_dir()
    for n in range(3):
        write(folder, f"mine-{n}", GOOD.format(id=f"mine-{n}", title=f"Mine {n}"))
    plain = load_library(folder)
    first, _ = cached_library()
    assert first.scripts == plain.scripts  # the cache changes nothing about what is loaded
    assert (cache_dir() / CACHE_NAME).stat().st_mode & 0o777 == 0o600

    again = ScriptCache.open()
    spy = Counting()
    for path in sorted(folder.glob("*.toml")):
        assert again.load(path, spy) == plain.scripts[path.stem]
    assert spy.parsed == []


def test_an_edited_file_is_parsed_again() -> None:
    folder = user_scripts_dir()
    path = write(folder, "mine", GOOD.format(id="mine", title="Before"))
    cached_library()
    path.write_text(GOOD.format(id="mine", title="After, and longer"), encoding="utf-8")
    assert cached_library()[0].scripts["mine"].title == "After, and longer"
    # Same size and mtime put back, but the write still moved ctime: parsed again.
    info = path.stat()
    path.write_text(GOOD.format(id="mine", title="Afterwards, longer"), encoding="utf-8")
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert cached_library()[0].scripts["mine"].title == "Afterwards, longer"


def test_a_broken_file_stays_a_problem_until_fixed() -> None:
    folder = user_scripts_dir()
    path = write(folder, "broken", 'id = "broken"\ntitle = \n')
    for _ in range(2):
        library, _ = cached_library()
        assert "broken" not in library.scripts
        assert [Path(p.path).name for p in library.problems] == ["broken.toml"]
    spy = Counting()
    with pytest.raises(ScriptError):
        ScriptCache.open().load(path, spy)
    assert spy.parsed == []  # the problem came from the cache
    write(folder, "broken", GOOD.format(id="broken", title="Fixed"))
    assert cached_library()[0].scripts["broken"].title == "Fixed"


def test_derived_values_are_computed_once_per_file() -> None:
    folder = user_scripts_dir()
    write(folder, "mine", GOOD.format(id="mine", title="Mine"))
    calls: list[str] = []

    def seconds(script: Script) -> float:
        calls.append(script.id)
        return 42.0

    library, cache = cached_library()
    assert cache.derived(library.scripts["mine"], "seconds", seconds) == 42.0
    cache.save()
    library, cache = cached_library()
    assert cache.derived(library.scripts["mine"], "seconds", seconds) == 42.0
    assert calls == ["mine"]


@pytest.mark.parametrize("content", [b"not a pickle", b"\x80\x05garbage", b""])
def test_a_damaged_cache_is_ignored(content: bytes) -> None:
    folder = user_scripts_dir()
    write(folder, "mine", GOOD.format(id="mine", title="Mine"))
    cached_library()
    (cache_dir() / CACHE_NAME).write_bytes(content)
    assert cached_library()[0].scripts["mine"].title == "Mine"


def test_a_cache_from_other_program_files_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    import assistant.storage.script_cache as module

    folder = user_scripts_dir()
    path = write(folder, "mine", GOOD.format(id="mine", title="Mine"))
    cached_library()
    monkeypatch.setattr(module, "program_stamp", lambda: "another version")
    spy = Counting()
    ScriptCache.open().load(path, spy)
    assert spy.parsed == ["mine.toml"]


def test_a_symlinked_cache_file_is_not_followed(tmp_path: Path) -> None:
    folder = user_scripts_dir()
    path = write(folder, "mine", GOOD.format(id="mine", title="Mine"))
    cached_library()
    real = cache_dir() / CACHE_NAME
    elsewhere = tmp_path / "elsewhere.cache"
    real.rename(elsewhere)
    real.symlink_to(elsewhere)
    spy = Counting()
    ScriptCache.open().load(path, spy)
    assert spy.parsed == ["mine.toml"]


def test_a_fifo_or_a_shared_file_at_the_cache_path_is_ignored(ground_home: Path) -> None:
    """A FIFO is never waited on; a file others may write is never unpickled."""
    import os
    import threading

    from assistant.storage.paths import cache_dir, private_dir
    from assistant.storage.script_cache import CACHE_NAME, cached_library

    path = private_dir(cache_dir()) / CACHE_NAME
    os.mkfifo(path)
    done = threading.Event()
    result: list[object] = []

    def run() -> None:
        result.append(cached_library()[0])
        done.set()

    threading.Thread(target=run, daemon=True).start()
    assert done.wait(20), "cached_library waited on a FIFO"
    assert "box" in result[0].scripts
    path.unlink()
    cached_library()  # writes a real cache
    path.chmod(0o666)
    from assistant.storage.script_cache import _read, program_stamp

    assert _read(path, program_stamp()) == {}


def test_the_program_stamp_covers_every_module_file() -> None:
    """The stamp (an os.walk, for the TUI's first frame) sees the files a plain rglob sees."""
    import assistant
    from assistant.storage.script_cache import program_stamp

    files = [p for p in Path(assistant.__file__).resolve().parent.rglob("*.py") if p.is_file()]
    count, total, newest = program_stamp().rsplit(":", 3)[1:]
    assert int(count) == len(files)
    assert int(total) == sum(p.stat().st_size for p in files)
    assert int(newest) == max(p.stat().st_mtime_ns for p in files)
