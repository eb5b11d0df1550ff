"""A cache of parsed libraries, keyed by the file's content hash.

bibtexparser needs about half a second for a 10k-entry library; reading the same columns
back from here takes a few milliseconds. Files live under platformdirs' user cache folder
(`SORALIT_CACHE_DIR` overrides; `SORALIT_CACHE_DIR=off` disables). Deleting the cache
only costs time; a file that is corrupt, truncated or not ours is ignored (and replaced
on the next write). The key covers the library's bytes and the code that derived the
records, so an upgrade or a local edit of soralit never reads stale records.

File layout: a magic line, one JSON header line (key, byte order, where each section
lies and its CRC-32), then the sections: JSON documents, UTF-8 text (a str, or a
list of one-line strings joined by newlines), or arrays of machine integers (`array`
bytes). A section is decoded the first time it is used; none needs a JSON parse of
more than a few kilobytes. The CRC finds
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
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from _hashlib import HASH

from soralit import __version__

FORMAT = 8
MAGIC = b"soralit-cache/8\n"
KINDS = frozenset({"json", "text", "lines", "i", "q"})  # how a section may be stored
KEEP = 16  # cache files kept per folder: each edit of a library makes a new one
# The installed packages whose code shapes the parsed records, besides soralit itself.
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
    """soralit's record-making code and the installed parser packages, as they stand.

    Found, not listed: every module of soralit's top-level package counts, for that is
    where everything that reads, parses and shapes records lives (the subpackages,
    `commands`, `operations`, `render`, `sources`, `importers`, only use records). Size
    and mtime of each file are enough (an upgrade or an edit changes them; Python's own
    bytecode check trusts the same) and cost no read; a parser package is judged by its
    `__init__`.
    """
    from importlib.util import find_spec

    digest = hashlib.sha256(f"{FORMAT}:{__version__}".encode())
    with os.scandir(Path(__file__).parent) as found:
        modules = sorted((e.name, e.stat()) for e in found if e.name.endswith(".py"))
    for name, stat in modules:
        digest.update(f"{name}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    for package in _PACKAGES:
        with contextlib.suppress(OSError, ValueError, ImportError, AttributeError):
            spec = find_spec(package)
            origin = spec.origin if spec is not None else None
            if origin:
                stat = os.stat(origin)
                digest.update(f"{package}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.digest()


def digest(data: bytes) -> str:
    """Content hash of the file, salted with soralit's version and record-making code."""
    return hasher(data).hexdigest()


def hasher(data: bytes) -> HASH:
    """The hash object of `digest` after DATA: `.copy().update(more)` gives the digest of
    DATA + more without hashing DATA again."""
    content = hashlib.sha256(_code_fingerprint())
    content.update(data)
    return content


@dataclass(frozen=True)
class Stored:
    """One section as a cache file holds it: its kind, bytes and CRC-32."""

    kind: str
    chunk: memoryview
    crc: int


@dataclass(frozen=True)
class Extended:
    """A section to write as a stored one with MORE bytes of the same kind after it
    (an append: the old bytes are neither decoded, encoded nor checksummed again)."""

    stored: Stored
    more: bytes = b""


def resolved(value: Any) -> Any:
    """VALUE as a read of the cache file would give it: an `Extended` section decoded
    from its stored bytes and the bytes after them; anything else as it is."""
    if not isinstance(value, Extended):
        return value
    return _decode(value.stored.kind, memoryview(bytes(value.stored.chunk) + value.more))


class Sections(Mapping[str, Any]):
    """The sections of one cache file, each decoded on first access."""

    def __init__(self, body: bytes | memoryview, layout: dict[str, list[Any]]) -> None:
        self._body, self._layout = memoryview(body), layout
        self._decoded: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        if name not in self._decoded:
            stored = self.stored(name)
            self._decoded[name] = _decode(stored.kind, stored.chunk)
        return self._decoded[name]

    def stored(self, name: str) -> Stored:
        """Section NAME as stored, not decoded (KeyError if there is none)."""
        kind, start, length, crc = self._layout[name]
        return Stored(kind, self._body[start : start + length], crc)

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
        body = memoryview(data)[header_end + 1 :]
        valid = (
            data.startswith(MAGIC)
            and all(kind in KINDS for kind, *_ in header["sections"].values())
            and header["key"] == key
            and header["byteorder"] == sys.byteorder
            and all(
                start + length <= len(body) and zlib.crc32(body[start : start + length]) == crc
                for _kind, start, length, crc in header["sections"].values()
            )
        )
        return Sections(body, header["sections"]) if valid else None
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _decode(kind: str, chunk: memoryview) -> Any:
    if kind == "json":
        return json.loads(bytes(chunk))
    if kind == "text":
        return str(chunk, "utf-8")
    if kind == "lines":
        return str(chunk, "utf-8").split("\n") if chunk else []
    return chunk.cast("q" if kind == "q" else "i")


