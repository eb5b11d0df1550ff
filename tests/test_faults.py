"""Fault injection: kills mid-write, full disks, read-only folders, libraries changed
underneath, hostile XML.

After every fault library.bib is byte-identical to its old or its new content and still
parses; a failed command prints one `Error: ...` line and exits 1. The long variants are
marked `stress` and run only with SORALIT_STRESS=1 (`make stress`); docs/reliability.md
has the figures.
"""

from __future__ import annotations

import collections
import errno
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from needs import read_only
from replay import ARXIV_PATH, fixture_bytes, recorded, requests_seen
from soralit import fileio, splicing, storage
from soralit.cli import cli

STRESS = bool(os.environ.get("SORALIT_STRESS"))
SHIPPED = Path(__file__).resolve().parent.parent / "library.bib"
HEAT_BATH = "arxiv/id_list_1605.08386.xml"
# What `soralit add 1605.08386` appends (the recorded arXiv answer, no category).
STANLEY = """@misc{stanley2016heat,
  title = {Heat-bath random walks with Markov bases},
  author = {Caprice Stanley and Tobias Windisch},
  year = {2016},
  eprint = {1605.08386},
  archivePrefix = {arXiv},
  primaryClass = {math.CO},
  url = {https://arxiv.org/abs/1605.08386},
  added = {2024-06-10},
}
"""
CHANGED = (
    "changed by another program while soralit was editing it; nothing written, "
    "run the command again"
)
SORALIT = [sys.executable, "-m", "soralit"]
pytestmark = pytest.mark.faults  # CI requires them (SORALIT_REQUIRE=faults)


def stress(test):  # type: ignore[no-untyped-def]
    """A long variant: run by `make stress` (SORALIT_STRESS=1), skipped otherwise."""
    skip = pytest.mark.skipif(not STRESS, reason="long run: make stress (SORALIT_STRESS=1)")
    return pytest.mark.stress(skip(test))


# Runs in a subprocess: fileio.write_atomic(PATH, text of SOURCE). With a step name it
# prints the name when the write reaches that step and waits there to be killed; with
# `timed` it prints `go` just before the write and the write's duration after it.
DRIVER = r"""
import os, sys, tempfile, time
from soralit import fileio

path, source, point = sys.argv[1], sys.argv[2], sys.argv[3]
text = open(source, encoding="utf-8", newline="").read()

def reached(name):
    if name == point:
        print(name, flush=True)
        time.sleep(600)

def around(func, before, after):
    def wrapper(*args, **kwargs):
        reached(before)
        result = func(*args, **kwargs)
        reached(after)
        return result
    return wrapper

class HalfThenPause:
    def __init__(self, handle):
        self.handle = handle
    def __enter__(self):
        return self
    def __exit__(self, *exc):
        return self.handle.__exit__(*exc)
    def __getattr__(self, name):
        return getattr(self.handle, name)
    def write(self, data):
        half = len(data) // 2
        self.handle.write(data[:half])
        self.handle.flush()
        reached("half-written")
        return self.handle.write(data[half:])

if point != "timed":
    fdopen = os.fdopen
    tempfile.mkstemp = around(tempfile.mkstemp, "", "created")
    os.fdopen = lambda *args, **kwargs: HalfThenPause(fdopen(*args, **kwargs))
    os.fsync = around(os.fsync, "written", "synced")
    os.replace = around(os.replace, "chmodded", "renamed")
else:
    print("go", flush=True)
start = time.perf_counter()
fileio.write_atomic(path, text)
print(time.perf_counter() - start, flush=True)
"""
SOURCE_RUN = [sys.executable, "-c", DRIVER]
# The steps of write_atomic, in order, and what a kill there leaves: content, temp files.
STEPS = {
    "created": ("old", 1),
    "half-written": ("old", 1),
    "written": ("old", 1),
    "synced": ("old", 1),
    "chmodded": ("old", 1),
    "renamed": ("new", 0),
}


