"""The taxonomy block: text <-> `Taxonomy`, and pure edits of the taxonomy tree.

The block is a `@comment{soralit-taxonomy: ...}` in the library (see docs/library-format.md).
No I/O here; `storage.py` finds the block and splices the text this module produces.

Two forms, both read, the first written whenever it can say everything:

- sections: `## Name` is a top-level category (slug derived from the name), `- slug: Name`
  a category of the section above, indented two spaces per level below that;
- tree: `- slug: Name` at every level, indented two spaces per level.

Lines under a category belong to it: `markdown: ...` (its heading as the README writes it),
`| text` (a line of the Markdown it keeps before its entries), `before KEY:` and `after:`
(the `| text` lines that follow go before that entry, or after the entries). In note and
heading text, `%`, `{` and `}` are written `%25`, `%7B` and `%7D`, so that any Markdown
fits in the BibTeX comment.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable

from soralit.errors import UsageProblem
from soralit.model import Category, Note, Taxonomy, slugify

MARKER = "soralit-taxonomy:"
DEFAULT_LEVEL = 3
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_NODE = re.compile(r"^(?P<indent> *)- (?P<slug>[^:\s]*)\s*:\s*(?P<name>.*)$")
_BEFORE = re.compile(r"^before (?P<key>\S+):$")


class TaxonomyError(ValueError):
    """A malformed taxonomy block (the caller adds the file and line)."""

    def __init__(self, offset: int, message: str) -> None:
        self.offset = offset
        super().__init__(message)


@dataclasses.dataclass
class _Draft:
    """A node being read: mutable until the whole block is read."""

    slug: str
    name: str
    derived: bool = False  # a `## Name` line: its slug comes from its name
    children: list[_Draft] = dataclasses.field(default_factory=list)
    markdown: str = ""
    notes: list[tuple[str, list[str]]] = dataclasses.field(default_factory=list)
    level: int = 0

    def freeze(self) -> Category:
        notes = tuple(Note(before, "\n".join(lines)) for before, lines in self.notes)
        children = tuple(c.freeze() for c in self.children)
        return Category(self.slug, self.name, children, self.markdown, notes, self.level)


def parse_taxonomy(comment: str) -> Taxonomy:
    """Parse the text inside `@comment{...}` (starting with the marker)."""
    body = comment.strip()[len(MARKER) :]
    meta: dict[str, str] = {}
    tops: list[_Draft] = []
    path: list[_Draft] = []  # the node at each depth of the line being read
    sectioned = False
    for offset, raw in enumerate(body.splitlines()):
        line = raw.strip()
        node = _NODE.match(raw.rstrip())
        if not line:
            continue
        if line.startswith("## "):
            path = [_Draft(slugify(line[3:].strip()), line[3:].strip(), derived=True)]
            tops.append(path[0])
            sectioned = True
        elif node:
            _add_node(node, path, tops, offset, sectioned=sectioned)
        elif path:
            _attribute(path[-1], raw, offset)
        elif ":" in line:
            name, _, value = line.partition(":")
            meta[name.strip().lower()] = value.strip()
        else:
            raise TaxonomyError(offset, f"taxonomy: cannot read line {line!r}")
    return dataclasses.replace(
        _taxonomy(meta, tops), form="sections" if sectioned else ("tree" if tops else "")
    )


def _add_node(
    match: re.Match[str], path: list[_Draft], tops: list[_Draft], offset: int, *, sectioned: bool
) -> None:
    slug, name, indent = match["slug"], match["name"].strip(), len(match["indent"])
    line = match.group().strip()
    if not _SLUG.match(slug) or not name:
        raise TaxonomyError(offset, f"taxonomy: expected '- slug: Name', got {line!r}")
    if indent % 2:
        raise TaxonomyError(offset, f"taxonomy: indent by two spaces per level: {line!r}")
    depth = indent // 2 + (2 if sectioned else 1)
    if sectioned and not path:
        raise TaxonomyError(offset, f"taxonomy: category {slug!r} before any '## Section'")
    if depth > len(path) + 1:
        raise TaxonomyError(offset, f"taxonomy: {slug!r} is indented below no category")
    node = _Draft(slug, _decode(name))
    del path[depth - 1 :]
    if depth == 1:
        tops.append(node)
    else:
        path[-1].children.append(node)
    path.append(node)


def _attribute(node: _Draft, raw: str, offset: int) -> None:
    """A `markdown:`, `| text`, `before KEY:` or `after:` line of NODE."""
    line = raw.strip()
    if line.startswith("|"):
        text = raw.lstrip()[1:]
        if not node.notes:
            node.notes.append(("^", []))
        node.notes[-1][1].append(_decode(text[1:] if text.startswith(" ") else text))
    elif line.startswith("markdown:"):
        node.markdown = _decode(line[len("markdown:") :].strip())
    elif line.startswith("level:") and not node.notes:
        level = line[len("level:") :].strip()
        if level not in ("1", "2", "3", "4", "5", "6"):
            raise TaxonomyError(offset, f"taxonomy: a heading level is 1 to 6, got {level!r}")
        node.level = int(level)
    elif line.startswith("slug:") and node.derived and not node.children and not node.notes:
        slug = line[len("slug:") :].strip()
        if not _SLUG.match(slug):
            raise TaxonomyError(offset, f"taxonomy: invalid slug {slug!r}")
        node.slug, node.derived = slug, False
    elif line == "after:":
        node.notes.append(("", []))
    elif _BEFORE.match(line):
        node.notes.append((_BEFORE.match(line)["key"], []))  # type: ignore[index]
    else:
        raise TaxonomyError(offset, f"taxonomy: cannot read line {line!r}")


def _taxonomy(meta: dict[str, str], tops: list[_Draft]) -> Taxonomy:
    _unique_section_slugs(tops)
    try:
        level = int(meta.get("level", DEFAULT_LEVEL))
    except ValueError:
        raise TaxonomyError(0, f"taxonomy: level must be 0 to 6, got {meta['level']!r}") from None
    if not 0 <= level <= 6:
        raise TaxonomyError(0, f"taxonomy: level must be 0 to 6, got {level}")
    taxonomy = Taxonomy(
        sections=tuple(t.freeze() for t in tops),
        title=meta.get("title", ""),
        citation_key=meta.get("citation", ""),
        heading=meta.get("heading", "Paper List"),
        level=level,
    )
    slugs = taxonomy.slugs()
    duplicates = {s for s in slugs if slugs.count(s) > 1}
    if duplicates:
        raise TaxonomyError(
            0, f"taxonomy: category slug used twice: {', '.join(sorted(duplicates))}"
        )
    return taxonomy


def _unique_section_slugs(tops: list[_Draft]) -> None:
    """A `## Name` section whose derived slug a category has too gets `-section` added:
    two-level blocks never filed entries under sections, so nothing refers to it."""
    explicit = {n.slug for t in tops for n in _walk(t) if not n.derived}
    for top in tops:
        if top.derived and top.slug in explicit:
            top.slug += "-section"


def _walk(node: _Draft) -> list[_Draft]:
    return [node, *(n for c in node.children for n in _walk(c))]


def format_taxonomy(taxonomy: Taxonomy) -> str:
    """The whole `@comment{soralit-taxonomy: ...}` block, without a trailing newline."""
    lines = [f"@comment{{{MARKER}"]
    if taxonomy.title:
        lines.append(f"title: {taxonomy.title}")
    if taxonomy.citation_key:
        lines.append(f"citation: {taxonomy.citation_key}")
    lines.append(f"heading: {taxonomy.heading}".rstrip())
    if taxonomy.level != DEFAULT_LEVEL:
        lines.append(f"level: {taxonomy.level}")
    derived = all(_derived(s) for s in taxonomy.sections)
    sectioned = taxonomy.form == "sections" or (not taxonomy.form and derived)
    for section in taxonomy.sections:
        if sectioned:
            lines.append(f"## {section.name}")
            if not _derived(section):
                lines.append(f"  slug: {section.slug}")
            lines += _attributes(section, "  ")
            for child in section.children:
                lines += _node_lines(child, 0)
        else:
            lines += _node_lines(section, 0)
    lines.append("}")
    return "\n".join(lines)


def _derived(section: Category) -> bool:
    """True when a `## Name` line gives SECTION's slug."""
    return section.slug in (slugify(section.name), slugify(section.name) + "-section")


