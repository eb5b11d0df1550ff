"""`soralit export html`: output file, folders, filters, errors."""

from __future__ import annotations

import re

from soralit.cli import cli


def run(runner, library, *args, code=0):
    result = runner.invoke(cli, ["--library", str(library), *args], catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result


def paper_keys(html: str) -> list[str]:
    return re.findall(r'<li class="paper" data-i="\d+" data-key="([^"]+)"', html)


def test_writes_the_page_creating_its_folder(runner, library, tmp_path):
    target = tmp_path / "site" / "nested" / "index.html"
    result = run(runner, library, "export", "html", "-o", str(target))
    assert result.stdout == ""
    assert result.stderr == f"Wrote {target}.\n"
    html = target.read_text(encoding="utf-8")
    assert html.startswith("<!doctype html>\n")
    assert len(paper_keys(html)) == 71
    assert not list(target.parent.glob(".*.tmp"))  # the atomic write left no temp file


def test_without_output_the_page_goes_to_stdout(runner, library):
    result = run(runner, library, "export", "html")
    assert result.stdout.rstrip().endswith("</html>")
    assert result.stderr == ""


def test_generation_time_filters_make_a_page_of_one_topic(runner, library):
    html = run(runner, library, "export", "html", "--category", "robotics").stdout
    assert len(paper_keys(html)) == 8
    assert 'id="cat-robotics"' in html
    assert 'id="cat-modeling"' not in html  # empty categories are dropped from a filtered page
    assert '<p id="count" class="count" role="status" aria-live="polite">8 papers</p>' in html


def test_title_option_and_year_filter(runner, library):
    html = run(runner, library, "export", "html", "--year", "2024", "--title", "New & <b>").stdout
    assert "<title>New &amp; &lt;b&gt;</title>" in html
    keys = paper_keys(html)
    listed = run(runner, library, "list", "--year", "2024", "--format", "keys").stdout.split()
    assert keys and set(keys) == set(listed) - {"2024SoraReview"}


def test_unknown_category_is_a_usage_error_and_writes_nothing(runner, library, tmp_path):
    target = tmp_path / "out" / "index.html"
    result = run(runner, library, "export", "html", "-c", "robotcs", "-o", str(target), code=2)
    assert result.stderr.startswith("Error: unknown category 'robotcs'. Did you mean 'robotics'?")
    assert not target.parent.exists()


def test_an_unwritable_target_is_one_error_line(runner, library, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = run(runner, library, "export", "html", "-o", str(blocker / "index.html"), code=1)
    assert result.stderr.startswith(f"Error: {blocker / 'index.html'}")
    assert "cannot create its folder" in result.stderr
    assert blocker.read_text() == "x"


def test_help_has_examples(runner):
    result = runner.invoke(cli, ["export", "html", "--help"])
    assert result.exit_code == 0
    assert "soralit export html -o site/index.html" in result.stdout
