"""The story's linked page as reading text (``A``): title, byline, the text, numbered links.

The article comes from the gateway (``hnterm.services.articles`` on the network loop, cache
first, so a saved thread reads offline); what is shown is only our own sanitised ``Text``
(``hnterm.render.article``). A failure says why in one line and gives the URL, and ``O``
sends it to the browser (or copies it, where there is none) while the reader stays open; the
status line says which, with the URL. ``o`` picks a numbered link (``o 2``); the screen
returns it, and the main screen opens it as it opens a comment's links (an HN item in hnterm,
anything else in the browser).
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Label, Static

from hnterm.model.format import age, hn_item_of
from hnterm.model.items import is_item_id
from hnterm.render.text import is_safe_url, sanitize, themed
from hnterm.services.articles import ArticleResult
from hnterm.services.gateway import Gateway
from hnterm.ui.browser import open_or_copy
from hnterm.ui.screens import dialog_keys
from hnterm.ui.screens.help import keys_for
from hnterm.ui.screens.pick import PickScreen
from hnterm.ui.widgets.status_line import StatusLine


class ArticleScreen(Screen[str | None]):
    """Returns a link to open (one of the article's, or an HN item's), or None."""

    # The article's parts (hnterm.render.article.STYLES), coloured by the theme in app.tcss.
    COMPONENT_CLASSES = {
        "article--title",
        "article--byline",
        "article--heading",
        "article--code",
        "article--quote",
        "article--bold",
        "article--italic",
        "article--link",
        "article--marker",
    }
    BINDINGS = [*dialog_keys.ARTICLE]

    def __init__(self, gateway: Gateway, story: int, url: str | None) -> None:
        super().__init__()
        self.gateway = gateway
        self.story = story
        self.url = url
        self.result: ArticleResult | None = None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(f"Reading {sanitize(self.url or '')}…"), id="article-head")
            with VerticalScroll(id="article-scroll"):
                yield Static(id="article-text")
        yield StatusLine(id="article-status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#article-scroll").focus()
        self.load()

    @work(exclusive=True, group="article")
    async def load(self, refresh: bool = False) -> None:
        result = await self.gateway.article(self.story, self.url, refresh=refresh)
        self.result = result
        self.query_one("#article-head", Label).update(head_line(result, self.keys_hint()))
        self._show_body()

    def _show_body(self) -> None:
        result = self.result
        if result is None:
            return
        body = self.query_one("#article-text", Static)
        if result.article is None:
            body.update(failure_text(result, keys_for(self, "open_page", first=True)))
        else:
            from hnterm.render.article import render_article

            body.update(themed(render_article(result.article), self.style_of))

    def keys_hint(self) -> str:
        """' · o links · O browser · esc back', with the keys as the keymap has them."""
        links, page, close = (
            keys_for(self, a, first=True) for a in ("links", "open_page", "close")
        )
        return f" · {links} links · {page} browser · {close} back"

    def style_of(self, part: str) -> Style:
        """The theme's style for a part of the article (``title``, ``link``...)."""
        return self.get_component_rich_style(f"article--{part}", partial=True)

    def notify_style_update(self) -> None:
        """The theme changed: the article is drawn again in its colours."""
        super().notify_style_update()
        if self.is_mounted:  # once the whole stylesheet is updated, component classes too
            self.call_later(self._show_body)

    @property
    def links(self) -> tuple[str, ...]:
        article = self.result.article if self.result else None
        return article.links if article is not None else ()

    def action_links(self) -> None:
        if not self.links:
            self.notify("No links in this article", markup=False)
            return
        choices = [(url, Text(sanitize(url))) for url in self.links]

        def chosen(url: str | None) -> None:
            if url is not None:
                self.dismiss(url)

        self.app.push_screen(PickScreen("Open a link", choices), chosen)

    def action_open_page(self) -> None:
        """The story's URL in the browser (copied where there is none), the reader staying
        open; an HN item's URL opens in hnterm, as a comment's link does."""
        status = self.query_one(StatusLine)
        if not self.url:
            status.show("This story has no URL to open")
        elif not is_safe_url(self.url):
            status.show("Refused to open a link that is not http(s)", error=True)
        elif (item_id := hn_item_of(self.url)) is not None and is_item_id(item_id):
            self.dismiss(self.url)
        else:
            status.show(open_or_copy(self.app, self.url))

    def action_reload(self) -> None:
        self.load(refresh=True)

    def action_scroll(self, lines: int) -> None:
        self.query_one("#article-scroll", VerticalScroll).scroll_relative(y=lines, animate=False)

    def action_page(self, direction: int) -> None:
        scroll = self.query_one("#article-scroll", VerticalScroll)
        if direction > 0:
            scroll.scroll_page_down(animate=False)
        else:
            scroll.scroll_page_up(animate=False)

    def action_edge(self, end: int) -> None:
        scroll = self.query_one("#article-scroll", VerticalScroll)
        if end:
            scroll.scroll_end(animate=False)
        else:
            scroll.scroll_home(animate=False)

    def action_close(self) -> None:
        self.dismiss(None)


def head_line(result: ArticleResult, keys_hint: str) -> Text:
    """'Article · 1,234 words · cached 3 days ago' and the keys, or 'Cannot read the article'."""
    if result.article is None:
        return Text("Cannot read the article")
    text = Text(f"Article · {result.article.words:,} words")
    if result.from_cache and result.fetched:
        text.append(f" · cached {age(int(result.fetched))}")
    if result.error:
        text.append(f" · {sanitize(result.error)}", "dim")
    text.append(keys_hint, "dim")
    return text


def failure_text(result: ArticleResult, open_keys: str) -> Text:
    """The reason in one line, then the URL to open in the browser instead (``open_keys``)."""
    text = Text()
    text.append(sanitize(result.error or "nothing to read"), "bold")
    if result.url:
        text.append(f"\nOpen it in the browser ({open_keys}): ")
        text.append(sanitize(result.url), "underline")
    return text