def replicate(copies: int) -> str:
    """The shipped library with its entries repeated COPIES more times under unique keys
    (`key-2`...): real entries only, nothing invented."""
    library = storage.load(SHIPPED)
    blocks = [
        entry.raw.replace(f"{{{entry.key},", f"{{{entry.key}-{n},", 1)
        for n in range(2, copies + 2)
        for entry in library.entries
    ]
    return library.text.rstrip("\n") + "\n\n" + "\n\n".join(blocks) + "\n"


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, bytes]:
    """(old, new) content of a 5k-entry library (10k under stress); new = old + one entry."""
    old = replicate((10_000 if STRESS else 5_000) // 73)
    return old.encode(), splicing.append_entry(old, STANLEY).encode()


def temps(folder: Path) -> list[Path]:
    return sorted(folder.glob(".library.bib.*.tmp"))


def run_driver(path: Path, new: bytes, point: str, delay: float = 0.0) -> tuple[str, int]:
    """Start a write of NEW over PATH, kill it at POINT (or DELAY s after `go`)."""
    source = path.parent / "new-content"
    source.write_bytes(new)
    args = [*SOURCE_RUN, str(path), str(source), point]
    with subprocess.Popen(args, stdout=subprocess.PIPE, text=True) as proc:
        first = proc.stdout.readline().strip()
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)  # a no-op once it has finished by itself
        proc.wait(timeout=60)
    source.unlink()
    return first, proc.returncode


def outcome(path: Path, old: bytes, new: bytes) -> str:
    """`old` or `new`; fails unless the file is exactly one of them and parses."""
    data = path.read_bytes()
    assert data in (old, new), f"{path} is neither the old nor the new content"
    last = storage.load(path).entries[-1].key
    assert (last == "stanley2016heat") == (data == new)
    return "old" if data == old else "new"


# --- kill -9 in the middle of a write -----------------------------------------------


@pytest.mark.parametrize("point", list(STEPS))
def test_kill_at_each_step_of_the_write(tmp_path, big, point):
    old, new = big
    path = tmp_path / "library.bib"
    path.write_bytes(old)
    reached, code = run_driver(path, new, point)
    assert (reached, code) == (point, -signal.SIGKILL)
    assert (outcome(path, old, new), len(temps(tmp_path))) == STEPS[point]


def kill_at_timed_points(tmp_path: Path, big: tuple[bytes, bytes], count: int) -> None:
    old, new = big
    path = tmp_path / "library.bib"
    path.write_bytes(old)
    source = tmp_path / "calibrate"
    source.write_bytes(new)
    done = subprocess.run(
        [*SOURCE_RUN, str(path), str(source), "timed"], check=True, capture_output=True
    )
    seconds = float(done.stdout.split()[-1])
    assert path.read_bytes() == new
    seen = collections.Counter()
    for n in range(count):  # from 0 to 1.5x the write's duration
        path.write_bytes(old)
        _, code = run_driver(path, new, "timed", delay=1.5 * seconds * n / max(count - 1, 1))
        seen[outcome(path, old, new), bool(temps(tmp_path)), code == -signal.SIGKILL] += 1
        for leftover in temps(tmp_path):
            leftover.unlink()
    print(f"\nkill-timed: {count} kills over {1.5 * seconds * 1000:.0f} ms: {dict(seen)}")


def test_kill_at_timed_points(tmp_path, big):
    kill_at_timed_points(tmp_path, big, 5)


@stress
def test_kill_at_150_timed_points(tmp_path, big):
    kill_at_timed_points(tmp_path, big, 150)


def kill_soralit_add(path: Path, big: tuple[bytes, bytes], count: int) -> None:
    """`soralit add` of one paper into the big library, killed at COUNT points of its run."""
    old, new = big
    path.write_bytes(old)
    command = [*SORALIT, "--library", str(path), "add", "1605.08386"]
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    seconds = time.perf_counter() - start
    assert path.read_bytes() == new  # the same bytes as in memory: the run is exact
    seen, leftovers = collections.Counter(), set()
    for n in range(count):  # from 20% of the run (start-up is not interesting) to 110%
        path.write_bytes(old)
        with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as proc:
            time.sleep(seconds * (0.2 + 0.9 * n / max(count - 1, 1)))
            proc.send_signal(signal.SIGKILL)
            proc.communicate(timeout=60)
        left = set(temps(path.parent)) - leftovers
        leftovers |= left
        seen[outcome(path, old, new), bool(left)] += 1
    path.write_bytes(old)  # the leftovers of all those kills trip no later run
    done = subprocess.run(command, check=False, capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout) == (0, "stanley2016heat\n"), done.stderr
    assert path.read_bytes() == new
    print(f"\nkill-add: {count} kills over {seconds * 1000:.0f} ms: {dict(seen)}")


