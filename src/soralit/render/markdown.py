"""The Markdown paper list, in the shape of the Sora review's README.

`## Paper List`, `### Section`, `#### Category` (or as many heading levels as the
taxonomy has, from `taxonomy.level`), the notes a list keeps under its headings, then one
line per entry: `- (*CVPR'23*) Title [[paper]](url)[[code]](url)`. Pure. Every title and label is
escaped so that no character in the data can break the line, start a link, or become HTML;
only http(s) URLs become links.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from soralit import text
from soralit.ids import url_key
from soralit.model import Category, Entry, Taxonomy, slugify

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


def link_label(url: str) -> str:
    """What one of an entry's other links is: `pdf`, `paper`, `code` or `page`."""
    from soralit.importers import links

    if url.lower().split("?")[0].endswith(".pdf"):
        return "pdf"
    if links.is_paper_host(url):
        return "paper"
    return "code" if links.is_code_host(url) else "page"


_SHORTCODE = re.compile(r"(?<![\\\w]):[a-z][a-z0-9_+\-]*:(?!\w)")
_DECORATION = ("So", "Sk", "Mn", "Me", "Zs", "Cc", "Cf")
_LIST_START = re.compile(r"^(?:[+\-]|\d{1,9}[.)])(?=\s|$)")


def title_markdown(title: str) -> str:
    """TITLE escaped so that it reads back as itself at the start of a list line: not a
    venue label (`(Almost) ...`), not a nested list (`+ x`, `1. x`), and with a symbol
    at either end (which lists use as decoration, `🔥 Title`) written as an entity."""
    import unicodedata

    title = escape(title)
    if not title:
        return ""
    if title.startswith(("(", ")")):  # a venue label, or a bracket to trim
        title = "\\" + title
    backslashes = len(title[:-1]) - len(title[:-1].rstrip("\\"))
    if title.endswith("(") and backslashes % 2 == 0:  # not escaped yet
        title = title[:-1] + "\\("
    match = _LIST_START.match(title)
    if match:
        title = title[: match.end() - 1] + "\\" + title[match.end() - 1 :]
    title = _SHORTCODE.sub(lambda m: "\\" + m.group(), title)  # not an emoji
    quote = re.search(r'["“]', title)
    if quote:  # so that no part of the title reads as a quoted title (`"Title", Venue`)
        mark = '\\"' if quote.group() == '"' else "&#x201c;"
        title = title[: quote.start()] + mark + title[quote.end() :]

    def decoration(char: str) -> bool:  # ASCII punctuation is escaped already
        return ord(char) > 127 and unicodedata.category(char) in _DECORATION

    if decoration(title[-1]):
        title = title[:-1] + f"&#x{ord(title[-1]):x};"
    if decoration(title[0]):
        title = f"&#x{ord(title[0]):x};" + title[1:]
    return title


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
    for url in entry.get("links").split():
        target = link_target(url)
        if target:
            links += f"[[{link_label(target)}]]({target})"
    title = title_markdown(text.latex_to_text(entry.value("title")))
    parts.append(title or "(untitled)")
    if links:
        parts.append(links)
    if new:
        parts.append(NEW_MARK)
    return " ".join(parts)


_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


def heading_text(node: Category) -> str:
    """The text GitHub shows for NODE's heading (images, HTML tags and link targets out)."""
    if not node.markdown:
        return node.name
    shown = _LINK.sub(r"\1", _IMAGE.sub("", node.markdown))
    return re.sub(r"<[^>]+>|[*`]|~~", "", shown).strip()


def github_anchor(text: str) -> str:
    """The id GitHub gives a heading that shows TEXT (as github-slugger makes it): lower
    case; punctuation and symbols (emoji too) dropped; letters of any script, digits,
    `-` and `_` kept; each space a hyphen (`Search & Ranking` -> `search--ranking`)."""
    import unicodedata

    kept = (c for c in text.lower() if c in " -_" or unicodedata.category(c)[0] in "LNM")
    return "".join(kept).replace(" ", "-")


class Anchors:
    """Anchors of a page's headings in order: a repeated one gets `-1`, `-2`, as on GitHub."""

    def __init__(self) -> None:
        self.seen: dict[str, int] = {}

    def __call__(self, node: Category) -> str:
        base = github_anchor(heading_text(node))
        count = self.seen.get(base, 0)
        self.seen[base] = count + 1
        return base if not count else f"{base}-{count}"


