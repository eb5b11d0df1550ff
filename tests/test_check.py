"""The lint rules, on hand-built entries and small texts: ids, severities, lines, fixes."""

import pytest

from soralit import bibtex, catalog, check, rules
from soralit.findings import excerpt, field_line
from soralit.model import Category, Entry, Section, Taxonomy

TAXONOMY = Taxonomy(
    sections=(
        Section("Technology", (Category("modeling", "Modeling"), Category("data", "Data"))),
        Section("Application", (Category("robotics", "Robotics"),)),
    ),
    citation_key="self2024",
)
GOOD = {
    "title": "A Good Paper",
    "author": "Ada Lovelace",
    "year": "2023",
    "keywords": "modeling",
}


def entry(key: str = "good2023", line: int = 1, **fields: str) -> Entry:
    merged = {**GOOD, **fields}
    values = {k: v for k, v in merged.items() if v is not None}
    raw = "@misc{" + key + ",\n" + "".join(f"  {k} = {{{v}}},\n" for k, v in values.items())
    return Entry(key, "misc", values, line, raw + "}")


def findings(*entries: Entry, taxonomy: Taxonomy = TAXONOMY) -> list[tuple[str, str, str]]:
    """(rule, severity, key) of every finding, empty categories ignored unless asked."""
    found = check.suppress(entries, check.find_problems(entries, taxonomy))
    return [(f.rule, f.severity, f.key) for f in found if f.rule != "empty-category"]


def problems(*entries: Entry) -> list[check.Finding]:
    """The findings, without the empty categories that a few entries always leave."""
    return [f for f in check.find_problems(entries, TAXONOMY) if f.rule != "empty-category"]


def only(rule: str, *entries: Entry) -> list[check.Finding]:
    return [f for f in problems(*entries) if f.rule == rule]


def test_a_complete_entry_has_no_finding():
    assert findings(entry()) == []


def test_every_rule_has_a_severity_and_the_documented_ones_exist():
    assert {r.severity for r in check.RULES.values()} == {"error", "warning", "note"}
    assert {
        "duplicate-key", "duplicate-work", "no-category", "unknown-category", "empty-category",
        "placeholder-link", "bad-link", "code-not-repo", "unknown-venue", "venue-year",
        "arxiv-label", "missing-title", "missing-year", "missing-author", "mojibake",
        "unbalanced-braces", "bad-nocheck", "dead-link", "blocked-link", "old-venue-field",
    } == set(check.RULES)  # fmt: skip


# --- fields ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"title": None}, ("missing-title", "error", "no title")),
        ({"title": "{}"}, ("missing-title", "error", "no title")),
        ({"year": None}, ("missing-year", "error", "no year")),
        ({"year": "n.d."}, ("missing-year", "error", "year n.d. is not a year")),
        ({"author": None}, ("missing-author", "warning", "no author")),
        ({"author": "  "}, ("missing-author", "warning", "no author")),
    ],
)
def test_missing_fields(fields, expected):
    [finding] = problems(entry(line=7, **fields))
    assert (finding.rule, finding.severity, finding.message) == expected
    assert finding.key == "good2023"


def test_an_editor_stands_in_for_authors():
    assert findings(entry(author=None, editor="Ed Itor")) == []


# --- text -----------------------------------------------------------------------------------


def test_mojibake_is_an_error_with_the_ftfy_repair_as_fix():
    [finding] = only("mojibake", entry(title="Patch n‚ÄôPack: NaViT"))
    assert finding.severity == "error"
    assert (
        finding.message
        == "title looks like mojibake: Patch n‚ÄôPack: NaViT should read Patch n’Pack: NaViT"
    )
    assert dict(finding.fix) == {"title": "Patch n’Pack: NaViT"}


def test_mojibake_in_a_name_is_found_and_real_accents_are_not():
    assert [f.fix["author"] for f in only("mojibake", entry(author="JosÃ© Silva"))] == [
        "José Silva"
    ]
    assert (
        only("mojibake", entry(author="Jonas Müller and Łukasz Kaiser", title="北京 naïve “q”"))
        == []
    )


def test_a_long_value_shows_only_the_words_that_differ():
    old = "A very long title about many things, and Patch n‚ÄôPack in the middle of it all"
    new = old.replace("n‚ÄôPack", "n’Pack")
    assert excerpt(old, new) == ("n‚ÄôPack", "n’Pack")


@pytest.mark.parametrize("value", ["a { b", "a } b {", r"x \{ y", "{a}}"])
def test_unbalanced_braces(value):
    [finding] = only("unbalanced-braces", entry(note=value))
    assert (finding.severity, finding.message) == ("error", "note has unbalanced braces")


