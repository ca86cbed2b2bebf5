"""Did-you-mean hints for misspelt ids and keys."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

__all__ = ["closest", "did_you_mean"]

# Above this many candidates a hint costs more than it is worth: difflib's
# matching is linear in the candidates, and a broken file may ask thousands of times.
MAX_CANDIDATES = 20_000


def closest(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate most like ``word``, or ``None`` if none is close."""
    pool = candidates if isinstance(candidates, list | tuple | set | dict) else list(candidates)
    if len(pool) > MAX_CANDIDATES:
        return None
    matches = difflib.get_close_matches(word, list(pool), n=1, cutoff=0.6)
    return matches[0] if matches else None


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """``"; did you mean `msl`?"`` or ``""``."""
    match = closest(word, candidates)
    return f"; did you mean `{match}`?" if match is not None else ""