def _encode(value: Any, as_array: bool, as_lines: bool) -> tuple[str, bytes]:
    """(kind, bytes) of one section: machine integers (`as_array`, or an array or
    memoryview already), UTF-8 text for a str, lines of text (`as_lines`: a list of
    one-line strings), else JSON."""
    from array import array

    if as_array or isinstance(value, array | memoryview):
        packed = int_array(value)
        return packed.typecode, packed.tobytes()
    if isinstance(value, str):
        return "text", value.encode("utf-8")
    joined = "\n".join(value) if as_lines else ""
    if as_lines and joined.count("\n") == max(len(value) - 1, 0) and (joined or not value):
        return "lines", joined.encode("utf-8")
    return "json", json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def int_array(values: Any) -> Any:
    """VALUES as a machine array ('i' when every value fits, else 'q'); an array or a
    memoryview read from the cache is taken as it is, without a loop in Python."""
    from array import array

    if isinstance(values, array):
        return values
    if isinstance(values, memoryview):
        copy = array(values.format)
        copy.frombytes(values.cast("B"))
        return copy
    low, high = min(values, default=0), max(values, default=0)
    return array("i" if low >= -(2**31) and high < 2**31 else "q", values)


def encode(
    key: str, sections: Mapping[str, Any], arrays: Collection[str], lines: Collection[str] = ()
) -> bytes:
    """The bytes of a cache file holding SECTIONS (ARRAYS name lists of ints, LINES lists
    of one-line strings; an `Extended` value is a stored section and more of it)."""
    return b"".join(_encoded_parts(key, sections, arrays, lines))


def _encoded_parts(
    key: str, sections: Mapping[str, Any], arrays: Collection[str], lines: Collection[str]
) -> list[bytes | memoryview]:
    """The cache file in pieces (written one after the other: no copy of the body)."""
    layout: dict[str, list[Any]] = {}
    parts: list[bytes | memoryview] = []
    offset = 0
    for name, value in sections.items():
        chunks: list[bytes | memoryview]
        if isinstance(value, Extended):
            kind, chunks = value.stored.kind, [value.stored.chunk, value.more]
            crc = zlib.crc32(value.more, value.stored.crc)
        else:
            kind, chunk = _encode(value, name in arrays, name in lines)
            chunks, crc = [chunk], zlib.crc32(chunk)
        length = sum(len(c) for c in chunks)
        layout[name] = [kind, offset, length, crc]
        padding = b"\0" * (-length % 8)  # keep every array aligned
        parts += (*chunks, padding)
        offset += length + len(padding)
    header = {"key": key, "byteorder": sys.byteorder, "sections": layout}
    return [MAGIC + json.dumps(header, separators=(",", ":")).encode() + b"\n", *parts]


def write(
    key: str, sections: Mapping[str, Any], arrays: Collection[str] = (), lines: Collection[str] = ()
) -> None:
    """Store SECTIONS for KEY atomically; failures are ignored (a cache is optional)."""
    folder = cache_dir()
    if folder is None:
        return
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
        # A name of our own, not tempfile's (whose import, shutil and all, costs a cold
        # read ~10 ms): this process's id and a random suffix, created exclusively.
        tmp = folder / f".{os.getpid()}-{os.urandom(6).hex()}.tmp"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.writelines(_encoded_parts(key, sections, arrays, lines))
            os.replace(tmp, folder / f"{key}.cache")
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        _prune(folder)


def _prune(folder: Path) -> None:
    """Keep the KEEP most recently written cache files (and none of format 1, `*.json`)."""
    with os.scandir(folder) as found:  # not Path.glob: it compiles a regex per pattern
        names = [(e.name, e.stat().st_mtime) for e in found if e.name.endswith((".cache", ".json"))]
    caches = sorted((t, n) for n, t in names if n.endswith(".cache"))
    old = [n for _, n in caches[:-KEEP]] + [n for n, _ in names if n.endswith(".json")]
    for name in old:
        with contextlib.suppress(OSError):
            (folder / name).unlink()
