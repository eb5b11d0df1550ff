"""Renderers: pure functions `(entries, taxonomy, options) -> str`, one module per format."""
