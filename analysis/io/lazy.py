"""``cached_property`` without Python 3.11's lock.

3.11's ``functools.cached_property`` takes one lock per property, shared by every instance, on each
first access; 3.12 dropped it (python/cpython#87634) and computes without one, as this does.  The
coder makes several objects per sentence (``MatchText``, ``Reading``, ``Verb``…) whose lists are found
on first use: the lock was about 1 % of a cold run's instructions.  Two threads that ask at once
(Dask's threaded scheduler) both compute the same value and one is kept, as on 3.12.
"""
from __future__ import annotations

import sys
from functools import cached_property as _stdlib

__all__ = ["cached_property"]


class _Unlocked:
    """Computes on first access and stores the value in the instance's ``__dict__`` (which then
    answers every later access without calling this), like ``functools.cached_property``."""

    def __init__(self, func):
        self.func = func
        self.attrname: str | None = None
        self.__doc__ = func.__doc__
        self.__module__ = func.__module__

    def __set_name__(self, owner, name: str) -> None:
        if self.attrname is None:
            self.attrname = name
        elif name != self.attrname:
            raise TypeError(f"cannot assign the same cached_property to two names ({self.attrname!r} and {name!r})")

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        if self.attrname is None:
            raise TypeError("cannot use cached_property without calling __set_name__ on it")
        value = self.func(instance)
        instance.__dict__[self.attrname] = value
        return value


cached_property = _stdlib if sys.version_info >= (3, 12) else _Unlocked