def toc_lines(taxonomy: Taxonomy, shown: set[str]) -> list[str]:
    """Nested links to the shown categories' headings, four spaces per level."""
    anchor = Anchors()
    return [
        f"{'    ' * (depth - 1)}- [{escape(node.name)}](#{anchor(node)})"
        for depth, node in taxonomy.depths()
        if node.slug in shown
    ]


def members_by_category(entries: Iterable[Entry]) -> dict[str, list[Entry]]:
    """Each category slug's entries, in the given order (one pass over the entries)."""
    members: dict[str, list[Entry]] = {}
    for entry in entries:
        for slug in dict.fromkeys(entry.categories):  # a slug listed twice counts once
            members.setdefault(slug, []).append(entry)
    return members


def shown_categories(
    taxonomy: Taxonomy, members: dict[str, list[Entry]], *, keep_empty: bool
) -> set[str]:
    """Slugs of the categories the list shows: all (KEEP_EMPTY), or those with entries
    in their subtree."""
    return {
        node.slug
        for node in taxonomy.nodes()
        if keep_empty or any(members.get(n.slug) for n in node.walk())
    }


def render_markdown(
    entries: Iterable[Entry],
    taxonomy: Taxonomy,
    *,
    toc: bool = False,
    keep_empty: bool = True,
    is_new: Callable[[Entry], bool] | None = None,
) -> str:
    """The paper list under the taxonomy's heading, entries in the given order: each
    category's heading at its depth below `taxonomy.level`, its notes where the list
    had them, and one line per entry."""
    members = members_by_category(entries)
    shown = shown_categories(taxonomy, members, keep_empty=keep_empty)
    made: dict[int, str] = {}  # an entry listed in several categories is rendered once

    def line_of(entry: Entry) -> str:
        if id(entry) not in made:
            made[id(entry)] = entry_line(entry, new=is_new is not None and is_new(entry))
        return made[id(entry)]

    lines: list[str] = []
    if taxonomy.heading and taxonomy.level > 1:
        lines.append(f"{'#' * (taxonomy.level - 1)} {escape(taxonomy.heading)}")
    if toc:
        lines += ["", *toc_lines(taxonomy, shown)]
    for depth, node in taxonomy.depths():
        if node.slug not in shown:
            continue
        level = node.level or min(taxonomy.level + depth - 1, 6)
        if depth == 1:
            lines.append("")
        if level:  # level 0: a list whose one category is the whole README, no heading
            lines.append(f"{'#' * level} {node.markdown or escape(node.name)}")
        lines += _body(node, members.get(node.slug, []), line_of)
    while lines and not lines[0]:
        lines.pop(0)
    return "\n".join(_single_blanks(lines)) + "\n"


def _body(node: Category, entries: list[Entry], line_of: Callable[[Entry], str]) -> list[str]:
    """A category's entry lines with its notes in place (each note set off by blank
    lines, so that an HTML block such as `<details>` never swallows what follows)."""
    notes: dict[str, list[str]] = {}
    for note in node.notes:
        notes.setdefault(note.before, []).append(note.text)
    keys = {e.key for e in entries}
    lines = _note_lines(notes.pop("^", []))
    for entry in entries:
        lines += _note_lines(notes.pop(entry.key, []))
        lines.append(line_of(entry))
    for before in [k for k in notes if k and k not in keys]:  # its entry is gone
        lines += _note_lines(notes.pop(before))
    return lines + _note_lines(notes.pop("", []))


def _note_lines(texts: list[str]) -> list[str]:
    return [line for text in texts for line in ("", *text.split("\n"), "")]


def _single_blanks(lines: list[str]) -> list[str]:
    """LINES without runs of blank lines (one is enough) or a blank line at the end."""
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    while out and not out[-1]:
        out.pop()
    return out


START, END = "<!-- soralit:start -->", "<!-- soralit:end -->"


_HEADING_LINE = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


class MarkerError(ValueError):
    """The README's soralit markers are missing, out of order, or doubled."""


def _same_heading(a: str, b: str) -> bool:
    ma, mb = _HEADING_LINE.match(a.strip()), _HEADING_LINE.match(b.strip())
    return bool(ma and mb and ma[1] == mb[1] and slugify(ma[2]) == slugify(mb[2]))


def _encloses(head: str, heading: str) -> bool:
    """True when HEADING is the section that the end of HEAD is already in: the last
    heading above of its level or higher is the same heading."""
    wanted = _HEADING_LINE.match(heading.strip())
    if not wanted:
        return False
    for line in reversed(_headings(head)):
        if len(line.lstrip().split(None, 1)[0]) <= len(wanted[1]):
            return _same_heading(line, heading)
    return False


