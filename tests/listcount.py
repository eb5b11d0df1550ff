"""An independent count of the paper entries in an awesome-list README.

Test helper only, and deliberately naive: plain regular expressions over lines, sharing
no code with soralit's importer, so that its figures can check the importer's. A Markdown
block (a list item, a table row, or a paragraph) counts as one paper entry when it holds at
least one link to a paper host (arXiv, a DOI, OpenReview, a publisher or proceedings site,
or a PDF file). Fenced code and HTML comments are skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PAPER_HOSTS = re.compile(
    r"(?ix)^https?://(?:www\.|export\.)?(?:"
    r"arxiv\.org/(?:abs|pdf)/"
    r"|(?:dx\.)?doi\.org/10\."
    r"|openreview\.net/(?:forum|pdf)"
    r"|aclanthology\.org/|aclweb\.org/anthology/"
    r"|openaccess\.thecvf\.com/|ecva\.net/papers/"
    r"|(?:proceedings|papers)\.neurips\.cc/|papers\.nips\.cc/"
    r"|proceedings\.mlr\.press/|jmlr\.org/papers/"
    r"|dl\.acm\.org/doi/|ieeexplore\.ieee\.org/|link\.springer\.com/"
    r"|nature\.com/articles/|science\.org/doi/|sciencedirect\.com/science/article/"
    r"|ojs\.aaai\.org/|aaai\.org/ojs/|ijcai\.org/proceedings/"
    r"|(?:bio|med)rxiv\.org/content/|semanticscholar\.org/paper/"
    r"|[^/\s]+/[^\s]*\.pdf(?:$|[?#])"
    r")"
)
_URL = re.compile(r"""https?://[^\s)<>\]"'`|]+""")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s+\S")
_ROW = re.compile(r"^\s*\|")
_DELIMITER = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")
_HEADING = re.compile(r"^\s{0,3}#{1,6}(?:\s|$)")
_ARXIV = re.compile(r"arxiv\.org/(?:abs|pdf)/+(\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})")


@dataclass(frozen=True)
class Count:
    entries: int  # blocks holding a paper link
    links: frozenset[str]  # every distinct paper link, normalised


def paper_links(text: str) -> list[str]:
    """The paper-host URLs in TEXT, normalised (`normalise`)."""
    urls = (url.rstrip(".,;:") for url in _URL.findall(text))
    return [normalise(url) for url in urls if PAPER_HOSTS.match(url)]


def normalise(url: str) -> str:
    """One spelling per paper link: arXiv abs/pdf/versions alike, no trailing slash."""
    arxiv = _ARXIV.search(url)
    if arxiv:
        return "arxiv:" + arxiv[1]
    url = re.sub(r"^https?://(?:www\.)?", "", url, flags=re.I)
    return url.rstrip("/").lower()


def blocks(markdown: str) -> list[str]:
    """List items, table rows and paragraphs, each as one string."""
    markdown = _COMMENT.sub("", markdown.replace("\r\n", "\n"))
    found: list[list[str]] = []
    fenced = False
    current: list[str] | None = None
    for line in markdown.split("\n"):
        if _FENCE.match(line):
            fenced, current = not fenced, None
            continue
        if fenced or not line.strip() or _HEADING.match(line) or _DELIMITER.match(line):
            current = None
            continue
        if _ITEM.match(line) or _ROW.match(line) or current is None:
            current = [line]
            found.append(current)
        else:
            current.append(line)
    return ["\n".join(block) for block in found]


def count_entries(markdown: str) -> Count:
    """The paper entries of a README, and its distinct paper links."""
    entries, links = 0, set()
    for block in blocks(markdown):
        found = paper_links(block)
        entries += bool(found)
        links.update(found)
    return Count(entries, frozenset(links))