def test_balanced_braces_pass():
    assert only("unbalanced-braces", entry(title=r"{Sora}: {\"u}ber {\{} x {\}}")) == []


# --- links ----------------------------------------------------------------------------------


PLACEHOLDER, NOT_HTTP, MALFORMED = (
    "is a placeholder, not a link",
    "is not an http(s) link",
    "is not a well-formed URL",
)


@pytest.mark.parametrize(
    ("url", "rule", "reason"),
    [
        ("link-to-paper", "placeholder-link", PLACEHOLDER),
        ("Link-To-Code", "placeholder-link", PLACEHOLDER),
        ("#", "placeholder-link", PLACEHOLDER),
        ("TODO", "placeholder-link", PLACEHOLDER),
        ("https://link-to-paper", "placeholder-link", PLACEHOLDER),
        ("", "placeholder-link", PLACEHOLDER),
        ("ftp://example.org/p.pdf", "bad-link", NOT_HTTP),
        ("arxiv.org/abs/2402.17177", "bad-link", NOT_HTTP),
        ("https://exa mple.org/", "bad-link", MALFORMED),
        ("https:///path", "bad-link", MALFORMED),
        ("https://example/x", "bad-link", MALFORMED),
        ("http://example.org:99999/", "bad-link", MALFORMED),
        ("https://[::1/", "bad-link", MALFORMED),
    ],
)
def test_bad_urls_are_errors(url, rule, reason):
    [finding] = problems(entry(url=url))
    assert (finding.rule, finding.severity, finding.message) == (
        rule,
        "error",
        f"url {url} {reason}",
    )


@pytest.mark.parametrize(
    "url",
    [
        "https://arxiv.org/abs/2402.17177",
        "http://example.org",
        "https://proceedings.neurips.cc/paper_files/paper/2023/file/x-Paper.pdf",
        "http://127.0.0.1:8080/x",
        "https://dl.acm.org/doi/abs/10.1145/3581783.3612667",
    ],
)
def test_good_urls_pass(url):
    assert findings(entry(url=url)) == []


@pytest.mark.parametrize(
    "code",
    [
        "https://github.com/haotian-liu/LLaVA",
        "https://www.github.com/a/b",
        "https://gitlab.com/a/b",
        "https://gitlab.inria.fr/a/b",
        "https://huggingface.co/spaces/a/b",
        "https://git.sr.ht/~a/b",
        "https://codeberg.org/a/b",
        "https://bitbucket.org/a/b",
    ],
)
def test_code_on_a_repository_host_passes(code):
    assert findings(entry(code=code)) == []


def test_code_elsewhere_is_a_warning_and_a_placeholder_code_an_error():
    [finding] = problems(entry(code="https://example.github.io/project"))
    assert (finding.rule, finding.severity) == ("code-not-repo", "warning")
    assert finding.message == (
        "code https://example.github.io/project is not on a repository host (GitHub, GitLab, ...)"
    )
    assert findings(entry(code="link-to-code")) == [("placeholder-link", "error", "good2023")]


# --- venues ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "label",
    ["CVPR'23", "IEEE RA-L'23", "ACM Multimedia'23", "ACM MM'23", "TVCG'23", "NeurIPS'23",
     "ACM Computing Surveys'23", "bioRxiv 2023.11", "medRxiv 2023.02", "MICCAI'23", "PRIME'23"],
)  # fmt: skip
def test_known_venue_labels_pass(label):
    assert findings(entry(listvenue=label)) == []


@pytest.mark.parametrize(
    ("label", "message", "fix"),
    [
        ("NeurlPS'23", "unknown venue NeurlPS in NeurlPS'23; did you mean NeurIPS?", "NeurIPS'23"),
        ("neurips'23", "unknown venue neurips in neurips'23; did you mean NeurIPS?", "NeurIPS'23"),
        ("EMNPL'23", "unknown venue EMNPL in EMNPL'23; did you mean EMNLP?", "EMNLP'23"),
        ("Biorxiv 2023.11", "unknown venue Biorxiv in Biorxiv 2023.11; did you mean bioRxiv?",
         "bioRxiv 2023.11"),
        ("ICRL'23", "unknown venue ICRL in ICRL'23; did you mean ICRA or ICPR or ICML?", None),
        ("Things Workshop'23", "unknown venue Things Workshop in Things Workshop'23", None),
        ("{NeurlPS}'23", "unknown venue NeurlPS in {NeurlPS}'23; did you mean NeurIPS?", None),
    ],
)  # fmt: skip
def test_unknown_venues_are_warnings_fixed_only_when_one_suggestion_is_clear(label, message, fix):
    [finding] = only("unknown-venue", entry(listvenue=label))
    assert (finding.severity, finding.message) == ("warning", message)
    assert dict(finding.fix) == ({"listvenue": fix} if fix else {})


