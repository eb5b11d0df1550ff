"""The Markdown paper list, in the shape of the Sora review's README.

`## Paper List`, `### Section`, `#### Category`, then one line per entry:
`- (*CVPR'23*) Title [[paper]](url)[[code]](url)`. Pure. Every title and label is
escaped so that no character in the data can break the line, start a link, or become HTML;
only http(s) URLs become links.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

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


NEW_MARK = "🆕"


def entry_line(entry: Entry, *, new: bool = False) -> str:
    """`- (*VENUE*) Title [[paper]](url)[[code]](url)` for one entry (` 🆕` after a new one)."""
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
    if new:
        parts.append(NEW_MARK)
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
    entries: Iterable[Entry],
    taxonomy: Taxonomy,
    *,
    toc: bool = False,
    keep_empty: bool = True,
    is_new: Callable[[Entry], bool] | None = None,
) -> str:
    """The paper list under the taxonomy's heading, entries in the given order; the
    entries IS_NEW says are new carry the new mark."""
    members = members_by_category(entries)
    shown: dict[str, list[Entry]] = {}
    for category in taxonomy.categories():
        if members.get(category.slug) or keep_empty:
            shown[category.slug] = members.get(category.slug, [])
    made: dict[int, str] = {}  # an entry listed in several categories is rendered once

    def line_of(entry: Entry) -> str:
        if id(entry) not in made:
            made[id(entry)] = entry_line(entry, new=is_new is not None and is_new(entry))
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


class MarkerError(ValueError):
    """The README's soralit markers are missing, out of order, or doubled."""


def _same_heading(a: str, b: str) -> bool:
    ma, mb = _HEADING_LINE.match(a.strip()), _HEADING_LINE.match(b.strip())
    return bool(ma and mb and ma[1] == mb[1] and slugify(ma[2]) == slugify(mb[2]))


def _marker_lines(document: str, marker: str) -> list[re.Match[str]]:
    """Every line that is MARKER alone (prose quoting it is not), LF or CRLF ended."""
    pattern = re.compile(rf"^[ \t]*{re.escape(marker)}[ \t]*(?=\r?$)", re.MULTILINE)
    return list(pattern.finditer(document))


def _line_number(document: str, offset: int) -> int:
    return document.count("\n", 0, offset) + 1


def marked_region(document: str) -> tuple[int, int]:
    """(start, end) offsets of the text between the marker lines: just past the start
    marker, and at the end marker. MarkerError when missing, out of order or doubled."""
    starts, ends = _marker_lines(document, START), _marker_lines(document, END)
    if len(starts) > 1 or len(ends) > 1:
        doubled = starts if len(starts) > 1 else ends
        lines = ", ".join(str(_line_number(document, m.start())) for m in doubled)
        raise MarkerError(
            f"has {len(doubled)} {START if doubled is starts else END} marker lines "
            f"(lines {lines}); keep one pair around the list"
        )
    if not starts or not ends or ends[0].start() < starts[0].end():
        raise MarkerError(f"has no {START} ... {END} markers around the list")
    return starts[0].end(), ends[0].start()


def has_markers(document: str) -> bool:
    """True when DOCUMENT has any soralit marker line (a pair, or a stray one)."""
    return bool(_marker_lines(document, START) or _marker_lines(document, END))


def splice(document: str, generated: str) -> str:
    """DOCUMENT with the text between the soralit markers replaced by GENERATED.

    When the markers sit under the list's own heading (`## Paper List`, as `import md`
    places them, keeping any intro between heading and list), the generated heading is
    not repeated. GENERATED is written with the document's own line endings. Raises
    MarkerError when the markers are missing, out of order or doubled.
    """
    start, end = marked_region(document)
    head, tail = document[:start], document[end:]
    above = [line for line in head.splitlines() if _HEADING_LINE.match(line.strip())]
    first, _, rest = generated.partition("\n")
    if above and _same_heading(above[-1], first):
        generated = rest.lstrip("\n")
    newline = "\r\n" if document.startswith("\r\n", start) else "\n"  # the file's own
    body = generated.rstrip("\n").replace("\n", newline)
    return head + newline + body + newline + tail


# Link targets in Markdown text: inline links, angle-bracket autolinks, bare URLs.
_LINK_TARGET = re.compile(r"(!?)\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+[^)]*)?\)")
_BARE_URL = re.compile(r"<?(https?://[^\s<>()\[\]\"'`|]+)")


def link_targets(markdown: str) -> list[str]:
    """The http(s) targets of links in MARKDOWN (image sources excluded), in order."""
    found: list[str] = []
    for match in _LINK_TARGET.finditer(markdown):
        if not match[1] and match[2].lower().startswith(("http://", "https://")):
            found.append(match[2])
    covered = _LINK_TARGET.sub(" ", markdown)
    found += [url.rstrip(".,;:!?*_~") for url in _BARE_URL.findall(covered)]
    return found


def link_key(url: str) -> str:
    """What a link points to, for comparing lists: `arxiv:ID`, `doi:DOI`, or the URL
    with scheme, `www.`, case of the host, fragment and trailing slash normalised."""
    from urllib.parse import urlsplit

    from soralit.errors import UsageProblem
    from soralit.ids import arxiv_id_from_url, parse_identifier

    arxiv = arxiv_id_from_url(url)
    if arxiv:
        return f"arxiv:{arxiv}"
    if "doi.org/" in url.lower():
        try:
            ident = parse_identifier(url)
        except UsageProblem:
            ident = None
        if ident is not None:
            return f"{ident.kind}:{ident.value.lower()}"
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").removeprefix("www.")
    query = f"?{parts.query}" if parts.query else ""
    return f"{host}{parts.path.rstrip('/')}{query}"


def entry_link_keys(entries: Iterable[Entry]) -> set[str]:
    """The `link_key`s of every link the entries hold: url, code, DOI, arXiv ID, and any
    http(s) URL in another field."""
    keys: set[str] = set()
    for entry in entries:
        if entry.arxiv_id:
            keys.add(f"arxiv:{entry.arxiv_id}")
        if entry.doi:
            keys.add(f"doi:{entry.doi.lower()}")
        for value in entry.fields.values():
            if "http" in value:
                keys.update(link_key(url) for url in _BARE_URL.findall(value))
    return keys


def dropped_links(document: str, generated: str, entries: Iterable[Entry]) -> list[str]:
    """Links between DOCUMENT's markers that neither GENERATED nor ENTRIES hold: what
    replacing the marked region would lose."""
    start, end = marked_region(document)
    kept = entry_link_keys(entries) | {link_key(u) for u in link_targets(generated)}
    lost: dict[str, str] = {}  # one URL per thing linked to
    for url in link_targets(document[start:end]):
        key = link_key(url)
        if key not in kept:
            lost.setdefault(key, url)
    return list(lost.values())
