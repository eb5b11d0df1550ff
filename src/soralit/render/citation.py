"""The `## Citation` block: a fenced BibTeX block in arXiv's own export style. Pure."""

from __future__ import annotations

from soralit.bibtex import FIELD_CASE
from soralit.model import Entry

# soralit's own bookkeeping fields, not part of a citation.
PRIVATE_FIELDS = frozenset({"keywords", "venue", "code", "abstract"})


def citation_bibtex(entry: Entry) -> str:
    """arXiv's layout: six-space indent, `name={value}`; the title line ends in `, `."""
    fields = [(n, v) for n, v in entry.fields.items() if n not in PRIVATE_FIELDS and v]
    lines = [f"@{entry.type}{{{entry.key},"]
    for i, (name, value) in enumerate(fields):
        comma = "" if i == len(fields) - 1 else ("," + (" " if name == "title" else ""))
        lines.append(f"      {FIELD_CASE.get(name, name)}={{{value}}}{comma}")
    lines.append("}")
    return "\n".join(lines)


def render_citation(entry: Entry, *, heading: str = "Citation") -> str:
    """`## Citation`, a blank line, and the fenced bibtex block."""
    return f"## {heading}\n\n```bibtex\n{citation_bibtex(entry)}\n```\n"
