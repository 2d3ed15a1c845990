"""One home for the project's exceptions (newscrawl/exceptions.py, a leaf like scrapy.exceptions): no
module defines another, but the one its docstring names. A private class (`_Name`) raised and caught
inside its own module is that module's control flow, not a shared name, and is left out."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import newscrawl
from newscrawl import exceptions

# Documented in newscrawl/exceptions.py's docstring: the scale-out plug-in's StateError.
ELSEWHERE = {"newscrawl.distributed.guard.RedisUnavailable"}


def defined_exceptions() -> set[str]:
    found = set()
    for module in pkgutil.walk_packages(newscrawl.__path__, "newscrawl."):
        for name, value in vars(importlib.import_module(module.name)).items():
            if (inspect.isclass(value) and issubclass(value, BaseException) and value.__module__ == module.name
                    and not name.startswith("_")):
                found.add(f"{module.name}.{name}")
    return found


def test_every_exception_is_defined_in_the_exceptions_module():
    assert {name for name in defined_exceptions() if not name.startswith("newscrawl.exceptions.")} == ELSEWHERE


def test_each_exception_says_what_failed():
    for name, value in vars(exceptions).items():
        if inspect.isclass(value) and issubclass(value, BaseException) and value.__module__ == exceptions.__name__:
            assert (value.__doc__ or "").strip(), f"{name} has no docstring"


def test_the_one_elsewhere_is_named_in_the_module_docstring_and_is_a_state_error():
    from newscrawl.distributed.guard import RedisUnavailable

    assert "RedisUnavailable" in (exceptions.__doc__ or "")
    assert issubclass(RedisUnavailable, exceptions.StateError)


def test_the_scrapy_based_ones_are_made_on_first_use_without_scrapy_before():
    """`dataset build` imports newscrawl.exceptions but never Scrapy (0.3 s of CPU): the three that
    subclass Scrapy's exceptions are made when first imported, once, as Scrapy's subclasses."""
    import subprocess
    import sys

    code = ("import sys, newscrawl.exceptions as e; print('scrapy' in sys.modules); "
            "from newscrawl.exceptions import ClaimHeld, ChallengePage, OffsiteRedirect; "
            "from scrapy.exceptions import DropItem, IgnoreRequest; "
            "print(issubclass(ClaimHeld, DropItem), issubclass(ChallengePage, IgnoreRequest), "
            "issubclass(OffsiteRedirect, IgnoreRequest), e.ClaimHeld is ClaimHeld, ClaimHeld.__module__, "
            "ChallengePage.__qualname__)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "True", "True", "True", "True", "newscrawl.exceptions", "ChallengePage"]
    unknown = "NoSuchThing"
    try:
        getattr(exceptions, unknown)
    except AttributeError as exc:
        assert unknown in str(exc)
    else:
        raise AssertionError("an unknown name must raise AttributeError")
