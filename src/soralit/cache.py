"""A cache of parsed libraries, keyed by the file's content hash.

A parse of a 10k-entry library takes bibtexparser about half a second; reading the same
records back as JSON takes a few milliseconds. Entries live under platformdirs' user cache
folder (`SORALIT_CACHE_DIR` overrides; `SORALIT_CACHE_DIR=off` disables). Deleting the cache
only costs time; a corrupt or foreign cache file is ignored and rebuilt.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from pathlib import Path

from soralit import __version__

FORMAT = 1


def cache_dir() -> Path | None:
    """The cache folder, or None when caching is off."""
    configured = os.environ.get("SORALIT_CACHE_DIR")
    if configured == "off":
        return None
    if configured:
        return Path(configured)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("soralit"))


def digest(data: bytes) -> str:
    """Content hash of the file, salted with soralit's version and cache format."""
    return hashlib.blake2b(data, digest_size=20, person=f"soralit{FORMAT}".encode()).hexdigest() + (
        f"-{__version__}"
    )


def read(key: str) -> dict | None:
    """Cached records for KEY, or None when absent, unreadable or not ours."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        with open(folder / f"{key}.json", encoding="utf-8") as handle:
            records = json.load(handle)
    except (OSError, ValueError):
        return None
    if not isinstance(records, dict) or records.get("key") != key:
        return None
    return records


def write(key: str, records: dict) -> None:
    """Store records for KEY atomically; failures are ignored (a cache is optional)."""
    folder = cache_dir()
    if folder is None:
        return
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(
                    {**records, "key": key}, handle, ensure_ascii=False, separators=(",", ":")
                )
            os.replace(tmp, folder / f"{key}.json")
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
