"""analysis.io.lazy: functools.cached_property's behaviour without 3.11's lock."""
import sys

import pytest

from analysis.io import lazy


class Counted:
    calls = 0

    def __init__(self, base):
        self.base = base

    @lazy._Unlocked
    def doubled(self):
        """Twice the base."""
        Counted.calls += 1
        return self.base * 2


def test_computed_once_per_instance_and_kept_in_its_dict():
    Counted.calls = 0
    a, b = Counted(3), Counted(5)
    assert (a.doubled, a.doubled, b.doubled) == (6, 6, 10)
    assert Counted.calls == 2  # once for a, once for b
    assert a.__dict__["doubled"] == 6
    del a.__dict__["doubled"]  # what clearing a cached value does: the next access computes again
    a.base = 4
    assert a.doubled == 8 and Counted.calls == 3


def test_class_access_gives_the_descriptor_with_its_doc():
    assert isinstance(Counted.doubled, lazy._Unlocked)
    assert Counted.doubled.__doc__ == "Twice the base."


def test_one_descriptor_cannot_take_two_names():
    shared = lazy._Unlocked(lambda self: 1)
    with pytest.raises((TypeError, RuntimeError)):  # 3.11 wraps an error in __set_name__ in RuntimeError
        type("Twice", (), {"a": shared, "b": shared})


def test_the_lock_free_one_is_used_where_the_stdlib_one_locks():
    assert (lazy.cached_property is lazy._Unlocked) == (sys.version_info < (3, 12))
    from analysis.match import patterns
    assert isinstance(patterns.MatchText.__dict__["folded"], lazy.cached_property)