def test_venue_labels_split_into_name_and_date():
    assert catalog.parse_label("IEEE RA-L'23") == catalog.Label("IEEE RA-L", "'23", yy=23)
    assert catalog.parse_label("arXiv 2023.09") == catalog.Label(
        "arXiv", " 2023.09", year=2023, month=9
    )
    assert catalog.parse_label("CVPR") == catalog.Label("CVPR")


def test_a_venue_year_that_contradicts_the_year_is_a_warning_without_fix():
    [finding] = problems(entry(listvenue="CoRL'22", year="2023"))
    assert (finding.rule, finding.severity) == ("venue-year", "warning")
    assert finding.message == "venue CoRL'22 says '22 but year is 2023"
    assert dict(finding.fix) == {}


@pytest.mark.parametrize(
    ("label", "eprint"),
    [("arXiv 2023.10", "2309.05922"), ("arXiv'23", "2309.05922"), ("arxiv 2023.09", "2309.05922"),
     ("arXiv", "2309.05922v2"), ("arXiv 2007.01", "cs/0612001")],
)  # fmt: skip
def test_an_arxiv_label_that_contradicts_the_id_is_an_error_fixed_from_the_id(label, eprint):
    [finding] = problems(entry(listvenue=label, eprint=eprint))
    assert (finding.rule, finding.severity) == ("arxiv-label", "error")
    expected = "arXiv 2006.12" if eprint.startswith("cs/") else "arXiv 2023.09"
    assert dict(finding.fix) == {"listvenue": expected}
    bare = eprint.removesuffix("v2")
    assert finding.message == f"venue {label} does not match arXiv ID {bare} ({expected})"


def test_an_arxiv_label_from_the_url_and_a_matching_label_pass():
    assert findings(entry(listvenue="arXiv 2023.09", url="https://arxiv.org/abs/2309.05922")) == []
    # A preprint of 2013.12 published in 2014: the label is the preprint's date, not `year`.
    assert findings(entry(listvenue="arXiv 2013.12", year="2014", eprint="1312.6114")) == []


# --- categories -----------------------------------------------------------------------------


def test_category_rules():
    entries = [
        entry("none2023", line=3, keywords=None),
        entry("typo2023", line=9, title="Typo", keywords="modeling, robotcs"),
        entry("self2024", line=20, title="Self", keywords=None),  # the list's own paper
    ]
    found = check.find_problems(entries, TAXONOMY, {"data": 14})
    assert [(f.rule, f.severity, f.key, f.line, f.message) for f in found] == [
        ("no-category", "error", "none2023", 3, "no category (keywords is empty)"),
        ("unknown-category", "error", "typo2023", 13,
         "category robotcs is not in the taxonomy; did you mean robotics?"),
        ("empty-category", "warning", "data", 14, "category data (Data) has no entry"),
        ("empty-category", "warning", "robotics", 0, "category robotics (Robotics) has no entry"),
    ]  # fmt: skip


def test_taxonomy_lines_point_at_each_category():
    text = (
        "% head\n@comment{soralit-taxonomy:\ntitle: T\n## S\n"
        "- modeling: Modeling\n- data: Data\n}\n"
    )
    start = text.index("@comment")
    assert rules.taxonomy_lines(text, (start, len(text))) == {"modeling": 5, "data": 6}
    assert rules.taxonomy_lines(text, None) == {}


# --- duplicates -----------------------------------------------------------------------------


def test_duplicate_keys_are_errors_even_in_another_case():
    found = only("duplicate-key", entry("a2023", 1), entry("A2023", 9, title="Other"))
    assert [(f.key, f.line, f.severity, f.message) for f in found] == [
        ("A2023", 9, "error", "duplicate key; a2023 is already at line 1")
    ]