def test_kill_soralit_add(tmp_path, big, services):
    services.expect_request(ARXIV_PATH).respond_with_response(recorded(HEAT_BATH))
    kill_soralit_add(tmp_path / "library.bib", big, 3)


@stress
def test_kill_soralit_add_at_40_points(tmp_path, big, services):
    services.expect_request(ARXIV_PATH).respond_with_response(recorded(HEAT_BATH))
    kill_soralit_add(tmp_path / "library.bib", big, 40)


def test_leftover_temp_file_trips_nothing_and_is_swept_later(runner, small_library, services):
    services.expect_request(ARXIV_PATH).respond_with_response(recorded(HEAT_BATH))
    folder, old = small_library.parent, small_library.read_bytes()
    run_driver(small_library, old + b"\n% never written\n", "half-written")
    (leftover,) = temps(folder)
    assert small_library.read_bytes() == old
    bystanders = [folder / ".library.bib.backup", folder / "notes.tmp"]
    for other in bystanders:
        other.write_text("not soralit's")
    listed = invoke(runner, small_library, "list", "--format", "keys")
    assert listed.stdout.split()[-1] == "gamma2024robot"
    assert invoke(runner, small_library, "add", "1605.08386").stdout == "stanley2016heat\n"
    assert leftover.exists()  # young: it could be a live write's
    an_hour_ago = time.time() - fileio.STALE_TEMP_AGE - 60
    for path in [leftover, *bystanders]:
        os.utime(path, (an_hour_ago, an_hour_ago))
    invoke(runner, small_library, "tag", "stanley2016heat", "--add", "modeling")
    assert temps(folder) == [] and all(p.exists() for p in bystanders)
    assert storage.load(small_library).find("stanley2016heat").categories == ("modeling",)


def invoke(runner: CliRunner, library: Path, *args: str, code: int = 0):  # type: ignore[no-untyped-def]
    result = runner.invoke(cli, ["--library", str(library), *args])
    assert result.exit_code == code, result.output
    return result


# --- disk full, read-only folder -----------------------------------------------------


def raise_enospc(*_args, **_kwargs):  # type: ignore[no-untyped-def]
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


class FillsUp:
    """A file whose disk fills up halfway through the write."""

    def __init__(self, handle) -> None:  # type: ignore[no-untyped-def]
        self.handle = handle

    def __enter__(self):  # type: ignore[no-untyped-def]
        return self

    def __exit__(self, *exc):  # type: ignore[no-untyped-def]
        return self.handle.__exit__(*exc)

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        return getattr(self.handle, name)

    def write(self, data: str) -> int:
        self.handle.write(data[: len(data) // 2])
        self.handle.flush()
        raise_enospc()
        return 0


def fill_at_fsync(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "fsync", raise_enospc)


def fill_mid_write(monkeypatch: pytest.MonkeyPatch) -> None:
    fdopen = os.fdopen
    monkeypatch.setattr(os, "fdopen", lambda *a, **k: FillsUp(fdopen(*a, **k)))


def deny_temp_file(monkeypatch: pytest.MonkeyPatch) -> None:
    def mkstemp(*_args, **kwargs):  # type: ignore[no-untyped-def]
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), kwargs.get("dir"))

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)


FAULTS = {
    fill_at_fsync: "No space left on device",
    fill_mid_write: "No space left on device",
    deny_temp_file: "Permission denied",
}
COMMANDS = {
    "add": ["add", "1605.08386", "-c", "modeling"],
    "tag": ["tag", "beta2022data", "--add", "modeling"],
}


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("fault", list(FAULTS), ids=lambda f: f.__name__)
def test_failed_write_is_one_line_and_changes_nothing(
    runner, small_library, services, monkeypatch, fault, command
):
    services.expect_request(ARXIV_PATH).respond_with_response(recorded(HEAT_BATH))
    before = small_library.read_bytes()
    fault(monkeypatch)
    result = invoke(runner, small_library, *COMMANDS[command], code=1)
    assert result.stderr == f"Error: {small_library}: cannot write: {FAULTS[fault]}\n"
    assert result.stdout == ""
    assert small_library.read_bytes() == before
    assert temps(small_library.parent) == []


