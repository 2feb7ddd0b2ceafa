"""The built wheel carries scripts/, audio/ and the man page, and installed alone it works."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from tests.helpers.paths import REPO

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(out),
            str(REPO),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    (found,) = out.glob("grounding_assistant-*.whl")
    return found


def test_wheel_contains_the_data_folders(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    scripts = [n for n in names if n.startswith("assistant/_data/scripts/") and n.endswith(".toml")]
    sounds = [n for n in names if n.startswith("assistant/_data/audio/") and n.endswith(".wav")]
    assert len(scripts) >= 12
    assert {Path(n).stem for n in sounds} >= {"bell", "inhale", "exhale", "hold", "top_up"}
    assert "assistant/py.typed" in names
    assert any(n.endswith("entry_points.txt") for n in names)
    entry = next(n for n in names if n.endswith("entry_points.txt"))
    assert "ground = assistant.cli.entry:run" in zipfile.ZipFile(wheel).read(entry).decode()
    assert not any("__pycache__" in n for n in names)


def test_wheel_carries_the_compiled_catalogs_and_the_scripts_in_every_language(
    wheel: Path,
) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    for lang in ("es", "de"):
        assert f"assistant/locale/{lang}/LC_MESSAGES/ground.mo" in names
        translated = [n for n in names if n.startswith(f"assistant/_data/scripts/{lang}/")]
        assert len(translated) == 16, lang
    # The sources of the catalogs stay in the sdist: ground reads only the .mo files.
    assert not [n for n in names if n.endswith((".po", ".pot"))]


def test_installed_layout_reads_scripts_and_sounds(wheel: Path, tmp_path: Path) -> None:
    """Unpacked alone (no source tree beside it), the package still finds its data."""
    zipfile.ZipFile(wheel).extractall(tmp_path)
    probe = (
        "import assistant.core.resources as r, pathlib;"
        "from assistant.core.library import shipped_scripts;"
        "from assistant.sound.assets import load_sound;"
        "from assistant.core import i18n;"
        "scripts = shipped_scripts();"
        f"assert str(r.shipped_dir('scripts')).startswith({str(tmp_path)!r});"
        f"assert str(i18n.locale_dir()).startswith({str(tmp_path)!r});"
        "i18n.install('de');"
        "assert i18n._('Settings') == 'Optionen', i18n._('Settings');"
        "assert {s.lang for s in shipped_scripts(lang='de')} == {'de'};"
        "print(len(scripts), len(load_sound('bell')))"
    )
    done = subprocess.run(
        [sys.executable, "-S", "-c", probe],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(tmp_path)},
        timeout=60,
        check=False,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    count, bell_bytes = map(int, done.stdout.split())
    assert count >= 12
    assert bell_bytes > 48000


def test_wheel_installs_the_man_page(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    (page,) = [n for n in names if n.endswith("/data/share/man/man1/ground.1")]
    text = zipfile.ZipFile(wheel).read(page).decode()
    assert text == (REPO / "man" / "ground.1").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel pip-installed into a fresh venv outside the repository; returns its bin/.

    The venv gets no packages from an index (tests run offline): the wheel goes in with
    ``--no-deps``, and a ``.pth`` line lends it this environment's site-packages for numpy and
    the rest. A path line in a ``.pth`` does not run the ``.pth`` files it points at, so the
    editable install of this checkout stays out of it (a test below proves where it loads from).
    """
    venv = tmp_path_factory.mktemp("fresh") / "venv"
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120
    )
    python = venv / "bin" / "python"
    done = subprocess.run(
        [
            sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
            "--no-deps", "--no-index", str(wheel),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout.strip()
    (Path(site) / "borrowed-dependencies.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8"
    )
    return venv / "bin"


def run_installed(bin_dir: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")
    }
    env["PATH"] = f"{bin_dir}{os.pathsep}/usr/bin:/bin"
    env["PULSE_SERVER"] = "unix:/nonexistent/pulse"
    done = subprocess.run(
        [str(bin_dir / "ground"), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        timeout=120,
        check=False,
    )
    assert "Traceback" not in done.stdout + done.stderr
    return done


def test_installed_wheel_runs_from_outside_the_repository(installed: Path, tmp_path: Path) -> None:
    probe = subprocess.run(
        [str(installed / "python"), "-c", "import assistant; print(assistant.__file__)"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
        check=True,
    )
    assert probe.stdout.startswith(str(installed.parent)), probe.stdout  # not this checkout
    version = run_installed(installed, tmp_path, "--version")
    assert version.returncode == 0 and version.stdout.startswith("ground ")
    spanish = run_installed(installed, tmp_path, "--lang", "es", "--help")
    assert spanish.returncode == 0 and spanish.stdout.startswith("uso: ground"), spanish.stdout
    listing = run_installed(installed, tmp_path, "list", "--json")
    assert listing.returncode == 0, listing.stderr
    assert {"now", "box", "resonance"} <= {s["id"] for s in json.loads(listing.stdout)["scripts"]}
    for out in ("box.wav", "box.ogg"):
        rendered = run_installed(
            installed, tmp_path, "render", "box", "--breaths", "2", "--engine", "none", "-o", out
        )
        assert rendered.returncode == 0, rendered.stderr
        assert (tmp_path / out).stat().st_size > 10_000  # the shipped tones are in it
    now = run_installed(installed, tmp_path, "now", "--no-audio", "--minutes", "0.25")
    assert now.returncode == 0, now.stderr
    completion = run_installed(installed, tmp_path, "completion", "bash")
    assert "complete -F _ground ground" in completion.stdout
    ids = run_installed(installed, tmp_path, "_ids", "scripts")
    assert "resonance" in ids.stdout.split()


def test_sdist_carries_the_makefile_and_every_script_it_runs(tmp_path: Path) -> None:
    """An unpacked sdist can `make install` and `make test`: the tools/ scripts and .ci/run."""
    import tarfile

    done = subprocess.run(
        [sys.executable, "-m", "build", "--sdist", "--no-isolation", "--outdir", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    (sdist,) = tmp_path.glob("grounding_assistant-*.tar.gz")
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    used = {word.rstrip(")") for word in makefile.split() if word.startswith("tools/")}
    assert used == {"tools/user-install", "tools/system-packages", "tools/ground-launcher"}
    assert {"Makefile", ".ci/run", *used} <= names
