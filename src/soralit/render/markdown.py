"""The Markdown paper list, in the shape of the Sora review's README.

`## Paper List`, `### Section`, `#### Category`, then one line per entry:
`- (*CVPR'23*) Title [[paper]](url)[[code]](url)`. Pure. Every title and label is
escaped so that no character in the data can break the line, start a link, or become HTML;
only http(s) URLs become links.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from soralit import text
from soralit.model import Entry, Taxonomy, slugify

# Characters with Markdown meaning inside a line (CommonMark backslash escapes).
_SPECIAL = re.compile(r"([\\`*_\[\]<>|~#@])")
_ENTITY = re.compile(r"&(?=#?\w+;)")
# GFM turns bare URLs and `www.` into links, linkify-it even `sora.ai` and `x²http://`:
# break every scheme's colon and every dot between a word and a letter with an escape.
_AUTOLINK = re.compile(r"(?i)(https?|ftp|mailto):")
_DOMAIN_DOT = re.compile(r"(?<=\w)\.(?=[^\W\d_])")


# Quick tests for what the substitutions below would change: most titles need none.
_SPECIAL_OR_AMP = re.compile(r"[\\`*_\[\]<>|~#@&]")
_WORD_DOT_LETTER = re.compile(r"\w\.[^\W\d_]")


def _needs_escape(value: str) -> bool:
    return (
        _SPECIAL_OR_AMP.search(value) is not None
        or (":" in value and _AUTOLINK.search(value) is not None)
        or ("." in value and _WORD_DOT_LETTER.search(value) is not None)
    )


def escape(value: str) -> str:
    """Plain text safe to embed in a Markdown line: it renders as exactly this text."""
    value = " ".join(value.split())
    return escape_all(value) if _needs_escape(value) else value


def escape_all(value: str) -> str:
    """`escape` without its shortcut, for text already on one line."""
    value = _SPECIAL.sub(r"\\\1", value)
    value = _ENTITY.sub(r"\\&", value)
    return _DOMAIN_DOT.sub(r"\\.", _AUTOLINK.sub(r"\1\\:", value))


def link_target(url: str) -> str:
    """URL usable as a Markdown link destination, or '' when it is not http(s)."""
    url = url.strip()
    if not url:
        return ""
    if not re.match(r"(?i)^https?://[^\s/?#]+", url) or any(c in url for c in "\n\r\t"):
        return ""
    for char, code in ((" ", "%20"), ("(", "%28"), (")", "%29"), ("<", "%3C"), (">", "%3E")):
        url = url.replace(char, code)
    return url.replace('"', "%22")


def entry_line(entry: Entry) -> str:
    """`- (*VENUE*) Title [[paper]](url)[[code]](url)` for one entry."""
    parts = ["-"]
    label = entry.venue_label()
    if label:
        parts.append(f"(*{escape(label)}*)")
    links = ""
    for name, field in (("paper", "url"), ("code", "code")):
        target = link_target(entry.get(field))
        if target:
            links += f"[[{name}]]({target})"
    title = escape(text.latex_to_text(entry.get("title")))
    # A title opening with `(Almost) ...` would read back as a venue label: escape it.
    parts.append("\\" + title if title.startswith("(") else title or "(untitled)")
    if links:
        parts.append(links)
    return " ".join(parts)


def toc_lines(taxonomy: Taxonomy, shown: dict[str, list[Entry]]) -> list[str]:
    lines = []
    for section in taxonomy.sections:
        cats = [c for c in section.categories if c.slug in shown]
        if cats:
            lines.append(f"- [{escape(section.name)}](#{slugify(section.name)})")
            lines.extend(f"    - [{escape(c.name)}](#{slugify(c.name)})" for c in cats)
    return lines


def members_by_category(entries: Iterable[Entry]) -> dict[str, list[Entry]]:
    """Each category slug's entries, in the given order (one pass over the entries)."""
    members: dict[str, list[Entry]] = {}
    for entry in entries:
        for slug in dict.fromkeys(entry.categories):  # a slug listed twice counts once
            members.setdefault(slug, []).append(entry)
    return members


def render_markdown(
    entries: Iterable[Entry], taxonomy: Taxonomy, *, toc: bool = False, keep_empty: bool = True
) -> str:
    """The paper list under the taxonomy's heading, entries in the given order."""
    members = members_by_category(entries)
    shown: dict[str, list[Entry]] = {}
    for category in taxonomy.categories():
        if members.get(category.slug) or keep_empty:
            shown[category.slug] = members.get(category.slug, [])
    made: dict[int, str] = {}  # an entry listed in several categories is rendered once

    def line_of(entry: Entry) -> str:
        if id(entry) not in made:
            made[id(entry)] = entry_line(entry)
        return made[id(entry)]

    lines = [f"## {escape(taxonomy.heading)}"]
    if toc:
        lines += ["", *toc_lines(taxonomy, shown)]
    for section in taxonomy.sections:
        cats = [c for c in section.categories if c.slug in shown]
        if not cats:
            continue
        lines += ["", f"### {escape(section.name)}"]
        for category in cats:
            lines.append(f"#### {escape(category.name)}")
            lines.extend(line_of(e) for e in shown[category.slug])
    return "\n".join(lines) + "\n"


START, END = "<!-- soralit:start -->", "<!-- soralit:end -->"


_HEADING_LINE = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


def _same_heading(a: str, b: str) -> bool:
    ma, mb = _HEADING_LINE.match(a.strip()), _HEADING_LINE.match(b.strip())
    return bool(ma and mb and ma[1] == mb[1] and slugify(ma[2]) == slugify(mb[2]))


def _marker_line(document: str, marker: str, start: int = 0) -> re.Match[str] | None:
    """The first line at or after START that is MARKER alone (prose quoting it is not)."""
    return re.compile(rf"^[ \t]*{re.escape(marker)}[ \t]*$", re.MULTILINE).search(document, start)


def has_markers(document: str) -> bool:
    """True when DOCUMENT has a start marker line followed by an end marker line."""
    start = _marker_line(document, START)
    return bool(start and _marker_line(document, END, start.end()))


def splice(document: str, generated: str) -> str:
    """DOCUMENT with the text between the soralit markers replaced by GENERATED.

    When the markers sit under the list's own heading (`## Paper List`, as `import md`
    places them, keeping any intro between heading and list), the generated heading is
    not repeated. Raises ValueError when the markers are missing or out of order.
    """
    start = _marker_line(document, START)
    end = _marker_line(document, END, start.end()) if start else None
    if start is None or end is None:
        raise ValueError(f"no {START} ... {END} marker lines")
    head, tail = document[: start.end()], document[end.start() :]
    above = [line for line in head.splitlines() if _HEADING_LINE.match(line.strip())]
    first, _, rest = generated.partition("\n")
    if above and _same_heading(above[-1], first):
        generated = rest.lstrip("\n")
    return head + "\n" + generated.rstrip("\n") + "\n" + tail