def _node_lines(node: Category, depth: int) -> list[str]:
    indent = "  " * depth
    lines = [f"{indent}- {node.slug}: {_encode(node.name)}"]
    lines += _attributes(node, indent + "  ")
    for child in node.children:
        lines += _node_lines(child, depth + 1)
    return lines


def _attributes(node: Category, indent: str) -> list[str]:
    lines = [f"{indent}markdown: {_encode(node.markdown)}"] if node.markdown else []
    lines += [f"{indent}level: {node.level}"] if node.level else []
    for i, note in enumerate(node.notes):
        if note.before == "":
            lines.append(f"{indent}after:")
        elif note.before != "^" or i > 0:
            lines.append(f"{indent}before {note.before}:")
        lines += [f"{indent}| {_encode(t)}".rstrip() for t in note.text.split("\n")]
    return lines


def _encode(text: str) -> str:
    return text.replace("%", "%25").replace("{", "%7B").replace("}", "%7D")


def _decode(text: str) -> str:
    return text.replace("%7B", "{").replace("%7D", "}").replace("%25", "%")


# --- edits ------------------------------------------------------------------------


def _check_name(name: str) -> str:
    name = " ".join(name.split())
    if not name or "{" in name or "}" in name:
        raise UsageProblem(f"invalid name {name!r}: it must be non-empty and have no braces")
    return name


