"""The generated page in a real browser: headless Chromium driven by Selenium.

Needs Debian's `chromium` and `chromium-driver` (CI installs them), or the paths in
SORALIT_CHROMIUM and SORALIT_CHROMEDRIVER; without them the whole module is skipped with
one line in pytest's summary, or fails when SORALIT_REQUIRE names `browser` (CI). Selenium
Manager is never asked to download anything: both binaries are given by path.
Screenshots go to tests/artifacts/ for reviewers; SORALIT_UPDATE_IMAGES=1 also refreshes
docs/images/page.png for the README. How fast the page filters is a benchmark
(`bench/browser.py`, `make bench`), not a test: here only what it shows is checked.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from needs import unavailable
from soralit import query, storage, text
from soralit.cli import cli

# Debian's paths; elsewhere point these two variables at a Chromium and its driver.
CHROMIUM = os.environ.get("SORALIT_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("SORALIT_CHROMEDRIVER", "/usr/bin/chromedriver")
if not (shutil.which(CHROMIUM) and shutil.which(CHROMEDRIVER)):
    unavailable("browser", "browser tests skipped: chromium/chromedriver not found", module=True)
try:
    from selenium import webdriver
    from selenium.common.exceptions import NoAlertPresentException, TimeoutException
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait
except ImportError:
    unavailable("browser", "browser tests skipped: no selenium", module=True)

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "library.bib"
ARTIFACTS = Path(__file__).parent / "artifacts"
HOSTILE_TITLE = "<img src=x onerror=alert(1)>](javascript:alert(1))"
HOSTILE_ENTRY = """
@misc{hostile2024,
  title = {<img src=x onerror=alert(1)>](javascript:alert(1))},
  author = {<b>Mallory</b> and Eve},
  year = {2024},
  keywords = {robotics},
  listvenue = {</script><script>alert(2)</script>},
  url = {javascript:alert(1)},
}
"""
BIG_COPIES = 140  # 71 papers x (1 + 140) = 10,011 entries


def export_page(library: Path, target: Path, cache: Path) -> Path:
    """`soralit export html` as a user runs it (with a test-local parse cache)."""
    result = CliRunner().invoke(
        cli,
        ["--library", str(library), "export", "html", "-o", str(target)],
        env={"SORALIT_CACHE_DIR": str(cache)},
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    return target


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("browser")


@pytest.fixture(scope="module")
def shipped() -> storage.Library:
    return storage.load(SHIPPED)


@pytest.fixture(scope="module")
def page_url(workdir: Path) -> str:
    return export_page(SHIPPED, workdir / "site" / "index.html", workdir / "cache").as_uri()


@pytest.fixture(scope="module")
def driver(workdir: Path) -> Iterator[object]:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1100,1400",
        f"--user-data-dir={workdir / 'profile'}",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    browser = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        yield browser
    finally:
        browser.quit()


@pytest.fixture
def browser(driver):
    """The shared browser, checked for console errors after each test."""
    driver.get_log("browser")  # drop what earlier tests left
    yield driver
    severe = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    assert severe == []


def open_page(driver, url: str) -> None:
    driver.get("about:blank")  # a real navigation even when only the hash differs
    driver.get(url)
    assert driver.execute_script("return document.readyState") == "complete"


def count(driver) -> str:
    return driver.find_element(By.ID, "count").text


def expect_count(driver, wanted: str, note: str = "") -> None:
    """The count line reads WANTED. The page updates it in the input event itself; the
    wait only absorbs a loaded machine's lag between WebDriver and the page."""
    try:
        WebDriverWait(driver, 30).until(lambda d: count(d) == wanted)
    except TimeoutException:
        assert count(driver) == wanted, note


def shown_keys(driver, selector: str = "li.paper") -> list[str]:
    """Keys of the list items a reader sees: those that take up room on the page."""
    return driver.execute_script(
        "return Array.from(document.querySelectorAll(arguments[0]))"
        ".filter(li => li.getBoundingClientRect().height > 0).map(li => li.dataset.key);",
        selector,
    )


def wait_for_url(driver, ending: str) -> None:
    """The URL follows a search once typing pauses (300 ms)."""
    WebDriverWait(driver, 30).until(lambda d: d.current_url.endswith(ending))


