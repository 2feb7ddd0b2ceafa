"""``core.model.value_type``: the same ``==``, ``hash``, ``repr`` as ``dataclass(frozen=True)``."""

from __future__ import annotations

from dataclasses import FrozenInstanceError, dataclass, replace
from typing import Any

import pytest

from assistant.core.model import value_type


@dataclass(frozen=True)
class Generated:
    a: int
    b: Any = None


@value_type
@dataclass(frozen=True, eq=False, repr=False)
class Shared:
    a: int
    b: Any = None


@value_type
@dataclass(frozen=True, eq=False, repr=False)
class One:
    a: int


@value_type
@dataclass(frozen=True, eq=False, repr=False)
class Empty:
    pass


@value_type
@dataclass(frozen=True, eq=False, repr=False)
class OwnRepr:
    a: int

    def __repr__(self) -> str:
        return "mine"


@pytest.mark.parametrize("a, b", [(1, None), (2, "x"), (3, (1, 2.5)), (0, frozenset({4}))])
def test_same_as_the_generated_methods(a: int, b: Any) -> None:
    made, ours = Generated(a, b), Shared(a, b)
    assert repr(ours) == repr(made).replace("Generated", "Shared")
    assert hash(ours) == hash(made)
    assert ours == Shared(a, b)
    assert ours != Shared(a + 1, b)
    assert ours.__eq__(made) is NotImplemented  # another class never equals


def test_one_field_and_none() -> None:
    assert repr(One(5)) == "One(a=5)" and One(5) == One(5) and hash(One(5)) == hash((5,))
    assert repr(Empty()) == "Empty()" and Empty() == Empty() and hash(Empty()) == hash(())


def test_a_value_containing_itself_and_an_own_method() -> None:
    box: list[Any] = []
    ours, made = Shared(1, box), Generated(1, [])
    box.append(ours)
    made.b.append(made)
    assert repr(ours) == repr(made).replace("Generated", "Shared")
    assert repr(OwnRepr(1)) == "mine"


def test_still_frozen_and_replaceable() -> None:
    ours = Shared(1, 2)
    with pytest.raises(FrozenInstanceError):
        ours.a = 3  # type: ignore[misc]
    assert replace(ours, a=3) == Shared(3, 2)
