"""Articles in the cache: a story's linked page as extracted, with its fetch time, so a saved
thread carries its article offline (the ``articles`` table of schema step 6). The row holds our
own JSON form of the text (``hnterm.render.article``), never the page's HTML. Pruning a thread
removes its article (``Housekeeping._remove_threads``)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING

from hnterm.storage.repository import Repository

if TYPE_CHECKING:  # the extraction module loads when an article is first read, not at start
    from hnterm.render.article import Article


@dataclass(frozen=True)
class CachedArticle:
    """A cached article and when it was fetched (epoch seconds)."""

    article: Article
    fetched: float


class Articles(Repository):
    """Reads and writes of articles, keyed by the story's id."""

    def put_article(self, story: int, article: Article, fetched: float | None = None) -> None:
        row = (
            story,
            article.url,
            _json_form().article_to_json(article),
            time.time() if fetched is None else fetched,
        )
        self._write(
            lambda db: db.execute(
                "INSERT OR REPLACE INTO articles (story, url, json, fetched) VALUES (?, ?, ?, ?)",
                row,
            )
        )

    def get_article(self, story: int) -> CachedArticle | None:
        """The cached article of ``story``, or None (a damaged row is None too)."""
        rows = self._read("SELECT json, fetched FROM articles WHERE story = ?", (story,))
        if not rows:
            return None
        article = _json_form().article_from_json(rows[0][0])
        return CachedArticle(article, rows[0][1]) if article is not None else None


def _json_form() -> ModuleType:
    """``hnterm.render.article`` (our JSON form of an article), imported on first use."""
    from hnterm.render import article

    return article