def listed(library: storage.Library, **criteria: object) -> list:
    entries = query.listed(library.entries, library.taxonomy)
    if criteria.get("categories"):
        criteria["categories"] = frozenset(criteria["categories"])  # type: ignore[arg-type]
    return query.select(entries, query.Criteria(**criteria))  # type: ignore[arg-type]


def searched(library: storage.Library, word: str) -> set[str]:
    """Keys the page should keep for WORD: in the title, authors or venue label."""
    keys = set()
    for entry in listed(library):
        title, authors = text.latex_to_text(entry.get("title")), text.authors(entry.get("author"))
        haystack = " ".join([title, *authors, entry.venue_label()])
        if word.casefold() in haystack.casefold():
            keys.add(entry.key)
    return keys


def test_the_page_shows_all_71_papers(browser, page_url):
    open_page(browser, page_url)
    expect_count(browser, "71 papers")
    assert len(set(shown_keys(browser))) == 71
    assert browser.find_element(By.ID, "filters").is_displayed()  # the script ran
    assert browser.title.startswith("Sora: A Review")


def test_typing_a_search_hides_the_others_and_updates_the_count(browser, page_url, shipped):
    open_page(browser, page_url)
    expected = searched(shipped, "diffusion")
    assert 0 < len(expected) < 71
    browser.find_element(By.ID, "q").send_keys("diffusion")
    expect_count(browser, f"{len(expected)} of 71 papers")
    assert set(shown_keys(browser)) == expected
    wait_for_url(browser, "#q=diffusion")


def test_the_robotics_category_shows_exactly_the_8_robotics_papers(browser, page_url, shipped):
    open_page(browser, page_url)
    browser.find_element(By.CSS_SELECTOR, 'input[name="category"][value="robotics"]').click()
    robotics = [e.key for e in listed(shipped, categories={"robotics"})]
    assert len(robotics) == 8
    expect_count(browser, "8 of 71 papers")
    assert shown_keys(browser) == robotics
    assert browser.current_url.endswith("#category=robotics")
    headings = browser.execute_script(
        "return Array.from(document.querySelectorAll('h3, h4'))"
        ".filter(h => h.offsetParent !== null).map(h => h.textContent);"
    )
    assert headings == ["Application", "Robotics"]


def test_a_filter_in_the_url_restores_the_view(browser, page_url, shipped):
    open_page(browser, page_url + "#category=robotics&venue=arXiv")
    expected = [e.key for e in listed(shipped, categories={"robotics"}, venue="arXiv")]
    assert 0 < len(expected) < 8
    expect_count(browser, f"{len(expected)} of 71 papers")
    assert shown_keys(browser) == expected
    box = browser.find_element(By.CSS_SELECTOR, 'input[name="category"][value="robotics"]')
    assert box.is_selected()
    assert browser.find_element(By.ID, "venue").get_attribute("value") == "arXiv"


def test_a_year_range_and_a_section_in_the_url(browser, page_url, shipped):
    open_page(browser, page_url + "#category=application&year=2022-2023")
    application = {c.slug for c in shipped.taxonomy.sections[1].categories}
    expected = {e.key for e in listed(shipped, categories=application, years=(2022, 2023))}
    expect_count(browser, f"{len(expected)} of 71 papers")
    assert set(shown_keys(browser)) == expected
    assert browser.find_element(By.ID, "year-from").get_attribute("value") == "2022"
    assert browser.find_element(By.ID, "year-to").get_attribute("value") == "2023"


def test_back_restores_the_previous_view_and_forward_returns(browser, page_url):
    open_page(browser, page_url)
    browser.find_element(By.CSS_SELECTOR, 'input[name="category"][value="robotics"]').click()
    expect_count(browser, "8 of 71 papers")
    browser.find_element(By.ID, "q").send_keys("diffusion")
    assert count(browser) != "8 of 71 papers"
    wait_for_url(browser, "#q=diffusion&category=robotics")
    browser.back()
    expect_count(browser, "8 of 71 papers")
    assert browser.find_element(By.ID, "q").get_attribute("value") == ""
    browser.back()
    expect_count(browser, "71 papers")
    box = browser.find_element(By.CSS_SELECTOR, 'input[name="category"][value="robotics"]')
    assert not box.is_selected()
    browser.forward()
    expect_count(browser, "8 of 71 papers")
    assert box.is_selected()


