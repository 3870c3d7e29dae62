"""Your library on every machine (issue 26, item 3): ``hnterm library export``, ``import`` and
``sync`` through the CLI, between real cache files, and hostile library files refused in one
line with nothing changed."""

from __future__ import annotations

import io
import json
import os
import time
from pathlib import Path

import pytest
from hnterm.cli import main as cli
from hnterm.model.library import CLOCK_SKEW
from hnterm.storage.cache import Cache

from tests.data import BIDEN, IBM, fixture_items
from tests.fakeweb import FakeWeb

NOW = time.time()


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = cli.run(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def library_of(directory: Path) -> dict:
    """What a cache holds of the reader's own, in plain values (read back from the file)."""
    cache = Cache(directory)
    try:
        read = {
            root: (mark.opened_at, mark.comment_count_then, cache.story_read(root).seen)
            for root, mark in cache.read_states([IBM, BIDEN, 4242]).items()
        }
        return {
            "read": read,
            "saved": [root for root, _ in cache.saved_threads()],
            "drafts": {(d.parent, d.account): d.text for d in cache.drafts()},
            "theme": cache.setting("theme"),
        }
    finally:
        cache.close()


def reader_of_one_machine(directory: Path) -> None:
    """A cache a reader used: two stories read, one saved, a theme chosen, a draft."""
    cache = Cache(directory)
    try:
        cache.mark_story_read(IBM, 120, [43727728, 43727800], opened_at=NOW - 3600)
        cache.mark_story_read(BIDEN, 2170, [25017129], opened_at=NOW - 7200)
        cache.put_items(fixture_items("unlurker-43727727-ibm-rto").values(), IBM)
        cache.save_thread(IBM, saved_at=NOW - 3000)
        cache.set_setting("theme", "nord")
        cache.put_draft(43727728, IBM, "A reply I have not sent", account="alice")
    finally:
        cache.close()


def test_a_library_exported_on_one_cache_and_imported_into_a_fresh_one_is_the_same(
    tmp_path, capsys
):
    first, fresh, file = tmp_path / "one", tmp_path / "two", tmp_path / "library.json"
    reader_of_one_machine(first)
    status, out, _ = run(capsys, "library", "export", str(file), "--cache-dir", str(first))
    assert status == 0
    assert out == (f"Exported to {file}: 2 read marks, 1 saved thread, 1 preference, 1 draft\n")
    document = json.loads(file.read_text())
    assert document["format"] == "hnterm-library" and document["version"] == 1
    assert oct(file.stat().st_mode & 0o777) == "0o600"
    status, out, _ = run(capsys, "library", "import", str(file), "--cache-dir", str(fresh))
    assert status == 0
    assert "read marks: 2 new" in out and "saved threads: 1 new" in out
    assert "preferences: 1 set" in out and "drafts: 1 new" in out
    assert library_of(fresh) == library_of(first)
    # The CLI's own view of the fresh cache counts the same read and saved threads.
    status, out, _ = run(capsys, "cache", "--cache-dir", str(fresh))
    assert status == 0 and "1 saved, 2 read" in out
    # Importing again changes nothing, and says so.
    status, out, _ = run(capsys, "library", "import", str(file), "--cache-dir", str(fresh))
    assert "read marks: 0 new, 0 updated, 2 unchanged" in out
    assert (
        "saved threads: 0 new, 1 already saved" in out and "drafts: 0 new, 0 updated, 1 kept" in out
    )


def test_with_items_the_saved_thread_reads_offline_on_the_other_machine(tmp_path, capsys):
    first, fresh, file = tmp_path / "one", tmp_path / "two", tmp_path / "library.json"
    reader_of_one_machine(first)
    status, out, _ = run(
        capsys, "library", "export", str(file), "--with-items", "--cache-dir", str(first)
    )
    count = len(fixture_items("unlurker-43727727-ibm-rto"))
    assert status == 0 and f"1 saved thread ({count} items)" in out
    assert run(capsys, "library", "import", str(file), "--cache-dir", str(fresh))[0] == 0
    status, out, _ = run(capsys, "dump", str(IBM), "--offline", "--cache-dir", str(fresh))
    dumped = json.loads(out)
    assert status == 0 and dumped["complete"] and len(dumped["items"]) == count


def test_merging_keeps_the_newer_read_mark_and_what_was_seen_on_either(tmp_path, capsys):
    here, there, file = tmp_path / "here", tmp_path / "there", tmp_path / "lib.json"
    cache = Cache(here)
    cache.mark_story_read(IBM, 10, [1, 2], opened_at=NOW - 100)  # the later visit
    cache.close()
    cache = Cache(there)
    cache.mark_story_read(IBM, 5, [3], opened_at=NOW - 5000)
    cache.close()
    run(capsys, "library", "export", str(file), "--cache-dir", str(there))
    status, out, _ = run(capsys, "library", "import", str(file), "--cache-dir", str(here))
    assert status == 0 and "read marks: 0 new, 1 updated" in out
    opened_at, count, seen = library_of(here)["read"][IBM]
    assert (opened_at, count, seen) == (pytest.approx(NOW - 100), 10, {1, 2, 3})
    # And the other way: the newer visit wins there too.
    run(capsys, "library", "export", str(file), "--cache-dir", str(here))
    run(capsys, "library", "import", str(file), "--cache-dir", str(there))
    assert library_of(there)["read"][IBM] == (pytest.approx(NOW - 100), 10, {1, 2, 3})


def test_drafts_are_kept_both_ways_through_a_synced_folder(tmp_path, capsys):
    laptop, desktop, folder = tmp_path / "laptop", tmp_path / "desktop", tmp_path / "Sync"
    folder.mkdir()
    cache = Cache(laptop)
    cache.put_draft(111, IBM, "written on the laptop", account="alice")
    cache.put_draft(333, IBM, "an old text", account="alice")
    cache.close()
    cache = Cache(desktop)
    cache.put_draft(222, IBM, "written on the desktop", account="alice")
    cache.close()
    cache = Cache(desktop)  # (opened again after the laptop's: its draft of 333 is later)
    cache.put_draft(333, IBM, "the newer text", account="alice")
    cache.close()
    for machine in (laptop, desktop, laptop):
        status, out, _ = run(capsys, "library", "sync", str(folder), "--cache-dir", str(machine))
        assert status == 0 and f"Wrote {folder / 'hnterm-library.json'}" in out
    expected = {
        (111, "alice"): "written on the laptop",
        (222, "alice"): "written on the desktop",
        (333, "alice"): "the newer text",
    }
    assert library_of(laptop)["drafts"] == expected == library_of(desktop)["drafts"]
    assert not [p for p in folder.iterdir() if p.name != "hnterm-library.json"]  # no temp files


def test_the_session_cookie_is_never_in_the_library(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("HNTERM_CONFIG_DIR", str(tmp_path / "config"))
    with FakeWeb() as web:
        monkeypatch.setenv("HNTERM_WEB_URL", web.url)
        monkeypatch.setattr("sys.stdin", io.StringIO("right-password\n"))
        assert cli.run(["login", "alice", "--password-stdin"]) == 0
    cookie = (tmp_path / "config" / "session").read_text()
    assert cookie.startswith("alice&")
    reader_of_one_machine(tmp_path / "cache")
    file = tmp_path / "library.json"
    run(
        capsys,
        "library",
        "export",
        str(file),
        "--with-items",
        "--cache-dir",
        str(tmp_path / "cache"),
    )
    secret = cookie.split("&", 1)[1]
    assert secret not in file.read_text() and "session" not in json.loads(file.read_text())


def hostile(tmp_path: Path, document: object | str) -> Path:
    path = tmp_path / "hostile.json"
    path.write_text(document if isinstance(document, str) else json.dumps(document))
    return path


def good() -> dict:
    return {
        "format": "hnterm-library",
        "version": 1,
        "exported_at": NOW,
        "read": [{"root": 4242, "opened_at": NOW, "comments": 1, "seen": [4243]}],
        "saved": [],
        "preferences": [],
        "drafts": [],
    }


def changed(**fields) -> dict:
    document = good()
    document.update(fields)
    return document


def mark(**fields) -> list[dict]:
    entry = {"root": 4242, "opened_at": NOW, "comments": 1, "seen": [4243]}
    entry.update(fields)
    return [entry]


HOSTILE = {
    "not JSON": '{"format": ',
    "nested too deep": "[" * 200_000 + "]" * 200_000,
    "NaN": json.dumps(good()).replace(f"{NOW}", "NaN", 1),
    "a 5,000-digit number": json.dumps(good()).replace("4242", "9" * 5000, 1),
    "another format": changed(format="something-else"),
    "a future version": changed(version=2),
    "a list": "[1, 2, 3]",
    "a negative id": changed(read=mark(root=-1)),
    "an id past 2**53": changed(read=mark(root=2**60)),
    "true for an id": changed(read=mark(root=True)),
    "a seen id that is text": changed(read=mark(seen=["4243"])),
    "a time far ahead": changed(read=mark(opened_at=NOW + 2 * CLOCK_SKEW)),
    "a negative count": changed(read=mark(comments=-5)),
    "an unknown field": changed(read=mark(**{"\x1b[31mevil": 1})),
    "a session field": changed(session="alice&stolen"),
    "a huge draft": changed(
        drafts=[
            {
                "parent": 1,
                "root": 1,
                "text": "x" * 100_001,
                "updated": NOW,
                "error": None,
                "account": "alice",
            }
        ]
    ),
    "an account that is a path": changed(
        drafts=[
            {
                "parent": 1,
                "root": 1,
                "text": "hi",
                "updated": NOW,
                "error": None,
                "account": "../../etc",
            }
        ]
    ),
    "a preference key with escapes": changed(
        preferences=[{"key": "\x1b]52;c;ZXZpbA==\x07", "value": "x", "updated": NOW}]
    ),
    "an item that is not one": changed(
        saved=[
            {
                "root": 4242,
                "saved_at": NOW,
                "refreshed": None,
                "items": [{"fetched": NOW, "item": {"id": "x"}}],
            }
        ]
    ),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_hostile_library_is_refused_in_one_line_and_changes_nothing(name, tmp_path, capsys):
    reader_of_one_machine(tmp_path / "cache")
    before = library_of(tmp_path / "cache")
    path = hostile(tmp_path, HOSTILE[name])
    status, out, err = run(
        capsys, "library", "import", str(path), "--cache-dir", str(tmp_path / "cache")
    )
    assert status == 1 and out == ""
    assert err.startswith(f"hnterm library: cannot import {path}: ") and err.count("\n") == 1
    assert "\x1b" not in err and len(err) < 300
    assert library_of(tmp_path / "cache") == before


def test_files_that_are_not_libraries_are_refused_before_being_read(tmp_path, capsys):
    cache = str(tmp_path / "cache")
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    big = tmp_path / "big.json"
    with big.open("wb") as handle:
        handle.truncate(65 * 1024 * 1024)  # sparse: nothing is written
    for path, why in [
        (Path("/dev/zero"), "is a character device"),
        (fifo, "is a FIFO"),
        (big, "is larger than 64 MB"),
        (tmp_path, "is a folder"),
        (tmp_path / "missing.json", "no such file"),
    ]:
        status, _, err = run(capsys, "library", "import", str(path), "--cache-dir", cache)
        assert status == 1 and why in err and err.count("\n") == 1, (path, err)


def test_a_version_from_a_newer_hnterm_says_so(tmp_path, capsys):
    path = hostile(tmp_path, changed(version=7))
    _, _, err = run(capsys, "library", "import", str(path), "--cache-dir", str(tmp_path / "c"))
    assert "made by a newer hnterm (library version 7; this one reads 1)" in err


def test_an_export_that_cannot_be_written_leaves_nothing_behind(tmp_path, capsys):
    reader_of_one_machine(tmp_path / "cache")
    target = tmp_path / "library.json"
    target.mkdir()  # a folder where the file should go: the rename fails
    (target / "kept").write_text("the folder's own file")
    status, _, err = run(
        capsys, "library", "export", str(target), "--cache-dir", str(tmp_path / "cache")
    )
    assert status == 1 and f"cannot write {target}" in err and err.count("\n") == 1
    assert (target / "kept").read_text() == "the folder's own file"
    assert not list(tmp_path.glob(".hnterm-library-*"))  # the temporary file is gone
    status, _, err = run(
        capsys, "library", "export", str(tmp_path / "no" / "such" / "dir" / "x.json"),
        "--cache-dir", str(tmp_path / "cache"),
    )  # fmt: skip
    assert status == 1 and "cannot write in" in err and err.count("\n") == 1
