"""Search all of HN (the Algolia search API) as you type; a result opens in hnterm.

Like the cache search: debounced, and a newer query cancels the one running (latest wins).
The search runs on the app's network loop (``Gateway.online_search``), with a client of its
own that closes with the screen. Offline, or when the API fails, the local cache is searched
and the title says so.
"""

from __future__ import annotations

import asyncio

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, OptionList

from hnterm.services.gateway import OnlineSearch
from hnterm.ui.screens.cache_search import DEBOUNCE, SearchDialog, hit_option

TITLE = "Search all of HN: words, by:author, type:story|comment, points:N"


class HNSearchScreen(SearchDialog):
    """All of HN through the Algolia API; returns the chosen story's or comment's id."""

    def __init__(self, searcher: OnlineSearch) -> None:
        super().__init__()
        self.searcher = searcher

    def compose(self) -> ComposeResult:
        with Vertical(id="hn-search-body"):
            yield Label(Text(TITLE), id="hn-search-title")
            yield Input(placeholder="search all of Hacker News", id="hn-search-input")
            yield OptionList(id="hn-search-results")

    @on(Input.Changed)
    def query_changed(self, event: Input.Changed) -> None:
        self.run_search(event.value)

    @work(exclusive=True, group="hn-search")
    async def run_search(self, text: str) -> None:
        """Debounced; cancelling this (a newer query) cancels the request on the network loop."""
        results = self.query_one(OptionList)
        title = self.query_one("#hn-search-title", Label)
        if self.searcher.empty(text):
            results.clear_options()
            title.remove_class("-fallback")
            title.update(Text(TITLE))
            return
        await asyncio.sleep(DEBOUNCE)
        found = await self.searcher.search(text)
        results.clear_options()
        results.add_options(hit_option(hit) for hit in found.hits)
        title.set_class(bool(found.note), "-fallback")  # the theme's warning colour
        if found.note:
            title.update(Text(f"{found.note} ({len(found.hits)})"))
        elif not found.hits:
            title.update(Text(f"Nothing on HN matches {text!r}"))
        else:
            title.update(Text(f"{TITLE} · {found.total:,} matches"))

    async def on_unmount(self) -> None:
        await self.searcher.aclose()
