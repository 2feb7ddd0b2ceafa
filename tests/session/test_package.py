"""The session package's door: every name it offers resolves, each from its own module, and
asking for one imports only that module (the TUI's first frame needs only ``session.build``)."""

from __future__ import annotations

import subprocess
import sys

import assistant.session as session


def test_every_offered_name_resolves_to_its_modules_object() -> None:
    import importlib

    assert set(session.__all__) == set(session._HOME)
    for name, home in session._HOME.items():
        assert getattr(session, name) is getattr(importlib.import_module(home), name), name


def test_an_unknown_name_is_an_attribute_error() -> None:
    try:
        session.no_such_thing  # noqa: B018 - the lookup is the test
    except AttributeError as exc:
        assert "no_such_thing" in str(exc)
    else:
        raise AssertionError("an unknown name resolved")


def test_the_home_screens_names_do_not_import_the_live_session() -> None:
    code = (
        "import sys\n"
        "from assistant.session import listed_seconds_key, listed_timeline\n"
        "print(' '.join(m for m in ('assistant.session.live', 'assistant.session.practice',"
        " 'assistant.session.warm', 'assistant.speech.factory') if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-P", "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "", done.stdout