def test_clear_and_keyboard(browser, page_url):
    open_page(browser, page_url + "#q=diffusion")
    assert count(browser) != "71 papers"
    browser.find_element(By.ID, "clear").send_keys(Keys.ENTER)
    expect_count(browser, "71 papers")
    browser.find_element(By.TAG_NAME, "body").send_keys("/")
    active = browser.switch_to.active_element
    assert active.get_attribute("id") == "q"
    active.send_keys("robot")
    assert count(browser).endswith(" of 71 papers")


def test_a_hostile_title_shows_as_text_and_creates_no_element(browser, workdir):
    library = workdir / "hostile.bib"
    library.write_text(SHIPPED.read_text(encoding="utf-8") + HOSTILE_ENTRY, encoding="utf-8")
    url = export_page(library, workdir / "hostile.html", workdir / "cache").as_uri()
    open_page(browser, url)
    expect_count(browser, "72 papers")
    item = browser.find_element(By.CSS_SELECTOR, 'li[data-key="hostile2024"]')
    assert item.find_element(By.CLASS_NAME, "title").text == HOSTILE_TITLE
    assert item.find_element(By.CLASS_NAME, "venue").text == "</script><script>alert(2)</script>"
    assert browser.find_elements(By.TAG_NAME, "img") == []
    assert browser.find_elements(By.TAG_NAME, "b") == []
    assert browser.find_elements(By.CSS_SELECTOR, 'a[href^="javascript"]') == []
    assert len(browser.find_elements(By.TAG_NAME, "script")) == 2
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text  # noqa: B018
    browser.find_element(By.ID, "q").send_keys("onerror")
    expect_count(browser, "1 of 72 papers")


def test_console_errors_are_seen(driver, page_url):
    """The console check of the other tests can fail: an error logged by the page shows up."""
    open_page(driver, page_url)
    driver.get_log("browser")
    driver.execute_script("console.error('probe from the test')")
    assert any("probe from the test" in e["message"] for e in driver.get_log("browser"))


def test_dark_mode_and_phone_layout(browser, page_url):
    open_page(browser, page_url)
    browser.execute_cdp_cmd(
        "Emulation.setEmulatedMedia",
        {"features": [{"name": "prefers-color-scheme", "value": "dark"}]},
    )
    background = browser.execute_script("return getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(15, 20, 25)"
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True},
    )
    try:
        overflow = browser.execute_script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0  # nothing wider than a phone screen
        ARTIFACTS.mkdir(exist_ok=True)
        browser.save_screenshot(str(ARTIFACTS / "page-phone.png"))
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def test_screenshot(browser, page_url):
    open_page(browser, page_url + "#category=robotics")
    browser.execute_script("document.getElementById('filters').scrollIntoView()")
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "page.png"
    assert browser.save_screenshot(str(shot))
    assert shot.read_bytes().startswith(b"\x89PNG")
    if os.environ.get("SORALIT_UPDATE_IMAGES"):
        images = ROOT / "docs" / "images"
        images.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, images / "page.png")


