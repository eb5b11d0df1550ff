"""The lint rules: pure functions from entries (and the taxonomy) to `Finding`s.

Entry rules take one `Entry`; library rules take them all. No I/O. Link *syntax* is
checked here; whether links answer (`--online`) is `sources/links.py`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence

from soralit import catalog, text
from soralit.bibtex import braces_balance
from soralit.duplicates import repeated_works
from soralit.findings import Finding, excerpt, field_line, found
from soralit.model import Entry, Taxonomy, arxiv_label

LINK_FIELDS = ("url", "code")
_PLACEHOLDER = re.compile(
    r"(?:#|-+|\.+|link|url|todo|tbd|tba|n/?a|none|null|x{2,}|placeholder|coming[ _-]?soon"
    r"|link[ _-]?to[ _-]?\w*|(?:paper|code|project)[ _-]?(?:link|url))",
    re.IGNORECASE,
)
_HOST = re.compile(r"(?:[\w-]+\.)+[\w-]{2,}|localhost|\d{1,3}(?:\.\d{1,3}){3}")


# --- rules on one entry --------------------------------------------------------------------


def check_fields(entry: Entry) -> Iterator[Finding]:
    """missing-title, missing-year, missing-author."""
    if not text.latex_to_text(entry.get("title")):
        yield found("missing-title", entry.key, entry.line, "no title")
    year = entry.get("year").strip()
    if not year:
        yield found("missing-year", entry.key, entry.line, "no year")
    elif entry.year is None:
        yield found(
            "missing-year", entry.key, field_line(entry, "year"), f"year {year} is not a year"
        )
    if not entry.get("author").strip() and not entry.get("editor").strip():
        yield found("missing-author", entry.key, entry.line, "no author")


def check_text(entry: Entry) -> Iterator[Finding]:
    """mojibake and unbalanced-braces, in every field."""
    for name, value in entry.fields.items():
        mojibake, balanced = text.looks_like_mojibake(value), braces_balance(value)
        if not mojibake and balanced:
            continue  # the usual case: no need to find the field's line
        line = field_line(entry, name)
        if mojibake:
            repaired = text.fix_mojibake(value)
            if repaired != value:
                old, new = excerpt(value, repaired)
                message = f"{name} looks like mojibake: {old} should read {new}"
                yield found("mojibake", entry.key, line, message, {name: repaired})
            else:
                yield found("mojibake", entry.key, line, f"{name} looks like mojibake")
        if not balanced:
            # BibTeX counts every brace, escaped or not: `\{` alone unbalances a value.
            yield found("unbalanced-braces", entry.key, line, f"{name} has unbalanced braces")


def link_problem(url: str) -> tuple[str, str] | None:
    """(rule, reason) when URL is a placeholder or not a well-formed http(s) URL."""
    from urllib.parse import urlsplit

    bare = re.sub(r"^\w+://", "", url).strip("/ ")
    if not bare or _PLACEHOLDER.fullmatch(bare):
        return "placeholder-link", "is a placeholder, not a link"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises on a bad port)
    except ValueError:
        return "bad-link", "is not a well-formed URL"
    if parts.scheme.lower() not in ("http", "https"):
        return "bad-link", "is not an http(s) link"
    if any(c.isspace() for c in url) or not _HOST.fullmatch(parts.hostname or ""):
        return "bad-link", "is not a well-formed URL"
    return None


def check_links(entry: Entry) -> Iterator[Finding]:
    """placeholder-link, bad-link, code-not-repo."""
    for name in LINK_FIELDS:
        if name not in entry.fields:
            continue
        url, line = entry.get(name).strip(), field_line(entry, name)
        problem = link_problem(url)
        if problem:
            yield found(problem[0], entry.key, line, f"{name} {url} {problem[1]}")
        elif name == "code" and not catalog.is_code_host(url):
            message = f"code {url} is not on a repository host (GitHub, GitLab, ...)"
            yield found("code-not-repo", entry.key, line, message)


def check_venue(entry: Entry) -> Iterator[Finding]:
    """unknown-venue, venue-year, arxiv-label."""
    raw = entry.get("venue").strip()
    if not raw:
        return
    shown, line = text.latex_to_text(raw), field_line(entry, "venue")
    label = catalog.parse_label(shown)
    if label.name.casefold() == "arxiv" and entry.arxiv_id:
        derived = arxiv_label(entry.arxiv_id)
        if derived and shown != derived:
            message = f"venue {raw} does not match arXiv ID {entry.arxiv_id} ({derived})"
            yield found("arxiv-label", entry.key, line, message, {"venue": derived})
    elif not catalog.is_known(label.name) and own_acronym(entry, label.name):
        message = f"venue {raw} is the paper's own name ({label.name}), not a venue"
        yield found("unknown-venue", entry.key, line, message)
    elif not catalog.is_known(label.name):
        options = catalog.suggest(label.name)
        hint = f"; did you mean {' or '.join(options)}?" if options else ""
        # A slip of one known venue is fixed, its year kept; never LaTeX we did not parse.
        fixed = catalog.correction(label.name) if raw == shown else None
        fix = {"venue": fixed + label.suffix} if fixed else {}
        message = f"unknown venue {label.name} in {raw}{hint}"
        yield found("unknown-venue", entry.key, line, message, fix)
    if label.yy is not None and entry.year is not None and entry.year % 100 != label.yy:
        message = f"venue {raw} says '{label.yy:02d} but year is {entry.year}"
        yield found("venue-year", entry.key, line, message)


def own_acronym(entry: Entry, name: str) -> bool:
    """True when NAME is the paper's own short name rather than a venue: the entry's
    `shorttitle`, a word of its title (`IRIS: ...`), or its title's initials."""
    wanted = re.sub(r"[^0-9a-z]", "", name.casefold())
    if not wanted:
        return False
    title = text.latex_to_text(entry.get("title")).casefold()
    words = [re.sub(r"[^0-9a-z]", "", w) for w in re.split(r"[\s:/]+", title)]
    short = re.sub(r"[^0-9a-z]", "", text.latex_to_text(entry.get("shorttitle")).casefold())
    initials = "".join(w[:1] for w in words if w)
    return wanted in (short, initials) or wanted in words


