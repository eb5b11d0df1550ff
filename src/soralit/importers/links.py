"""The links beside a paper: which is the paper, which the code, which something else.

Pure. A link's role comes from its label first (`[[Paper]]`, `[code]`, a badge's alt
text), then from its host: arXiv, DOI, OpenReview, proceedings and publisher sites and
PDF files are papers; GitHub, GitLab, Bitbucket and Hugging Face are code.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from soralit import ids, model
from soralit.errors import UsageProblem

CODE_WORDS = frozenset(
    ("code", "codes", "github", "gitlab", "bitbucket", "repo", "repository", "source",
     "implementation", "pytorch", "tensorflow", "jax", "keras", "caffe", "torch", "star",
     "stars", "official", "unofficial", "mindspore", "paddle", "model", "models",
     "checkpoint", "checkpoints", "weights")
)  # fmt: skip
PAPER_WORDS = frozenset(
    ("paper", "papers", "pdf", "arxiv", "doi", "abs", "abstract", "publication", "article",
     "openreview", "acl", "aclanthology", "preprint", "full", "proceedings", "springer",
     "ieee", "acm", "nature", "science", "biorxiv", "medrxiv", "link", "url", "html")
)  # fmt: skip
CODE_HOSTS = ("github.com", "gitlab.com", "bitbucket.org", "huggingface.co", "github.io")
_PAPER_HOST = re.compile(
    r"(?ix)^(?:www\.|export\.)?(?:"
    r"arxiv\.org|(?:dx\.)?doi\.org|openreview\.net|aclanthology\.org|aclweb\.org"
    r"|openaccess\.thecvf\.com|ecva\.net|(?:proceedings|papers)\.neurips\.cc"
    r"|papers\.nips\.cc|proceedings\.mlr\.press|jmlr\.org|dl\.acm\.org|ieeexplore\.ieee\.org"
    r"|link\.springer\.com|(?:www\.)?nature\.com|(?:www\.)?science\.org"
    r"|(?:www\.)?sciencedirect\.com|ojs\.aaai\.org|(?:www\.)?aaai\.org|(?:www\.)?ijcai\.org"
    r"|(?:www\.)?(?:bio|med)rxiv\.org|(?:www\.)?semanticscholar\.org|(?:www\.)?isca-archive\.org"
    r"|(?:www\.)?techrxiv\.org|(?:www\.)?researchgate\.net|(?:www\.)?ssrn\.com"
    r"|papers\.ssrn\.com|academic\.oup\.com|(?:www\.)?tandfonline\.com|(?:www\.)?mdpi\.com"
    r"|onlinelibrary\.wiley\.com|(?:www\.)?cell\.com|(?:www\.)?pnas\.org|(?:www\.)?jstor\.org"
    r")$"
)
# A github.com/owner/repo link is code, but a github.io page is a project page.
_CODE_PATH_HOSTS = ("github.com", "gitlab.com", "bitbucket.org", "huggingface.co")


def is_http(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def is_paper_host(url: str) -> bool:
    """True for a link to where papers live (or to a PDF file)."""
    if _PAPER_HOST.match(host(url)):
        return True
    return urlsplit(url).path.lower().endswith(".pdf")


def is_code_host(url: str) -> bool:
    name = host(url)
    return any(name == h or name.endswith("." + h) for h in _CODE_PATH_HOSTS)


def label_role(label: str) -> str:
    """`paper`, `code` or `` from a link's label words (`Paper`, `PyTorch (lucidrains)`)."""
    words = set(model.slugify(label).split("-"))
    if words & PAPER_WORDS and not words & CODE_WORDS:
        return "paper"
    if words & CODE_WORDS and not words & PAPER_WORDS:
        return "code"
    if words & CODE_WORDS:  # `Paper (code)`: the host decides
        return ""
    return ""


def link_role(label: str, url: str) -> str:
    """`paper`, `code` or `other` for a link other than the title's."""
    role = label_role(label)
    if role == "code" and is_paper_host(url) and not is_code_host(url):
        return "paper"  # `[[PyTorch]](arxiv.org/...)`: a slip of the label
    if role:
        return role
    if is_paper_host(url):
        return "paper"
    return "code" if is_code_host(url) else "other"


def arxiv_id(url: str) -> str:
    return ids.arxiv_id_from_url(url)


def doi(url: str) -> str:
    """The DOI a doi.org link names ('' for others)."""
    if "doi.org/" not in url.lower():
        return ""
    try:
        found = ids.parse_identifier(url)
    except UsageProblem:
        return ""
    return found.value if found.kind == "doi" else ""
