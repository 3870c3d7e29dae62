"""``hnterm sync --articles``: each synced story's article is read and kept with its thread,
an unreadable one is reported with its reason, and a second run does not fetch it again."""

from __future__ import annotations

from pathlib import Path

from hnterm.cli.main import run as hnterm
from hnterm.storage.cache import Cache

from tests.data import IBM
from tests.fakepages import FakePages, allow_loopback

LESS_SLOW = 43727743


def test_sync_articles_keeps_them_and_says_which_failed(
    fake_hn, tmp_path: Path, capsys, monkeypatch
):
    cache_dir = tmp_path / "cache"
    with FakePages() as pages:
        allow_loopback(monkeypatch, pages)
        fake_hn.lists["topstories"] = [IBM, LESS_SLOW]
        fake_hn.items[IBM]["url"] = pages.url("news.html")
        fake_hn.items[LESS_SLOW]["url"] = pages.url("paywall")
        args = ["sync", "--api-url", fake_hn.url, "--cache-dir", str(cache_dir), "--top", "2"]
        assert hnterm([*args, "--articles"]) == 0
        out = capsys.readouterr().out
        assert "articles: 1 read, 1 not" in out
        assert f"  article {LESS_SLOW} " in out
        assert out.count("the site refused (HTTP 403): a paywall or a login?") == 1
        assert hnterm([*args, "--articles"]) == 0  # fresh threads skipped, article cached
        assert pages.hits["news.html"] == 1
        assert "articles: 1 read, 1 not" in capsys.readouterr().out
        assert hnterm(args) == 0
        assert "articles:" not in capsys.readouterr().out  # not asked for: not mentioned
    cache = Cache(cache_dir)
    kept = cache.get_article(IBM)
    assert kept is not None and "night-train" in kept.article.title
    assert cache.get_article(LESS_SLOW) is None
    cache.close()
