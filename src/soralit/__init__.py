"""soralit: a bibliography manager for curated paper lists.

The Python API is the same code the commands run (see `soralit.operations`):

    import soralit

    library = soralit.load("library.bib")
    result = soralit.add("library.bib", ["2402.17177"], categories=["modeling"])
    soralit.tag("library.bib", result.added[0].key, add=["robotics"])

Names are imported on first use: `import soralit` (and the CLI's start-up) stays cheap.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.2.0"

__all__ = [
    "__version__", "add", "add_category", "complete_from_arxiv", "edit", "fix",
    "import_markdown", "init_library", "load", "move_category", "remove", "remove_category",
    "rename_category", "sync_readme", "tag", "update",
]  # fmt: skip
_OPERATIONS = frozenset(__all__) - {"__version__", "edit", "load"}


def __getattr__(name: str) -> Any:
    if name in ("load", "edit"):
        from soralit import storage

        return getattr(storage, name)
    if name in _OPERATIONS:
        from soralit import operations

        return getattr(operations, name)
    raise AttributeError(f"module 'soralit' has no attribute {name!r}")
