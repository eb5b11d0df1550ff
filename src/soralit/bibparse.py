"""The bridge to bibtexparser 2: BibTeX text -> plain records that `storage` and `cache` use.

Records are JSON-friendly lists so that a parse can be cached:
`entries`: `[key, type, [[field, value], ...], line, start, end]` (line 1-based, start/end
character offsets of the entry's exact text); `taxonomy`: `[comment, line, start, end]`.
"""

from __future__ import annotations

import bisect
import logging
from pathlib import Path

from soralit.errors import LibraryError
from soralit.taxonomy import MARKER


def _line_starts(text: str) -> list[int]:
    starts, pos = [0], text.find("\n")
    while pos != -1:
        starts.append(pos + 1)
        pos = text.find("\n", pos + 1)
    return starts


def parse(path: Path, text: str) -> dict:
    """Parse TEXT; the first malformed block raises LibraryError naming PATH and its line."""
    import bibtexparser
    from bibtexparser import model

    logging.getLogger("bibtexparser").setLevel(logging.CRITICAL + 1)  # we report errors ourselves
    try:
        parsed = bibtexparser.parse_string(text)
    except Exception as exc:  # bibtexparser raises assorted errors on pathological input
        raise LibraryError(path, None, f"cannot be parsed as BibTeX ({exc})") from None
    starts = _line_starts(text)
    entries, taxonomy, cursor = [], None, 0
    for parsed_block in parsed.blocks:
        block = parsed_block
        start = text.find(parsed_block.raw, starts[min(block.start_line or 0, len(starts) - 1)])
        if start < 0:
            start = text.find(parsed_block.raw, cursor)
        end = start + len(parsed_block.raw)
        cursor = max(cursor, end)
        line = bisect.bisect_right(starts, start)
        raw_values = False
        if isinstance(block, model.DuplicateBlockKeyBlock):
            # A duplicate key is reported by `check`, not fatal. bibtexparser hands the
            # block back without running its middlewares, so values keep their delimiters.
            block, raw_values = block.ignore_error_block, True
        if isinstance(block, model.ParsingFailedBlock):
            raise LibraryError(path, line, f"malformed BibTeX block: {_reason(block.error)}")
        if isinstance(block, model.Entry):
            fields = [[f.key.lower(), _value(f.value, raw_values)] for f in block.fields]
            entries.append([block.key, block.entry_type.lower(), fields, line, start, end])
        elif isinstance(block, model.ExplicitComment) and block.comment.lstrip().startswith(MARKER):
            taxonomy = [block.comment.strip(), line, start, end]
    return {"entries": entries, "taxonomy": taxonomy}


def _value(value: object, delimited: bool) -> str:
    text = value if isinstance(value, str) else str(value)
    if delimited and len(text) >= 2 and (text[0], text[-1]) in (("{", "}"), ('"', '"')):
        return text[1:-1]
    return text


def _reason(error: object) -> str:
    """bibtexparser's explanation, as one short line."""
    text = getattr(error, "abort_reason", "") or str(error or "") or "syntax error"
    return text.strip().splitlines()[0].rstrip(".").lower()