@pytest.mark.parametrize("lock_exists", [False, True], ids=["first-write", "old-lock-file"])
@pytest.mark.parametrize("command", list(COMMANDS))
def test_read_only_folder_is_one_line_and_changes_nothing(
    runner, small_library, services, command, lock_exists
):
    services.expect_request(ARXIV_PATH).respond_with_response(recorded(HEAT_BATH))
    before = small_library.read_bytes()
    if lock_exists:  # as soralit 0.1 left it: it cannot be removed here, and is no matter
        Path(f"{small_library}.lock").touch()
    with read_only(small_library.parent) as reason:
        result = invoke(runner, small_library, *COMMANDS[command], code=1)
        listed = invoke(runner, small_library, "list", "--format", "keys")
    assert result.stderr == f"Error: {small_library}: cannot write: {reason}\n"
    assert result.stdout == ""
    assert small_library.read_bytes() == before
    assert listed.stdout.split()[-1] == "gamma2024robot"  # reading still works


# --- a library changed underneath -------------------------------------------------------

OTHER_ENTRY = "@misc{delta2024note,\n  title = {Delta Notes},\n  year = {2024},\n}\n"


def edit_by_another_program(path: Path) -> bytes:
    """What an editor does: change one entry's keywords and append an entry."""
    text = path.read_text(encoding="utf-8")
    text = text.replace("Keywords = {data-pre-processing, robotics}", "Keywords = {robotics}")
    path.write_text(text + "\n" + OTHER_ENTRY, encoding="utf-8")
    return path.read_bytes()


def answering_after(action, then):  # type: ignore[no-untyped-def]
    """A handler that runs ACTION (another writer) before it answers."""

    def handler(_request):  # type: ignore[no-untyped-def]
        action()
        return then

    return handler


def test_add_keeps_an_edit_made_while_it_was_fetching(runner, small_library, services):
    edited = []
    services.expect_request(ARXIV_PATH).respond_with_handler(
        answering_after(
            lambda: edited.append(edit_by_another_program(small_library)), recorded(HEAT_BATH)
        )
    )
    assert invoke(runner, small_library, "add", "1605.08386").stdout == "stanley2016heat\n"
    (other,) = edited
    assert small_library.read_bytes() == other.rstrip(b"\n") + b"\n\n" + STANLEY.encode()


def test_add_and_a_concurrent_soralit_tag_both_land(runner, small_library, services):
    tag = [*SORALIT, "--library", str(small_library), "tag", "beta2022data", "--add", "modeling"]
    services.expect_request(ARXIV_PATH).respond_with_handler(
        answering_after(lambda: subprocess.run(tag, check=True), recorded(HEAT_BATH))
    )
    before = small_library.read_text(encoding="utf-8")
    invoke(runner, small_library, "add", "1605.08386")
    tagged = before.replace(
        "Keywords = {data-pre-processing, robotics}",
        "Keywords = {data-pre-processing, robotics, modeling}",
    )
    assert small_library.read_text(encoding="utf-8") == tagged.rstrip("\n") + "\n\n" + STANLEY


@pytest.mark.parametrize(
    ("command", "step"),
    [("add", "soralit.bibtex.format_entry"), ("tag", "soralit.bibtex.set_field")],
)
def test_edit_that_ignores_the_lock_is_never_overwritten(
    runner, small_library, services, monkeypatch, command, step
):
    """A program that does not take the lock writes between soralit's read and write."""
    services.expect_request(ARXIV_PATH).respond_with_response(recorded(HEAT_BATH))
    module, _, name = step.rpartition(".")
    real, edited = getattr(sys.modules[module], name), []

    def edit_then(*args, **kwargs):  # type: ignore[no-untyped-def]
        edited.append(edit_by_another_program(small_library))
        return real(*args, **kwargs)

    monkeypatch.setattr(step, edit_then)
    result = invoke(runner, small_library, *COMMANDS[command], code=1)
    assert result.stderr == f"Error: {small_library}: {CHANGED}\n"
    assert small_library.read_bytes() == edited[0]


