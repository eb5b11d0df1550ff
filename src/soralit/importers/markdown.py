"""Import an awesome-list README: Markdown text -> taxonomy, entries and problems.

Pure: no I/O, no click. The heading that holds the paper list (`under`, or the one whose
subtree holds the paper entries) gives the taxonomy: the two heading levels below it are
sections and categories. List items and table rows in a category become `misc` entries
(`importers.items`, `importers.mdtable`), in document order. A line that looks like an
entry but cannot be read, or a link that is not http(s), is returned as a `Problem` with
its line number; nothing that looks like an entry is dropped silently.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from soralit import citekeys, model, text
from soralit.errors import UsageProblem
from soralit.importers import mdtable
from soralit.importers.items import Draft, draft_fields, looks_like_entry, read_item
from soralit.importers.mdtext import find_links, markdown_to_text, strip_images

_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s+(?P<body>.*\S)\s*$")
_RULE = re.compile(r"^\s*([-*_])(?:\s*\1){2,}\s*$")
_OPENERS, _CLOSERS = "([“‘\"'¿¡", ")]”’\"'?!."


@dataclass(frozen=True)
class Problem:
    line: int  # 1-based
    text: str  # the line, stripped
    reason: str


@dataclass(frozen=True)
class ImportResult:
    taxonomy: model.Taxonomy
    entries: tuple[model.Entry, ...]
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class _Heading:
    level: int  # 0 for the whole document
    name: str
    index: int  # 0-based line index


@dataclass
class _Outline:
    """Sections and categories as the walk meets them; category slugs kept unique."""

    sections: list[tuple[str, list[model.Category]]] = field(default_factory=list)

    def add_section(self, name: str) -> None:
        self.sections.append((name, []))

    def add_category(self, name: str) -> str:
        taken = {c.slug for _, cats in self.sections for c in cats}
        base = model.slugify(name) or "category"
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        self.sections[-1][1].append(model.Category(slug, name))
        return slug

    def taxonomy(self, title: str, heading: str) -> model.Taxonomy:
        sections = tuple(model.Section(name, tuple(cats)) for name, cats in self.sections)
        return model.Taxonomy(sections=sections, title=title, heading=heading)


def parse_markdown(
    markdown: str, *, under: str | None = None, existing_keys: Iterable[str] = ()
) -> ImportResult:
    """Read a paper list. `under` names the heading that holds it (case, emoji and
    punctuation ignored); `existing_keys` are citation keys new entries must not take.

    Raises `UsageProblem` when `under` names no heading of the document.
    """
    lines = markdown.splitlines()
    fenced = _fenced_lines(lines)
    headings = [h for h in _headings(lines) if h.index not in fenced]
    title = next((h.name for h in headings if h.level == 1), "")
    top = _chosen_heading(lines, headings, fenced, under)
    outline, found = _walk(lines, top, headings, fenced)
    entries, problems = _entries(lines, found, set(existing_keys))
    heading = top.name if top.level else "Paper List"
    return ImportResult(outline.taxonomy(title, heading), entries, problems)


def heading_name(raw: str) -> str:
    """Display name of a heading: links, emphasis, mojibake, braces and the emoji or
    punctuation at either end removed (`🎬 **Movie**:` -> `Movie`)."""
    raw = strip_images(raw)
    for link in reversed(find_links(raw)):
        raw = raw[: link.start] + link.label + raw[link.end :]
    name = text.fix_mojibake(markdown_to_text(raw)).replace("{", "").replace("}", "")
    start, end = 0, len(name)
    while start < end and not (name[start].isalnum() or name[start] in _OPENERS):
        start += 1
    while end > start and not (name[end - 1].isalnum() or name[end - 1] in _CLOSERS):
        end -= 1
    return name[start:end]


def _fenced_lines(lines: list[str]) -> set[int]:
    """Indexes of lines inside fenced code blocks (fences included)."""
    fenced, fence = set(), ""
    for index, line in enumerate(lines):
        match = _FENCE.match(line)
        if fence and match and match[1][0] == fence[0] and len(match[1]) >= len(fence):
            fenced.add(index)
            fence = ""
        elif fence or match:
            fenced.add(index)
            fence = fence or (match[1] if match else "")
    return fenced


def _headings(lines: list[str]) -> list[_Heading]:
    matches = ((i, _HEADING.match(line)) for i, line in enumerate(lines))
    return [_Heading(len(m[1]), heading_name(m[2] or ""), i) for i, m in matches if m]


def _subtree_end(top: _Heading, headings: list[_Heading], length: int) -> int:
    after = (h.index for h in headings if h.index > top.index and h.level <= top.level)
    return next(after, length)


def _looks_like_entry(line: str) -> bool:
    """A list item or table row that reads as a paper: what paper lists are made of."""
    item = _ITEM.match(line)
    if item:
        return looks_like_entry(item["body"])
    return line.lstrip().startswith("|") and any(k.is_http for k in find_links(line))


def _chosen_heading(
    lines: list[str], headings: list[_Heading], fenced: set[int], under: str | None
) -> _Heading:
    """The heading named `under`; else, from the top, go down into the child heading that
    holds all the entry lines, as long as it has sub-headings (or no siblings)."""
    if under is not None:
        wanted = model.slugify(under)
        match = next((h for h in headings if wanted and model.slugify(h.name) == wanted), None)
        if match is None:
            names = ", ".join(repr(h.name) for h in headings) or "none"
            raise UsageProblem(f"No heading {under!r} in the Markdown (headings: {names}).")
        return match
    hits = [i for i, line in enumerate(lines) if i not in fenced and _looks_like_entry(line)]
    current, length = _Heading(0, "Paper List", -1), len(lines)
    while True:
        total = _holds(current, hits, headings, length)
        children = _children(current, headings, length)
        full = [c for c in children if _holds(c, hits, headings, length) == total]
        if not total or not full:
            return current
        if len(children) > 1 and not _children(full[0], headings, length):
            return current  # a category holding every entry: its parent is the list
        current = full[0]


def _children(top: _Heading, headings: list[_Heading], length: int) -> list[_Heading]:
    end = _subtree_end(top, headings, length)
    inner = [h for h in headings if top.index < h.index < end]
    level = min((h.level for h in inner), default=0)
    return [h for h in inner if h.level == level]


def _holds(top: _Heading, hits: list[int], headings: list[_Heading], length: int) -> int:
    end = _subtree_end(top, headings, length)
    return sum(top.index < i < end for i in hits)


def _walk(
    lines: list[str], top: _Heading, headings: list[_Heading], fenced: set[int]
) -> tuple[_Outline, list[tuple[int, str | None, Draft | None, list[str]]]]:
    """The outline under `top`, and (index, category slug, draft, reasons) per item."""
    end = _subtree_end(top, headings, len(lines))
    inner = {h.index: h for h in headings if top.index < h.index < end}
    levels = sorted({h.level for h in inner.values()})[:2]
    outline, found, slug = _Outline(), [], None
    if len(levels) < 2:  # one level of headings (or none): one section named after `top`
        outline.add_section(top.name)
        slug = None if levels else outline.add_category(top.name)
    index = top.index + 1
    while index < end:
        heading = inner.get(index)
        if index in fenced or (heading and heading.level not in levels):
            index += 1
        elif heading:
            if heading.level == levels[0] and len(levels) == 2:
                outline.add_section(heading.name)
                slug = None
            else:
                slug = _category(outline, top, heading.name)
            index += 1
        elif mdtable.starts_table(lines, index):
            rows, index = mdtable.read_table(lines, index)
            found += [(row.line - 1, slug, *mdtable.read_row(row)) for row in rows]
        else:
            item = _item_body(lines[index])
            if item is not None:
                if slug is None and outline.sections and len(levels) == 2:
                    slug = outline.add_category(outline.sections[-1][0])
                found.append((index, slug, *read_item(item)))
            index += 1
    return outline, found


def _category(outline: _Outline, top: _Heading, name: str) -> str:
    if not outline.sections:  # a category heading before any section heading
        outline.add_section(top.name)
    return outline.add_category(name)


def _item_body(line: str) -> str | None:
    """The text of a list item worth reading: not a rule, not a table-of-contents link."""
    match = _ITEM.match(line)
    if match is None or _RULE.match(line):
        return None
    body = match["body"]
    links = find_links(body)
    rest = "".join(c for i, c in enumerate(body) if not any(k.start <= i < k.end for k in links))
    if (
        links
        and all(k.target.startswith("#") for k in links)
        and not any(c.isalnum() for c in rest)
    ):
        return None
    return body


def _entries(
    lines: list[str],
    found: list[tuple[int, str | None, Draft | None, list[str]]],
    taken: set[str],
) -> tuple[tuple[model.Entry, ...], tuple[Problem, ...]]:
    """Entries with unique keys, one per distinct draft (its categories merged), and the
    problems, both in document order."""
    problems: list[Problem] = []
    firsts: dict[Draft, tuple[int, list[str]]] = {}
    for index, slug, draft, reasons in found:
        where = lines[index].strip()
        problems += [Problem(index + 1, where, reason) for reason in reasons]
        if draft is not None and slug is None:
            problems.append(Problem(index + 1, where, "not under a category heading; not imported"))
        elif draft is not None and draft in firsts and slug in firsts[draft][1]:
            line = firsts[draft][0] + 1
            problems.append(Problem(index + 1, where, f"same entry as line {line}; imported once"))
        elif draft is not None and slug is not None:
            firsts.setdefault(draft, (index, []))[1].append(slug)
    entries = []
    for draft, (index, slugs) in firsts.items():
        fields = draft_fields(draft, ", ".join(slugs))
        key = citekeys.unique_key(
            citekeys.base_key("", fields.get("year", ""), fields["title"]), taken
        )
        taken.add(key)
        entries.append(model.Entry(key, "misc", fields, line=index + 1))
    return tuple(entries), tuple(problems)


def list_region(markdown: str, heading: str) -> tuple[int, int]:
    """0-based line range [start, end) that holds the list under HEADING: from its first
    sub-heading to the end of its subtree (trailing blank lines left outside), so that
    soralit's markers can wrap it while the heading and any intro above stay put."""
    lines = markdown.splitlines()
    fenced = _fenced_lines(lines)
    headings = [h for h in _headings(lines) if h.index not in fenced]
    wanted = model.slugify(heading)
    top = next((h for h in headings if model.slugify(h.name) == wanted), None)
    if top is None:
        start = headings[0].index if headings else 0
        end = len(lines)
    else:
        end = _subtree_end(top, headings, len(lines))
        start = next((h.index for h in headings if top.index < h.index < end), top.index + 1)
    while end > start and not lines[end - 1].strip():
        end -= 1
    return start, end
