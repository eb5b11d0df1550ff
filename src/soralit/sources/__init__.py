"""Metadata sources: arXiv, Crossref, Semantic Scholar, dblp, and link checks.

Each service module has one small `fetch_*` function (the only I/O, through
`sources.http`), a pure `parse_*` of the response body, and a pure mapping to
`model.Entry` or plain fields. `requests` is imported only inside this package, and
only when a request is made.
"""
