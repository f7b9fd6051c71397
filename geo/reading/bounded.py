"""Reading in bounded time: a reading runs in a child process that is stopped when it takes too long.

The reading of one article is linear in its length, but an article at the size limit that names
thousands of places still takes minutes; a view serving many people must answer within a bound.
The child is forked, so it shares the sites already loaded (nothing is read or pickled again on
the way in); only the result travels back. Linux and macOS fork; where fork is missing (Windows)
the reading runs in the calling process, unbounded.
"""

from __future__ import annotations

import multiprocessing
import os
import traceback
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["ReadingTimeout", "within"]

T = TypeVar("T")


class ReadingTimeout(Exception):
    """The reading was stopped after its time budget."""


def _run(send: Any, function: Callable[..., Any], args: tuple, kwargs: dict) -> None:
    """In the child: run, send back ('ok', result) or ('error', exception), and leave at once."""
    try:
        result = ("ok", function(*args, **kwargs))
    except Exception as error:
        result = ("error", error if _picklable(error) else RuntimeError(traceback.format_exc()))
    try:
        send.send(result)
    finally:
        send.close()
        os._exit(0)  # no atexit handlers or inherited threads of the parent run in the child


def _picklable(value: Any) -> bool:
    import pickle

    try:
        pickle.dumps(value)
    except Exception:
        return False
    return True


def within(seconds: float, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """The result (or the exception) of ``function(*args, **kwargs)`` run in a forked child.

    Raises ``ReadingTimeout`` when there is no answer within ``seconds``; the child is then killed.

    >>> within(30, sorted, [3, 1, 2])
    [1, 2, 3]
    """
    if "fork" not in multiprocessing.get_all_start_methods():
        return function(*args, **kwargs)
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_run, args=(send, function, args, kwargs), daemon=True)
    child.start()
    send.close()
    try:
        if not receive.poll(seconds):
            raise ReadingTimeout(f"the reading was stopped after {seconds:g} s")
        status, value = receive.recv()
    except EOFError:
        raise RuntimeError("the reading process ended without an answer") from None
    finally:
        receive.close()
        if child.is_alive():
            child.kill()
        child.join()
    if status == "error":
        raise value
    return value
