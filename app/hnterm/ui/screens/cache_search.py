"""Search everything in the cache (SQLite FTS5) and open a result in its thread.

Results update as you type; enter or a click opens the highlighted one. Works offline: it
reads only the local cache.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from hnterm.model.format import age
from hnterm.model.hits import SearchHit
from hnterm.ui.screens import dialog_keys

Search = Callable[[str], Awaitable[list[SearchHit]]]
TITLE = 'Search the cache: words, "a phrase", by:author, -word'
DEBOUNCE = 0.12  # seconds of no typing before a search starts


class SearchDialog(ModalScreen[int | None]):
    """A search as you type whose results are items: enter opens the highlighted one,
    down goes to the results, escape closes. Returns the chosen id, or None."""

    BINDINGS = [*dialog_keys.SEARCH]

    @on(Input.Submitted)
    def submitted(self) -> None:
        results = self.query_one(OptionList)
        if results.option_count:
            results.highlighted = results.highlighted or 0
            results.action_select()

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id) if event.option.id else None)

    def action_results(self) -> None:
        self.query_one(OptionList).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)


class CacheSearchScreen(SearchDialog):
    """Everything cached, searched with SQLite FTS5."""

    def __init__(self, search: Search) -> None:
        super().__init__()
        self.search = search

    def compose(self) -> ComposeResult:
        with Vertical(id="cache-search-body"):
            yield Label(Text(TITLE), id="cache-search-title")
            yield Input(placeholder="search everything read so far", id="cache-search-input")
            yield OptionList(id="cache-search-results")

    @on(Input.Changed)
    def query_changed(self, event: Input.Changed) -> None:
        self.run_search(event.value)

    @work(exclusive=True, group="cache-search")
    async def run_search(self, query: str) -> None:
        """Debounced and off the UI thread; a newer query cancels this one (latest wins)."""
        results = self.query_one(OptionList)
        if not query.strip():
            results.clear_options()
            return
        await asyncio.sleep(DEBOUNCE)
        hits = await self.search(query)
        results.clear_options()
        results.add_options(hit_option(hit) for hit in hits)
        if not hits:
            self.query_one("#cache-search-title", Label).update(
                Text(f"No cached story or comment matches {query!r}")
            )
        else:
            self.query_one("#cache-search-title", Label).update(Text(TITLE))


def hit_option(hit: SearchHit) -> Option:
    """Two lines: the thread's title, then author, age and the matching text."""
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(hit.title or f"item {hit.item_id}", "bold")
    text.append(f"\n{hit.by or '?'} · {age(hit.time)} · ", "dim")
    text.append(hit.snippet)
    return Option(text, id=str(hit.item_id))