def big_library(path: Path) -> Path:
    """The shipped library plus 140 copies of each listed paper, each with its own key and
    title: 10,011 entries, about what a large list reaches."""
    library = storage.load(SHIPPED)
    copies = []
    for n in range(1, BIG_COPIES + 1):
        for entry in query.listed(library.entries, library.taxonomy):
            raw = re.sub(r"^(@\w+\{)([^,]+),", rf"\g<1>\g<2>-c{n},", entry.raw, count=1)
            raw = re.sub(r"(\n\s*title\s*=\s*\{)", rf"\g<1>Copy {n}: ", raw, count=1)
            copies.append(raw)
    path.write_text(library.text + "\n" + "\n\n".join(copies) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def big_page(workdir: Path) -> Path:
    return export_page(big_library(workdir / "big.bib"), workdir / "big.html", workdir / "cache")


def test_typing_in_a_page_of_10k_papers_filters_at_every_keystroke(browser, big_page, shipped):
    """The typing of bench/browser.py, checked for what it shows: the count after each
    keystroke is 141 times the count of the shipped library's papers (every copy keeps
    its paper's title, authors and venue; `Copy N:` matches none of the words)."""
    open_page(browser, big_page.as_uri())
    total = 71 * (BIG_COPIES + 1)
    expect_count(browser, f"{total} papers")
    box = browser.find_element(By.ID, "q")
    for typed in ("d", "di", "dif", "diff", "diffu", "diffus", "diffusi", "diffusio", "diffusion"):
        box.send_keys(typed[-1])
        expected = (BIG_COPIES + 1) * len(searched(shipped, typed))
        expect_count(browser, f"{expected} of {total} papers", typed)
    wanted = searched(shipped, "diffusion")
    shown = shown_keys(browser)
    assert shown and {re.sub(r"-c\d+$", "", key) for key in shown} <= wanted
    for _ in "diffusion":
        box.send_keys(Keys.BACKSPACE)
    expect_count(browser, f"{total} papers")
    for word in ("robot", "x"):
        box.send_keys(word)
        expected = (BIG_COPIES + 1) * len(searched(shipped, word))
        assert 0 < expected < total
        expect_count(browser, f"{expected} of {total} papers", word)
        box.send_keys(Keys.BACKSPACE * len(word))
        expect_count(browser, f"{total} papers")


def test_a_big_category_shows_its_first_50_and_a_button_for_all(browser, big_page):
    open_page(browser, big_page.as_uri())
    first = browser.find_element(By.CSS_SELECTOR, "section.category")
    slug = first.get_attribute("data-category")
    in_category = len(first.find_elements(By.CSS_SELECTOR, "li.paper"))
    assert in_category > 50
    assert len(shown_keys(browser, f"#cat-{slug} li.paper")) == 50
    button = first.find_element(By.CSS_SELECTOR, "button.more")
    assert button.text == f"Show all {in_category} papers"
    button.click()
    assert len(shown_keys(browser, f"#cat-{slug} li.paper")) == in_category
    assert button.text == "Show the first 50"
    assert button.get_attribute("aria-expanded") == "true"


DEEP = """\
@comment{soralit-taxonomy:
heading: Paper List
## Papers
- vision: Vision
  - generation: Generation
  - understanding: Understanding
- audio: Audio
}

@misc{a, title = {Alpha}, year = {2023}, keywords = {generation}, listvenue = {CVPR'23}}
@misc{b, title = {Beta}, year = {2023}, keywords = {generation}, listvenue = {CVPR Workshop'23}}
@misc{c, title = {Gamma}, year = {2022}, keywords = {understanding}, listvenue = {ICCV'23}}
@misc{d, title = {Delta}, year = {2021}, keywords = {audio}, listvenue = {CVPR'21}}
"""


@pytest.fixture(scope="module")
def deep_page(workdir: Path) -> tuple[str, Path]:
    library = workdir / "deep.bib"
    library.write_text(DEEP, encoding="utf-8")
    return export_page(
        library, workdir / "deep" / "index.html", workdir / "cache"
    ).as_uri(), library


def cli_keys(library: Path, *args: str) -> list[str]:
    result = CliRunner().invoke(cli, ["--library", str(library), "list", "-f", "keys", *args])
    return result.stdout.split()


def test_a_category_with_categories_below_selects_them_as_list_does(browser, deep_page):
    url, library = deep_page
    expected = cli_keys(library, "--category", "vision")
    assert expected == ["a", "b", "c"]
    open_page(browser, url)
    box = browser.find_element(By.CSS_SELECTOR, 'input[name="category"][value="vision"]')
    assert box.find_element(By.XPATH, "..").find_element(By.CLASS_NAME, "n").text == "3"
    box.click()
    expect_count(browser, "3 of 4 papers")
    assert sorted(set(shown_keys(browser))) == expected
    open_page(browser, url + "#category=vision")
    expect_count(browser, "3 of 4 papers")


def test_a_venue_shows_as_many_papers_as_its_option_says(browser, deep_page):
    url, library = deep_page
    open_page(browser, url)
    options = [o.text for o in browser.find_elements(By.CSS_SELECTOR, "#venue option")]
    assert "CVPR (3)" in options and "CVPR Workshop (1)" in options  # as list --venue
    open_page(browser, url + "#venue=CVPR")
    expect_count(browser, "3 of 4 papers")
    assert sorted(set(shown_keys(browser))) == cli_keys(library, "--venue", "CVPR")
    assert cli_keys(library, "--venue", "CVPR") == ["a", "b", "d"]