@pytest.mark.parametrize(
    ("first", "second", "message"),
    [
        ({"eprint": "2309.05922"}, {"eprint": "2309.05922v3", "title": "Other"},
         "same arXiv ID 2309.05922 as first2023 (line 1)"),
        ({"eprint": "2309.05922"}, {"url": "https://arxiv.org/abs/2309.05922v1", "title": "Other"},
         "same arXiv ID 2309.05922 as first2023 (line 1)"),
        ({"doi": "10.1145/3560815"}, {"doi": "10.1145/3560815".upper(), "title": "Other"},
         "same DOI 10.1145/3560815 as first2023 (line 1)"),
        ({"eprint": "2309.05922"}, {"doi": "10.48550/arXiv.2309.05922", "title": "Other"},
         "same arXiv ID 2309.05922 as first2023 (line 1)"),
        ({"title": "{Sora}: A Review!"}, {"title": "sora -- a review"},
         "same title as first2023 (line 1)"),
    ],
)  # fmt: skip
def test_the_same_work_twice_is_an_error_on_the_later_entry(first, second, message):
    found = only(
        "duplicate-work", entry("first2023", 1, **first), entry("second2023", 12, **second)
    )
    assert [(f.key, f.line, f.severity, f.message) for f in found] == [
        ("second2023", 12, "error", message)
    ]


def test_different_works_are_not_duplicates():
    a = entry("a2023", 1, eprint="2309.05922", doi="10.1/a")
    b = entry("b2023", 9, title="Another", eprint="2309.05923", doi="10.1/b")
    assert findings(a, b) == []


# --- suppression ----------------------------------------------------------------------------


def test_nocheck_suppresses_visibly_and_reports_what_it_does_not_need():
    quiet = entry(
        "quiet", 1, year=None, author=None, nocheck="missing-year, no-such-rule, mojibake"
    )
    found = check.suppress([quiet], check.find_problems([quiet], TAXONOMY))
    assert [(f.rule, f.suppressed, f.message) for f in found if f.rule != "empty-category"] == [
        ("missing-author", False, "no author"),
        ("missing-year", True, "no year"),
        ("bad-nocheck", False, "nocheck lists no-such-rule, which is not a rule id"),
        ("bad-nocheck", False,
         "nocheck lists mojibake but the entry has no such problem; remove it"),
    ]  # fmt: skip
    assert found[-1].line == 4  # the nocheck field's line


def test_nocheck_for_dead_link_counts_as_used_offline():
    quiet = entry(url="https://example.org/", nocheck="dead-link")
    assert findings(quiet) == []
    found = check.suppress([quiet], [], online=True)
    assert [f.rule for f in found] == ["bad-nocheck"]


# --- lines, fixes, dead links ---------------------------------------------------------------


def test_field_findings_point_at_the_field_line():
    e = entry(line=40, listvenue="NeurlPS'23")
    assert field_line(e, "listvenue") == 45
    assert field_line(e, "absent") == 40
    assert only("unknown-venue", e)[0].line == 45


def test_fixes_edit_only_the_fixed_fields_and_skip_suppressed_and_duplicate_keys():
    a = entry("a", 1, title="n‚ÄôPack", listvenue="NeurlPS'23")
    b = entry("b", 10, title="Other n‚ÄôPack", nocheck="mojibake")
    dup = [entry("d", 20, title="Dup", listvenue="NeurlPS'23"), entry("d", 30, title="Dup two")]
    entries = [a, b, *dup]
    changes = check.plan_fixes(
        entries, check.suppress(entries, check.find_problems(entries, TAXONOMY))
    )
    assert changes == [
        check.Change("a", "title", "n‚ÄôPack", "n’Pack"),
        check.Change("a", "listvenue", "NeurlPS'23", "NeurIPS'23"),
    ]
    new_raw = a.raw
    for change in changes:
        new_raw = bibtex.set_field(new_raw, change.field, change.new)
    assert new_raw == a.raw.replace("n‚ÄôPack", "n’Pack").replace("NeurlPS", "NeurIPS")


def test_online_findings_from_verdicts():
    from soralit.linktargets import BLOCKED, BROKEN, OK, Target, Verdict

    a = entry("a", 1, url="https://example.org/a", code="https://github.com/x/y")
    b = entry("b", 10, title="B", url="link-to-paper", code="https://github.com/x/y")
    verdicts = {
        Target("url", "https://example.org/a"): Verdict(OK),
        Target("github", "x/y"): Verdict(BROKEN, "HTTP 404"),
    }
    found = list(check.online_findings([a, b], verdicts))
    assert [(f.rule, f.severity, f.key, f.line, f.message) for f in found] == [
        ("dead-link", "error", "a", 7, "code https://github.com/x/y is gone: HTTP 404"),
        ("dead-link", "error", "b", 16, "code https://github.com/x/y is gone: HTTP 404"),
    ]
    verdicts[Target("github", "x/y")] = Verdict(BLOCKED, "HTTP 403 (refused)")
    (first, _) = check.online_findings([a, b], verdicts)
    assert (first.rule, first.severity, first.message) == (
        "blocked-link",
        "note",
        "code https://github.com/x/y could not be verified: HTTP 403 (refused)",
    )