def test_tag_waits_for_the_lock_and_keeps_the_holders_edit(small_library):
    tag = [*SORALIT, "--library", str(small_library), "tag", "gamma2024robot", "--add", "modeling"]
    with fileio.locked(small_library):
        waiting = subprocess.Popen(tag, stderr=subprocess.PIPE, text=True)
        time.sleep(0.5)  # it starts and blocks on the lock (or has not read yet: same end)
        edited = edit_by_another_program(small_library).decode()
        assert waiting.poll() is None
    assert (
        waiting.communicate(timeout=60)[1] == "gamma2024robot: categories now robotics, modeling.\n"
    )
    gamma = "  keywords = {robotics},\n  eprint = {2403.01234v2}"
    assert gamma in edited
    assert small_library.read_text(encoding="utf-8") == edited.replace(
        gamma, gamma.replace("{robotics}", "{robotics, modeling}")
    )


# --- hostile XML from the metadata service ---------------------------------------------

LAUGHS = "".join(
    f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(2, 10)
)  # 10^8 "lol"s (300 MB) if anything expanded &lol9;
HOSTILE = {
    "billion-laughs": ('<!DOCTYPE feed [<!ENTITY lol1 "lol">' + LAUGHS + "]>", "&lol9;"),
    "xxe-file": ('<!DOCTYPE feed [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', "&xxe;"),
    "xxe-http": ('<!DOCTYPE feed [<!ENTITY xxe SYSTEM "{server}/evil">]>', "&xxe;"),
    "parameter-entity": ('<!DOCTYPE feed [<!ENTITY % dtd SYSTEM "{server}/evil.dtd"> %dtd;]>', "x"),
    "external-dtd": ('<!DOCTYPE feed SYSTEM "{server}/evil.dtd">', "&xxe;"),
}


def hostile_feed(doctype: str, title: str) -> bytes:
    """The recorded answer for 1605.08386 with DOCTYPE added and the title replaced."""
    body = fixture_bytes(HEAT_BATH).decode()
    declaration, _, rest = body.partition("\n")
    rest = rest.replace(
        "<title>Heat-bath random walks with Markov bases</title>", f"<title>{title}</title>"
    )
    return f"{declaration}\n{doctype}\n{rest}".encode()


@pytest.mark.parametrize("attack", list(HOSTILE))
def test_hostile_feed_is_refused_without_expansion_or_request(
    runner, small_library, services, attack
):
    doctype, title = HOSTILE[attack]
    doctype = doctype.replace("{server}", services.url_for("").rstrip("/"))
    services.expect_request(ARXIV_PATH).respond_with_data(
        hostile_feed(doctype, title), content_type="application/atom+xml"
    )
    for path in ("/evil", "/evil.dtd"):  # answered if ever asked: then the test sees it
        services.expect_request(path).respond_with_data('<!ENTITY xxe "pwned">')
    before = small_library.read_bytes()
    # No timing bound: the refusal below happens before any expansion could start.
    result = invoke(runner, small_library, "add", "1605.08386", code=1)
    error, summary = result.stderr.splitlines()
    assert error.startswith("Error: 1605.08386: arXiv: refused an answer with a DTD or entities (")
    assert summary == "Added 0, already present 0, failed 1."
    assert [r.path for r in requests_seen(services)] == [ARXIV_PATH]
    assert small_library.read_bytes() == before
    assert not re.search(r"root:|pwned|lollol", result.output)


# --- a library that is a symbolic link ---------------------------------------------------


def test_symlinked_library_is_written_through_the_link(runner, small_library, tmp_path):
    shared = tmp_path / "shared" / "refs.bib"
    shared.parent.mkdir()
    small_library.rename(shared)
    small_library.symlink_to(shared)
    invoke(runner, small_library, "tag", "beta2022data", "--add", "modeling")
    assert small_library.is_symlink() and small_library.resolve() == shared
    assert "Keywords = {data-pre-processing, robotics, modeling}}" in shared.read_text()
    assert temps(tmp_path) == temps(shared.parent) == []
