"""soralit's operations on a library: the Python API behind the commands that change it.

Each function takes the library's path and plain values, returns a frozen result, and
raises a `soralit.errors.SoralitError` (with a one-line message) for an expected
failure; none prints or exits. The commands (`soralit.commands`) parse options, call one
of these and render its result. Every write is one `storage.edit` transaction.

    add, update                 papers from arXiv/Crossref, upgrades      (papers, updates)
    tag, remove                 an entry's categories, removing entries   (entries)
    add_category, rename_category, move_category, remove_category         (categories)
    init_library, import_markdown, complete_from_arxiv                    (imports)
    fix                         the safe repairs of `check`               (repairs)
    sync_readme                 the list between a README's markers       (readme)

The names are imported on first use, so `import soralit` stays cheap.
"""

from __future__ import annotations

import importlib
from typing import Any

_WHERE = {
    "add": "papers",
    "AddResult": "papers",
    "update": "updates",
    "UpdateResult": "updates",
    "tag": "entries",
    "TagResult": "entries",
    "remove": "entries",
    "RemoveResult": "entries",
    "add_category": "categories",
    "rename_category": "categories",
    "move_category": "categories",
    "remove_category": "categories",
    "TaxonomyResult": "categories",
    "init_library": "imports",
    "import_markdown": "imports",
    "complete_from_arxiv": "imports",
    "MarkdownImport": "imports",
    "fix": "repairs",
    "FixResult": "repairs",
    "sync_readme": "readme",
    "ReadmeSync": "readme",
}
__all__ = list(_WHERE)


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)
