"""The core records: entries and the taxonomy.

Pure data and pure helpers. No I/O, and no click, rich, requests or bibtexparser here.
Field values are stored as raw BibTeX text (outer braces or quotes removed); `text.py`
turns them into display text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, overload

from soralit.ids import arxiv_id_from_url

if TYPE_CHECKING:
    from soralit.dates import Date
    from soralit.macros import StringDef

# New-style arXiv IDs (YYMM.NNNN[N]) and old-style (archive[.SUB]/YYMMNNN).
_NEW_ARXIV = re.compile(r"^(\d{2})(\d{2})\.\d{4,5}$")
_OLD_ARXIV = re.compile(r"^[a-z-]+(?:\.[A-Za-z-]+)?/(\d{2})(\d{2})\d{3}$")
_VERSION = re.compile(r"v\d+$")
# A value that may be a macro name left as written (`macros.may_hide_macros`).
_MACRO_LIKE = re.compile(r"[^\s\d\"#%'(),={}][^\s\"#%'(),={}]*")


@dataclass(frozen=True)
class Note:
    """Markdown a list keeps under a heading besides its entries (a paragraph, a
    `<details>` tag, an item that is no paper), written back in place: before the
    entries (`before` = `^`), before the entry whose key is `before`, or after them ('')."""

    before: str
    text: str


@dataclass(frozen=True)
class Category:
    """A node of the taxonomy tree: one heading of the list, with the headings below it.

    Entries name it by `slug` in their `keywords`; any node may hold entries, leaves and
    inner nodes alike. `markdown` is the heading as the README wrote it, when that is
    more than the name (emoji, links, HTML); `notes` what the list keeps beside the
    entries under it; `level` its Markdown heading level when the README skips one
    (`####` right under `##`), else 0: one below its parent's.
    """

    slug: str
    name: str
    children: tuple[Category, ...] = ()
    markdown: str = ""
    notes: tuple[Note, ...] = ()
    level: int = 0

    @property
    def categories(self) -> tuple[Category, ...]:
        """The nodes below this one, depth first (a section's categories)."""
        return tuple(n for c in self.children for n in c.walk())

    def walk(self) -> Iterator[Category]:
        """This node and every node below it, depth first."""
        yield self
        for child in self.children:
            yield from child.walk()


def Section(
    name: str,
    categories: tuple[Category, ...] = (),
    *,
    slug: str = "",
    markdown: str = "",
    notes: tuple[Note, ...] = (),
) -> Category:
    """A top-level node named NAME (slug derived from it) over CATEGORIES."""
    return Category(slug or slugify(name), name, tuple(categories), markdown, notes)


@dataclass(frozen=True)
class Taxonomy:
    """The list's headings as a tree of categories, plus its title and citation key.

    `sections` are the top-level nodes. `heading` is the heading the list stands under
    ('' for none) and `level` the Markdown heading level of the top-level nodes (`###`
    under `## Paper List` by default). `form` is how the block was written, kept so that
    an edit never rewrites the whole block in the other form: "sections" (`## Name`
    lines), "tree" (`- slug: Name` lines only), or "" for a new taxonomy.
    """

    sections: tuple[Category, ...] = ()
    title: str = ""
    citation_key: str = ""
    heading: str = "Paper List"
    level: int = 3
    form: str = field(default="", compare=False)

    def nodes(self) -> list[Category]:
        """Every node, depth first."""
        return [n for s in self.sections for n in s.walk()]

    def depths(self) -> list[tuple[int, Category]]:
        """(depth, node) for every node, depth first; top-level nodes have depth 1."""
        found: list[tuple[int, Category]] = []

        def visit(node: Category, depth: int) -> None:
            found.append((depth, node))
            for child in node.children:
                visit(child, depth + 1)

        for section in self.sections:
            visit(section, 1)
        return found

    def categories(self) -> list[Category]:
        """The nodes shown as categories in a two-level view: all but the top-level
        nodes that have nodes below them (the sections)."""
        return [n for s in self.sections for n in (s.categories if s.children else (s,))]

    def grouped(self, used: set[str]) -> list[tuple[Category, tuple[Category, ...]]]:
        """Each top-level node with the nodes a two-level view shows under it: every
        node below it, and itself too when it is a leaf or USED holds its slug."""
        return [
            (s, (s, *s.categories) if not s.children or s.slug in used else s.categories)
            for s in self.sections
        ]

    def path(self, slug: str) -> list[Category]:
        """The nodes from the top level down to SLUG (empty when there is no SLUG)."""

        def find(nodes: tuple[Category, ...], above: list[Category]) -> list[Category]:
            for node in nodes:
                if node.slug == slug:
                    return [*above, node]
                found = find(node.children, [*above, node])
                if found:
                    return found
            return []

        return find(self.sections, [])

    def shown_name(self, slug: str) -> str:
        """A category's name in a two-level view, with the categories between it and its
        section (`Generation › Images`); a section's own name."""
        path = self.path(slug)
        return " › ".join(n.name for n in path[1:]) or (path[0].name if path else slug)

    def category(self, slug: str) -> Category | None:
        return next((c for c in self.nodes() if c.slug == slug), None)

    def section_of(self, slug: str) -> Category | None:
        """The top-level node whose subtree holds SLUG."""
        return next((s for s in self.sections if any(n.slug == slug for n in s.walk())), None)

    def slugs(self) -> list[str]:
        """The slugs entries may be filed under: every node's."""
        return [c.slug for c in self.nodes()]

    def subtree(self, slug: str) -> list[str]:
        """SLUG and the slugs of every node below it."""
        node = self.category(slug)
        return [n.slug for n in node.walk()] if node else []


# The field holding soralit's short venue label (`CVPR'23`): one that no BibTeX or
# biblatex data model defines (docs/library-format.md says why).
LABEL_FIELD = "listvenue"
# Where soralit 0.1 kept it, read still: biblatex's `venue` is the event's location.
OLD_LABEL_FIELD = "venue"
# Fields an entry does not take from its `crossref` parent (biblatex's defaults, and
# soralit's own: categories, labels, links and suppressions belong to one entry).
NOT_INHERITED = frozenset({
    "ids", "crossref", "xref", "entryset", "entrysubtype", "execute", "label", "options",
    "presort", "related", "relatedoptions", "relatedstring", "relatedtype", "shorthand",
    "shorthandintro", "sortkey", "keywords", "code", "nocheck", "url", "doi", "eprint",
    LABEL_FIELD, OLD_LABEL_FIELD,
})  # fmt: skip
# Parent types whose title is the `booktitle` of a part of them (PART_TYPES), as
# biblatex's data inheritance has it.
BOOK_LIKE = frozenset({
    "book", "mvbook", "collection", "mvcollection", "proceedings", "mvproceedings",
    "reference", "mvreference",
})  # fmt: skip
PART_TYPES = frozenset({
    "inbook", "bookinbook", "suppbook", "incollection", "suppcollection", "inproceedings",
    "conference", "inreference",
})  # fmt: skip
_CROSSREF_DEPTH = 4  # parents of parents followed (cycles end here too)


class Context:
    """What an entry's values may refer to outside the entry: the library's `@string`
    macros and, for `crossref`, its other entries. This one knows none (an entry made by
    hand); `columns` gives entries read from a library theirs."""

    def strings(self) -> Mapping[str, StringDef]:
        return {}

    def entry(self, key: str) -> Entry | None:
        return None


NO_CONTEXT = Context()


@dataclass(frozen=True)
class Entry:
    """One BibTeX entry.

    `fields` keys are lower-case; values are raw BibTeX text without the outer braces.
    `line` is the 1-based line of the `@` in the file, `raw` the entry's exact text there
    (both empty for an entry not read from a file). `value(name)` is a field as readers
    see it: macros and `#` expanded, inherited through `crossref`.
    """

    key: str
    type: str = "misc"
    fields: Mapping[str, str] = field(default_factory=dict)
    line: int = 0
    raw: str = field(default="", compare=False, repr=False)
    context: Context = field(default=NO_CONTEXT, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "fields", MappingProxyType(dict(self.fields)))

    @classmethod
    def view(
        cls,
        key: str,
        type: str,
        fields: Mapping[str, str],
        line: int,
        raw: str,
        context: Context = NO_CONTEXT,
    ) -> Entry:
        """An entry over FIELDS as given, not copied: for read-only mappings (`records`).

        The same entry as `Entry(key, type, fields, line, raw)`, made in a fraction of the
        time: reading a 50k-entry library makes one per entry.
        """
        entry = cls.__new__(cls)
        attributes = entry.__dict__  # frozen: set them where __setattr__ does not look
        attributes["key"], attributes["type"], attributes["fields"] = key, type, fields
        attributes["line"], attributes["raw"], attributes["context"] = line, raw, context
        return entry

    def get(self, name: str, default: str = "") -> str:
        return self.fields.get(name, default)

    def value(self, name: str) -> str:
        """Field NAME as BibTeX tools read it (raw LaTeX still): `@string` macros and `#`
        concatenations expanded, a missing field taken from the `crossref` parent."""
        return self._value(name, 0)

    def _value(self, name: str, depth: int) -> str:
        value = self.fields.get(name)
        if value is not None:
            if self.raw and ("#" in value or _MACRO_LIKE.fullmatch(value)):
                from soralit import macros

                return macros.field_text(self, name, self.context.strings())
            return value
        parent_key = self.fields.get("crossref", "").strip()
        if not parent_key or depth >= _CROSSREF_DEPTH or name in NOT_INHERITED:
            return ""
        parent = self.context.entry(parent_key)
        if parent is None:
            return ""
        if self.type in PART_TYPES and parent.type in BOOK_LIKE:
            if name == "booktitle" and "booktitle" not in parent.fields:
                return parent._value("title", depth + 1)
            if name in ("title", "subtitle"):
                return ""  # a part of a book has a title of its own, never the book's
        if name == "journaltitle" and parent.type == "periodical":
            return parent._value("title", depth + 1)
        return parent._value(name, depth + 1)

    @property
    def categories(self) -> tuple[str, ...]:
        return split_keywords(self.get("keywords"))

    @property
    def arxiv_id(self) -> str:
        """The arXiv ID without version, from `eprint` or an arXiv `url` (any link form
        `ids.parse_identifier` reads: abs, pdf, html); '' if none."""
        eprint = self.get("eprint").strip()
        prefix = self.get("archiveprefix").strip().lower()
        if eprint and prefix in ("", "arxiv"):
            return _VERSION.sub("", eprint)
        url = self.get("url")
        return arxiv_id_from_url(url) if "arxiv.org" in url.lower() else ""

    @property
    def doi(self) -> str:
        return self.get("doi").strip()

    @property
    def date(self) -> Date | None:
        """When the work was published: biblatex's `date`, else `year` and `month`."""
        from soralit import dates

        inherits = "crossref" in self.fields
        if "date" in self.fields or inherits:
            found = dates.parse_date(self.value("date"))
            if found is not None:
                return found
        if "year" not in self.fields and not inherits:
            return None
        month = self.value("month") if "month" in self.fields or inherits else ""
        return dates.parse_year_month(self.value("year"), month)

    @property
    def year(self) -> int | None:
        date = self.date
        return date.year if date else None

    def label_field(self) -> str:
        """The field holding the entry's own venue label: `LABEL_FIELD`, else the old
        `venue` when it reads as a label (not as biblatex's event location), else ''."""
        if self.fields.get(LABEL_FIELD, "").strip():
            return LABEL_FIELD
        old = self.fields.get(OLD_LABEL_FIELD, "").strip()
        if old:
            from soralit.catalog import looks_like_label

            if looks_like_label(old):
                return OLD_LABEL_FIELD
        return ""

    def venue_label(self) -> str:
        """The short venue label the list shows: the entry's own (`label_field`), else
        one derived from its journal, book or event (`catalog.derived_label`: `CVPR'23`
        for a venue the catalog knows, else the name), else `arXiv YYYY.MM` from the
        arXiv ID, else ''."""
        own = self.label_field()
        if own:
            return self.fields[own].strip()
        from soralit.catalog import derived_label

        return derived_label(self)


WorkId = tuple[str, str]  # ("arXiv ID" | "DOI" | "title", normalised value): see `duplicates`


class Entries(Sequence[Entry]):
    """A library's entries in file order, and the questions a large library asks of all
    of them: every key, every value of one field, which entry holds a work.

    This base keeps made entries and answers by looking at each. `columns.EntryList`,
    what `storage.load` gives, answers from the parsed columns without making entries.
    """

    def __init__(self, entries: Iterable[Entry] = ()) -> None:
        self._entries = tuple(entries)

    def __len__(self) -> int:
        return len(self._entries)

    @overload
    def __getitem__(self, index: int) -> Entry: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Entry]: ...
    def __getitem__(self, index: int | slice) -> Entry | Sequence[Entry]:
        return self._entries[index]

    def __iter__(self) -> Iterator[Entry]:
        return iter(self._entries)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({len(self)} entries)"

    def citation_keys(self) -> list[str]:
        """The citation keys, in file order."""
        return [e.key for e in self]

    def field_values(self, name: str) -> list[str]:
        """Every entry's raw value of field NAME ('' where absent)."""
        return [e.get(name) for e in self]

    def has_key(self, key: str) -> bool:
        """Whether an entry has citation key KEY (exactly)."""
        return key in self.citation_keys()

    def knows_work_ids(self) -> bool:
        """Whether `work_ids_by_entry` and `position_of_work` can answer without
        computing every entry's ids (the parse cached them)."""
        return False

    def work_ids_by_entry(self) -> list[list[WorkId]]:
        """Each entry's `duplicates.work_ids`, as the parse cached them."""
        raise NotImplementedError

    def position_of_work(self, work_id: WorkId) -> int | None:
        """Position of the first entry with this work identifier, or None."""
        raise NotImplementedError


