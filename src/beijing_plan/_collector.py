"""Pausing the garbage collector while a large structure is built.

Building many objects that form no cycle (a ledger read, a history swept) makes
the collector walk every live object again and again for nothing. `paused` turns
it off for the work and on again afterwards, only if it was on. Pauses nest and
may overlap in several threads: the collector is turned on again when the last
one ends, and only if it was on when the first began.

While it is off, the collector still counts the objects made; turned on again
with that count over its threshold, it would at once walk every object the work
built. `paused` therefore hands the young objects to the oldest generation
before it turns the collector on (`gc.freeze` then `gc.unfreeze`, only in a
process that freezes no objects itself), as collections would after finding
them alive, without walking them.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["paused"]

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextmanager
def paused() -> Iterator[None]:
    """Run the body of a `with` with the garbage collector off.

    >>> import gc
    >>> with paused():
    ...     gc.isenabled()
    False
    """
    global _depth, _was_enabled  # noqa: PLW0603  # one state for the whole process
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                _age_young()
                gc.enable()


#: Whether objects were found frozen by someone else once: then `_age_young` does
#: nothing from then on (counting frozen objects takes as long as there are many).
_others_freeze = False


def _age_young() -> None:
    """Move the objects made while paused to the oldest generation, if there are many.

    Without it the first object made after the pause would start a collection
    of the young generation that walks all of them once more. Nothing is done in
    a process that freezes objects itself: its frozen objects stay frozen.
    """
    global _others_freeze  # noqa: PLW0603  # one state for the whole process
    if _others_freeze or gc.get_count()[0] <= gc.get_threshold()[0]:
        return
    if gc.get_freeze_count():
        _others_freeze = True
        return
    gc.freeze()
    gc.unfreeze()
