"""Three-way merge of library texts, entry by entry: the heart of `soralit merge-driver`.

Pure: texts and block spans in, merged text and the conflicting units out; no git, no
disk. A library is cut into *units*: the file's preamble, then one unit per block (an
entry, or the taxonomy `@comment`), each holding the blank lines before it, the `%`
comment lines directly above it (they travel with their entry) and the block itself, and
the tail after the last block. Units are matched across the three versions by key:

- changed on one side only: that side wins; changed alike on both: taken once;
- added on one side or on both (different keys): all kept, each near its neighbour in
  the version that added it;
- removed on one side and untouched on the other: removed;
- changed differently on both sides (or changed on one, removed on the other): a
  conflict on that unit alone, between conflict markers; the rest merges cleanly.

The taxonomy block is one unit: merged or conflicted as a whole.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

TAXONOMY = "@taxonomy"


@dataclass(frozen=True)
class Layout:
    """A library text cut into units: `units` maps unit id -> text, in file order."""

    preamble: str
    units: dict[str, str]
    tail: str

    @property
    def order(self) -> list[str]:
        return list(self.units)


@dataclass(frozen=True)
class Labels:
    """Conflict-marker labels; `base` None leaves the base version out (git's default
    `merge` style; `diff3` shows it)."""

    ours: str = "ours"
    theirs: str = "theirs"
    base: str | None = None
    size: int = 7


@dataclass(frozen=True)
class Merged:
    text: str
    conflicts: list[str] = field(default_factory=list)  # unit ids: entry keys, @taxonomy


def layout(text: str, blocks: Sequence[tuple[str, int, int]]) -> Layout:
    """Cut TEXT into units. BLOCKS are (key, start, end) of each entry (key `@taxonomy`
    for the taxonomy block), in any order; a key seen twice gets `#2`, `#3`... appended."""
    units: dict[str, str] = {}
    seen: dict[str, int] = {}
    position, preamble = 0, None
    for key, start, end in sorted(blocks, key=lambda b: b[1]):
        seen[key] = seen.get(key, 0) + 1
        unit_id = key if seen[key] == 1 else f"{key}#{seen[key]}"
        if preamble is None:
            position = _comments_start(text, start)
            preamble = text[:position]
        units[unit_id] = text[position:end]
        position = end
    if preamble is None:
        return Layout(text, {}, "")
    return Layout(preamble, units, text[position:])


def _comments_start(text: str, start: int) -> int:
    """Where the `%` comment lines directly above offset START begin (START if none)."""
    while start > 0:
        line_start = text.rfind("\n", 0, start - 1) + 1
        if not text[line_start : start - 1].lstrip().startswith("%"):
            break
        start = line_start
    return start


def merge(base: Layout, ours: Layout, theirs: Layout, labels: Labels = Labels()) -> Merged:
    """The three-way merge of the units; conflicts marked in the text and listed."""
    conflicts: list[str] = []
    pieces = [_merge_piece("preamble", base.preamble, ours.preamble, theirs.preamble)]
    for unit_id in merged_order(base, ours, theirs):
        pieces.append(
            _merge_piece(
                unit_id,
                base.units.get(unit_id),
                ours.units.get(unit_id),
                theirs.units.get(unit_id),
            )
        )
    pieces.append(_merge_piece("tail", base.tail, ours.tail, theirs.tail))
    text = []
    for unit_id, piece in pieces:
        if isinstance(piece, tuple):
            conflicts.append(unit_id)
            text.append(_conflict(*piece, labels))
        elif piece is not None:
            text.append(piece)
    return Merged("".join(text), conflicts)


Piece = str | None | tuple[str | None, str | None, str | None]


def _merge_piece(
    unit_id: str, base: str | None, ours: str | None, theirs: str | None
) -> tuple[str, Piece]:
    """One unit's outcome: its text, None (removed), or (base, ours, theirs) in conflict."""
    if theirs in (ours, base):
        return unit_id, ours
    if ours == base:
        return unit_id, theirs
    return unit_id, (base, ours, theirs)


def merged_order(base: Layout, ours: Layout, theirs: Layout) -> list[str]:
    """Every unit id of the result, in order.

    The skeleton is the order of the side that reordered the units both sides share (ours
    if both or neither did); the other side's new units go right after the unit that
    precedes them there, past any new units of the skeleton's side already in that place.
    """
    skeleton, other = ours, theirs
    shared = [u for u in base.order if u in ours.units and u in theirs.units]
    if _restricted(ours.order, shared) == shared != _restricted(theirs.order, shared):
        skeleton, other = theirs, ours
    result = list(skeleton.order)
    for unit_id in [u for u in other.order if u not in skeleton.units]:
        result.insert(_insertion_point(result, unit_id, other, base), unit_id)
    # Units that exist only in base were removed on some side: `_merge_piece` decides.
    for unit_id in base.order:
        if unit_id not in result:
            result.insert(_insertion_point(result, unit_id, base, base), unit_id)
    return result


def _restricted(order: list[str], keep: list[str]) -> list[str]:
    wanted = set(keep)
    return [u for u in order if u in wanted]


def _insertion_point(result: list[str], unit_id: str, source: Layout, base: Layout) -> int:
    """After UNIT_ID's nearest predecessor in SOURCE that RESULT holds (and past the new
    units that follow that predecessor in RESULT); at the front after the taxonomy if none."""
    order = source.order
    placed = set(result)
    index = order.index(unit_id)
    predecessor = next((u for u in reversed(order[:index]) if u in placed), None)
    if predecessor is None:
        return 1 if result and result[0] == TAXONOMY else 0
    point = result.index(predecessor) + 1
    known = base.units.keys() | source.units.keys()
    while point < len(result) and result[point] not in known:
        point += 1
    return point


def _conflict(base: str | None, ours: str | None, theirs: str | None, labels: Labels) -> str:
    """The unit between conflict markers, each side without its leading blank lines."""
    sides = [side for side in (ours, theirs, base) if side]
    gap = _leading_blank(sides[0]) if sides else ""
    newline = "\r\n" if "\r\n" in (sides[0] if sides else "") else "\n"
    size = labels.size
    out = [gap, f"{'<' * size} {labels.ours}{newline}", _body(ours, newline)]
    if labels.base is not None:
        out += [f"{'|' * size} {labels.base}{newline}", _body(base, newline)]
    out += [f"{'=' * size}{newline}", _body(theirs, newline), f"{'>' * size} {labels.theirs}"]
    return "".join(out)


def _leading_blank(text: str) -> str:
    stripped = text.lstrip("\r\n")
    return text[: len(text) - len(stripped)]


def _body(text: str | None, newline: str) -> str:
    """A side's unit text without its leading blank lines, ending with a newline."""
    if not text:
        return ""
    body = text[len(_leading_blank(text)) :]
    return body if body.endswith("\n") else body + newline