def add_category(taxonomy: Taxonomy, parent: str, name: str, slug: str = "") -> Taxonomy:
    """Append a category under PARENT (a category matched by slug or name, at any depth),
    creating PARENT as a new top-level category when there is none."""
    name, slug = _check_name(name), slug or slugify(name)
    if not _SLUG.match(slug):
        raise UsageProblem(f"invalid slug {slug!r}: use lower-case letters, digits and hyphens")
    if slug in taxonomy.slugs():
        raise UsageProblem(f"category {slug!r} already exists")
    wanted = slugify(parent)
    target = next((n for n in taxonomy.nodes() if wanted in (n.slug, slugify(n.name))), None)
    fresh = Category(slug, name)
    if target is None:
        parent_name = _check_name(parent)
        if slugify(parent_name) in taxonomy.slugs():
            raise UsageProblem(f"category {slugify(parent_name)!r} already exists")
        if slugify(parent_name) == slug:
            raise UsageProblem(
                f"the new section {parent_name!r} and its category would both be {slug!r}: "
                "give the category another --slug"
            )
        top = Category(slugify(parent_name), parent_name, (fresh,))
        return dataclasses.replace(taxonomy, sections=(*taxonomy.sections, top))
    return _map(taxonomy, lambda n: _with_children(n, (*n.children, fresh)) if n is target else n)


def rename_category(taxonomy: Taxonomy, slug: str, name: str) -> Taxonomy:
    """Give category SLUG a new display name (the slug, used by entries, stays; a heading
    kept as the README wrote it goes, since it shows the old name)."""
    _require(taxonomy, slug)
    name = _check_name(name)
    return _map(
        taxonomy,
        lambda n: dataclasses.replace(n, name=name, markdown="") if n.slug == slug else n,
    )


def remove_category(taxonomy: Taxonomy, slug: str) -> Taxonomy:
    """Drop category SLUG. Refused while categories sit below it."""
    node = _require(taxonomy, slug)
    if node.children:
        below = ", ".join(c.slug for c in node.children)
        raise UsageProblem(
            f"category {slug!r} has categories below it ({below}); remove them first"
        )
    return _drop(taxonomy, slug)


def move_category(taxonomy: Taxonomy, slug: str, after: str) -> Taxonomy:
    """Move category SLUG (with what is below it) to just after category AFTER, at
    AFTER's level."""
    moving = _require(taxonomy, slug)
    if slug == after:
        return taxonomy
    moving = dataclasses.replace(moving, level=_require(taxonomy, after).level)  # AFTER's
    if after in [n.slug for n in moving.walk()]:
        raise UsageProblem(f"cannot move {slug!r} after {after!r}, which is below it")
    rest = _drop(taxonomy, slug)

    def insert(nodes: tuple[Category, ...]) -> tuple[Category, ...]:
        out: list[Category] = []
        for node in nodes:
            out.append(_with_children(node, insert(node.children)))
            if node.slug == after:
                out.append(moving)
        return tuple(out)

    return dataclasses.replace(rest, sections=insert(rest.sections))


def _drop(taxonomy: Taxonomy, slug: str) -> Taxonomy:
    def keep(nodes: tuple[Category, ...]) -> tuple[Category, ...]:
        return tuple(_with_children(n, keep(n.children)) for n in nodes if n.slug != slug)

    return dataclasses.replace(taxonomy, sections=keep(taxonomy.sections))


def _with_children(node: Category, children: tuple[Category, ...]) -> Category:
    return node if children == node.children else dataclasses.replace(node, children=children)


def _require(taxonomy: Taxonomy, slug: str) -> Category:
    category = taxonomy.category(slug)
    if category is None:
        raise UsageProblem(f"no category {slug!r} (known: {', '.join(taxonomy.slugs())})")
    return category


def _map(taxonomy: Taxonomy, fn: Callable[[Category], Category]) -> Taxonomy:
    """TAXONOMY with FN applied to every node (children first)."""

    def visit(node: Category) -> Category:
        return fn(_with_children(node, tuple(visit(c) for c in node.children)))

    return dataclasses.replace(taxonomy, sections=tuple(visit(s) for s in taxonomy.sections))
