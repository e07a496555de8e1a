"""Hand freed heap memory back to the system between stages (glibc's ``malloc_trim``).

The parser's and the tagger's working memory for a batch is freed when the batch is done, but
glibc keeps the freed pages, so the stance stage's working memory would come on top of theirs.
Trimming after each of those stages keeps a process's peak that of its largest stage: on PolNeAR
dev, the default ``infer`` peaked at 1.51 GB without and 1.38 GB with it, at no cost in time
(docs/batch-jobs.md). Elsewhere than glibc this does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools

__all__ = ["release_memory"]


@functools.lru_cache(maxsize=1)
def _malloc_trim():
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc.malloc_trim
    except (OSError, AttributeError):
        return None


def release_memory() -> None:
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