ENTRY_RULES = (check_fields, check_text, check_links, check_venue)


# --- rules on the whole library ------------------------------------------------------------


def check_keys(entries: Sequence[Entry]) -> Iterator[Finding]:
    """duplicate-key: BibTeX keys are case-insensitive, so `Liu2024` clashes with `liu2024`."""
    first: dict[str, Entry] = {}
    for entry in entries:
        seen = first.setdefault(entry.key.casefold(), entry)
        if seen is not entry:
            message = f"duplicate key; {seen.key} is already at line {seen.line}"
            yield found("duplicate-key", entry.key, entry.line, message)


def check_duplicates(entries: Sequence[Entry]) -> Iterator[Finding]:
    """duplicate-work, reported on the later entry, naming the first."""
    for entry, (kind, value), first in repeated_works(entries):
        what = "title" if kind == "title" else f"{kind} {value}"
        message = f"same {what} as {first.key} (line {first.line})"
        yield found("duplicate-work", entry.key, entry.line, message)


def check_categories(
    entries: Sequence[Entry], taxonomy: Taxonomy, category_lines: Mapping[str, int]
) -> Iterator[Finding]:
    """no-category, unknown-category, empty-category."""
    import difflib

    slugs, used = taxonomy.slugs(), set()
    for entry in entries:
        if entry.key == taxonomy.citation_key:
            continue  # the list's own paper is not in the list
        if not entry.categories:
            yield found("no-category", entry.key, entry.line, "no category (keywords is empty)")
        for slug in entry.categories:
            used.add(slug)
            if slug not in slugs:
                close = difflib.get_close_matches(slug, slugs, n=1, cutoff=0.6)
                hint = f"; did you mean {close[0]}?" if close else ""
                message = f"category {slug} is not in the taxonomy{hint}"
                yield found("unknown-category", entry.key, field_line(entry, "keywords"), message)
    for category in taxonomy.categories():
        if category.slug not in used:
            line = category_lines.get(category.slug, 0)
            message = f"category {category.slug} ({category.name}) has no entry"
            yield found("empty-category", category.slug, line, message)


def taxonomy_lines(library_text: str, span: tuple[int, int] | None) -> dict[str, int]:
    """The file line of each `- slug: Name` in the taxonomy block."""
    if span is None:
        return {}
    first = library_text.count("\n", 0, span[0]) + 1
    block = library_text[span[0] : span[1]].splitlines()
    lines = (re.match(r"\s*-\s*([^:\s]+)\s*:", s) for s in block)
    return {m.group(1): first + i for i, m in enumerate(lines) if m}
