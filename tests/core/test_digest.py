"""The light SHA-256 is SHA-256: cache keys made with it match hashlib's."""

from __future__ import annotations

import hashlib

import pytest

from assistant.core.digest import sha256


@pytest.mark.parametrize(
    "data", [b"", b"abc", "breathe in — slowly".encode(), bytes(range(256)) * 999]
)
def test_same_digest_as_hashlib(data: bytes) -> None:
    assert sha256(data).hexdigest() == hashlib.sha256(data).hexdigest()
    step = sha256()
    for start in range(0, len(data), 4096):
        step.update(data[start : start + 4096])
    assert step.hexdigest() == hashlib.sha256(data).hexdigest()