def _headings(markdown: str) -> list[str]:
    """The ATX heading lines of MARKDOWN, those in fenced code left out."""
    lines = markdown.split("\n")
    return [lines[i].strip() for i in heading_lines(lines)]


def heading_lines(lines: list[str]) -> list[int]:
    """Indices of the ATX heading lines among LINES (up to three spaces before the `#`),
    those in fenced code left out."""
    found, fence = [], ""
    for i, line in enumerate(lines):
        stripped = line.strip()
        if fence:
            fence = "" if stripped.startswith(fence) else fence
        elif stripped.startswith(("```", "~~~")):
            fence = stripped[:3]
        elif line.startswith(("#", " #", "  #", "   #")) and _HEADING_LINE.match(stripped):
            found.append(i)
    return found


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
    places them, keeping any intro between heading and list, or under a README's title
    that holds part of the list), the generated heading is not repeated. GENERATED is
    written with the document's own line endings. Raises MarkerError when the markers
    are missing, out of order or doubled.
    """
    start, end = marked_region(document)
    head, tail = document[:start], document[end:]
    first, _, rest = generated.partition("\n")
    if _encloses(head, first):
        generated = rest.lstrip("\n")
    newline = "\r\n" if document.startswith("\r\n", start) else "\n"  # the file's own
    body = generated.rstrip("\n").replace("\n", newline)
    return head + newline + body + newline + tail


# Link targets in Markdown text: inline links, angle-bracket autolinks, bare URLs.
# An inline link or image: `[text](target "title")`, the target with balanced parentheses
# (`.../S1364-6613(20)30219-9`) and an optional quoted title, as CommonMark has them.
_LINK_TARGET = re.compile(
    r"(!?)\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?((?:[^()\s<>]|\([^()\s]*\))+)>?"
    r"(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^()]*\)))?\s*\)"
)
_BARE_URL = re.compile(r"<?(https?://[^\s<>()\[\]\"'`|]+)")
_IMAGE_TAG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_IMAGE = re.compile(r"!\[[^\[\]]*\]\(\s*<?(?:[^()\s<>]|\([^()\s]*\))*>?(?:\s+\"[^\"]*\")?\s*\)")


def link_targets(markdown: str) -> list[str]:
    """The http(s) targets of links in MARKDOWN, in order: inline links, and URLs in the
    text (as GitHub links them). Images (`![...](src)`, `<img src>`) are no links."""
    found: list[str] = []

    def take(match: re.Match[str]) -> str:
        if not match[2].lower().startswith(("http://", "https://")):
            return match[0]  # not a link GitHub follows: the URLs in it are text
        if not match[1]:
            found.append(match[2])
        return " "

    covered = _LINK_TARGET.sub(take, _IMAGE.sub("", _IMAGE_TAG.sub(" ", markdown)))
    found += [url.rstrip(".,;:!?*_~") for url in _BARE_URL.findall(covered)]
    return found


def entry_link_keys(entries: Iterable[Entry]) -> set[str]:
    """The `ids.url_key`s of every link the entries hold: url, code, DOI, arXiv ID, and any
    http(s) URL in another field."""
    keys: set[str] = set()
    for entry in entries:
        if entry.arxiv_id:
            keys.add(f"arxiv:{entry.arxiv_id.lower()}")
        if entry.doi:
            keys.add(f"doi:{entry.doi.lower()}")
        for value in entry.fields.values():
            if "http" in value:
                keys.update(url_key(url) for url in _BARE_URL.findall(value))
                whole = value.strip()  # a URL with parentheses in it: `...6613(20)30219-9`
                if whole.startswith(("http://", "https://")) and len(whole.split()) == 1:
                    keys.add(url_key(whole))
    return keys


def dropped_links(document: str, generated: str, entries: Iterable[Entry]) -> list[str]:
    """Links between DOCUMENT's markers that neither GENERATED nor ENTRIES hold: what
    replacing the marked region would lose."""
    start, end = marked_region(document)
    kept = entry_link_keys(entries) | {url_key(u) for u in link_targets(generated)}
    lost: dict[str, str] = {}  # one URL per thing linked to
    for url in link_targets(document[start:end]):
        key = url_key(url)
        if key not in kept:
            lost.setdefault(key, url)
    return list(lost.values())
