"""soralit: a bibliography manager for curated paper lists."""

__version__ = "0.1.0"
