"""A story's article, from the cache or the network (no Textual).

An article is read once and kept with its thread (``hnterm.storage.articles``): it opens at
once and offline afterwards; ``refresh`` fetches it again. The page is fetched with the API
client's limits and public addresses only (``hnterm.net.article_fetch``) and extracted off the
event loop (extraction is ~5-100 ms of CPU, which would stall every request in flight on the
network loop). Failures come back as one line of reason with the URL, for the reader to open
in a browser instead.
"""

from __future__ import annotations

import asyncio
import time
from contextlib import suppress
from dataclasses import dataclass

from hnterm.model.errors import HNError
from hnterm.net.article_fetch import ArticleError, article_policy, fetch_page
from hnterm.net.transport import Policy
from hnterm.render.article import Article, extract
from hnterm.render.text import is_safe_url
from hnterm.services.source import Source
from hnterm.storage.cache import Cache, CacheError

# Fewer words than this is a page whose text is not in its HTML ("enable JavaScript"), a
# login wall, or an image: saying "nothing to read" beats showing one stray line.
MIN_WORDS = 25


@dataclass(frozen=True)
class ArticleResult:
    """An article, or why there is none; ``url`` is what to open in a browser either way."""

    url: str
    article: Article | None
    error: str | None = None
    from_cache: bool = False
    fetched: float | None = None


async def load_article(
    source: Source, story: int, url: str | None, *, refresh: bool = False
) -> ArticleResult:
    """The article of ``story`` (whose link is ``url``): cached, else fetched and kept."""
    if not url or not is_safe_url(url):
        return ArticleResult(url or "", None, "this story has no web link to read")
    cached = await source.worker.run(Cache.get_article, story)
    if cached is not None and not refresh:
        return ArticleResult(url, cached.article, from_cache=True, fetched=cached.fetched)
    if source.client is None:
        if cached is not None:
            return ArticleResult(url, cached.article, None, True, cached.fetched)
        return ArticleResult(url, None, "offline, and this article is not in the cache")
    try:
        article = await fetch_article(url, article_policy(source.client.policy))
    except HNError as exc:  # ArticleError, or NetworkError: the site, not HN, is unreachable
        if cached is not None:
            note = f"kept copy shown; the refresh failed: {exc}"
            return ArticleResult(url, cached.article, note, True, cached.fetched)
        return ArticleResult(url, None, str(exc))
    fetched = time.time()
    with suppress(CacheError):  # shown anyway; the cache's problem notice says why
        await source.worker.run(Cache.put_article, story, article, fetched)
    return ArticleResult(url, article, fetched=fetched)


async def fetch_article(url: str, policy: Policy | None = None) -> Article:
    """Fetch and extract ``url`` (``policy``: ``article_policy()``); ``ArticleError`` when
    there is nothing readable, ``NetworkError`` when the site cannot be reached."""
    page = await fetch_page(url, policy)
    html: str | bytes = page.body
    if page.charset:
        try:
            html = page.body.decode(page.charset, errors="replace")
        except LookupError:  # an unknown charset name: let the extractor sniff it
            html = page.body
    loop = asyncio.get_running_loop()
    try:
        article = await loop.run_in_executor(None, extract, html, page.url)
    except ImportError as exc:  # a broken install must not take the reader down
        raise ArticleError(f"the article reader cannot start ({exc})") from exc
    if article.words < MIN_WORDS:
        raise ArticleError("nothing to read on this page (its text may need JavaScript)")
    return article