def arxiv_label(arxiv_id: str) -> str:
    """`arXiv YYYY.MM` from an arXiv ID's YYMM part ('' when not an arXiv ID)."""
    match = _NEW_ARXIV.match(arxiv_id) or _OLD_ARXIV.match(arxiv_id)
    if not match:
        return ""
    yy, mm = int(match.group(1)), match.group(2)
    century = 1900 if yy >= 91 else 2000
    return f"arXiv {century + yy}.{mm}"


def split_keywords(value: str) -> tuple[str, ...]:
    """Comma- or semicolon-separated keywords, stripped, empties dropped, order kept."""
    if ";" in value:
        value = value.replace(";", ",")
    return tuple(k for k in map(str.strip, value.split(",")) if k)


def rewrite_keywords(value: str, wanted: Sequence[str]) -> str:
    """VALUE (a `keywords` field as written) holding the keywords WANTED, written as the
    field writes them: each kept keyword as it stands (line breaks and all), the
    separator it uses (`;` or `,`, spaced as it is) before each new one. Keywords are
    compared stripped; when WANTED keeps them in another order they are joined anew."""
    parts = re.split(r"(\s*[;,]\s*)", value) if value.strip() else []
    tokens = [
        (parts[i].strip(), parts[i - 1] if i else "", parts[i]) for i in range(0, len(parts), 2)
    ]
    tokens = [t for t in tokens if t[0]]
    separator = next((sep for _, sep, _ in tokens[1:] if "\n" not in sep), "")
    if not separator:
        separator = "; " if ";" in value and "," not in value else ", "
    kept = [t for t in tokens if t[0] in wanted]
    if [t[0] for t in kept] != list(wanted[: len(kept)]):
        return separator.join(wanted)
    out = ""
    for _name, sep, text in kept:
        out += (sep if out else "") + (text.lstrip() if not out else text)
    for name in wanted[len(kept) :]:
        out = out.rstrip() + (separator if out.strip() else "") + name
    return out


def slugify(name: str) -> str:
    """A URL-safe slug: lower case, ASCII letters and digits joined by single hyphens."""
    import unicodedata

    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
