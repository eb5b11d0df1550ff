"""A cache of parsed libraries, keyed by the file's content hash.

bibtexparser needs about half a second for a 10k-entry library; reading the same columns
back from here takes a few milliseconds. Files live under platformdirs' user cache folder
(`SORALIT_CACHE_DIR` overrides; `SORALIT_CACHE_DIR=off` disables). Deleting the cache
only costs time; a file that is corrupt, truncated or not ours is ignored (and replaced
on the next write). The key covers the library's bytes and the code that derived the
records, so an upgrade or a local edit of soralit never reads stale records.

File layout: a magic line, one JSON header line (key, byte order, CRC-32 of the body,
where each section lies), then the sections: JSON documents, or arrays of machine
integers (`array` bytes). A section is decoded the first time it is used. The CRC finds
damage (a truncated or flipped file); the key inside must match the file's name.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import sys
import zlib
from collections.abc import Collection, Iterator, Mapping
from pathlib import Path
from typing import Any

from soralit import __version__

FORMAT = 3
MAGIC = b"soralit-cache/3\n"
KEEP = 16  # cache files kept per folder: each edit of a library makes a new one
# Modules whose code decides what a cached record holds, and the packages they call.
_SOURCES = ("cache", "bibparse", "records", "model", "text", "texmacros", "duplicates", "ids")
_PACKAGES = ("bibtexparser", "pylatexenc")


def cache_dir() -> Path | None:
    """The cache folder, or None when caching is off."""
    configured = os.environ.get("SORALIT_CACHE_DIR")
    if configured == "off":
        return None
    if configured:
        return Path(configured)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("soralit"))


@functools.cache
def _code_fingerprint() -> bytes:
    """soralit's record-making code, and the installed parser packages (an upgrade
    replaces their files: size and mtime are enough, and cost no import)."""
    from importlib.util import find_spec

    digest = hashlib.sha256(f"{FORMAT}:{__version__}".encode())
    for name in _SOURCES:
        with contextlib.suppress(OSError):
            digest.update(Path(__file__).with_name(f"{name}.py").read_bytes())
    for package in _PACKAGES:
        with contextlib.suppress(OSError, ValueError, ImportError, TypeError):
            origin = find_spec(package).origin  # type: ignore[union-attr]
            stat = os.stat(origin)  # type: ignore[arg-type]
            digest.update(f"{package}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.digest()


def digest(data: bytes) -> str:
    """Content hash of the file, salted with soralit's version and record-making code."""
    content = hashlib.sha256(_code_fingerprint())
    content.update(data)
    return content.hexdigest()


class Sections(Mapping[str, Any]):
    """The sections of one cache file, each decoded on first access."""

    def __init__(self, body: bytes, layout: dict[str, list[Any]]) -> None:
        self._body, self._layout, self._decoded = memoryview(body), layout, {}

    def __getitem__(self, name: str) -> Any:
        if name not in self._decoded:
            kind, start, length = self._layout[name]
            chunk = self._body[start : start + length]
            self._decoded[name] = json.loads(bytes(chunk)) if kind == "json" else chunk.cast(kind)
        return self._decoded[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._layout)

    def __len__(self) -> int:
        return len(self._layout)


def read(key: str) -> Sections | None:
    """The cached sections for KEY, or None when absent, unreadable or not ours."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        data = (folder / f"{key}.cache").read_bytes()
        header_end = data.index(b"\n", len(MAGIC))
        header = json.loads(data[len(MAGIC) : header_end])
        body = data[header_end + 1 :]
        valid = (
            data.startswith(MAGIC)
            and header["key"] == key
            and header["byteorder"] == sys.byteorder
            and zlib.crc32(body) == header["crc32"]
        )
        return Sections(body, header["sections"]) if valid else None
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _encode(value: Any, is_array: bool) -> tuple[str, bytes]:
    if not is_array:
        return "json", json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
    low, high = min(value, default=0), max(value, default=0)
    kind = "i" if low >= -(2**31) and high < 2**31 else "q"
    import array

    return kind, array.array(kind, value).tobytes()


def encode(key: str, sections: Mapping[str, Any], arrays: Collection[str]) -> bytes:
    """The bytes of a cache file holding SECTIONS (ARRAYS name lists of ints)."""
    layout, parts, offset = {}, [], 0
    for name, value in sections.items():
        kind, chunk = _encode(value, name in arrays)
        layout[name] = [kind, offset, len(chunk)]
        chunk += b"\0" * (-len(chunk) % 8)  # keep every array aligned
        parts.append(chunk)
        offset += len(chunk)
    body = b"".join(parts)
    header = {
        "key": key,
        "byteorder": sys.byteorder,
        "crc32": zlib.crc32(body),
        "sections": layout,
    }
    return MAGIC + json.dumps(header, separators=(",", ":")).encode() + b"\n" + body


def write(key: str, sections: Mapping[str, Any], arrays: Collection[str] = ()) -> None:
    """Store SECTIONS for KEY atomically; failures are ignored (a cache is optional)."""
    folder = cache_dir()
    if folder is None:
        return
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
        import tempfile

        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(encode(key, sections, arrays))
            os.replace(tmp, folder / f"{key}.cache")
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        _prune(folder)


def _prune(folder: Path) -> None:
    """Keep the KEEP most recently written cache files (and none of format 1, `*.json`)."""
    files = sorted(folder.glob("*.cache"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in [*files[KEEP:], *folder.glob("*.json")]:
        with contextlib.suppress(OSError):
            old.unlink()
