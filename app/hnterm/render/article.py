"""A story's linked page as clean reading text: extraction, our own block model, and Text.

The main text is found by trafilatura (chosen by measurement: docs/article-extraction.md). Its
output is an element tree, never markup we parse as Rich: the tree is walked into our own
``Article`` of blocks (paragraphs, headings, list items, code, quotes) made of runs of plain,
sanitised text, and only that is rendered, with Span styles. Links are kept only when they are
absolute http(s) after resolving against the page URL, and are numbered ``[n]`` like comment
links. The walker understands trafilatura's XML (``head``, ``list``/``item``, ``ref``, ``hi``,
``lb``) and plain HTML (``h1``, ``ul``/``li``, ``a``, ``pre``), so other extractors can be
compared with the same rendering (``benchmarks/article_extraction.py``).

No Textual here: the cache, ``hnterm sync`` and the tests use it without a terminal.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

from rich.style import Style
from rich.text import Span, Text

from hnterm.render.text import is_safe_url, part_style, sanitize

__all__ = [
    "Article",
    "Block",
    "article_from_json",
    "article_to_json",
    "extract",
    "from_tree",
    "render_article",
]

# Run flags.
BOLD, ITALIC, CODE, LINK = 1, 2, 4, 8
# Block kinds.
PARAGRAPH, HEADING, ITEM, PRE, QUOTE = "p", "h", "li", "code", "quote"

MAX_TEXT = 1_000_000  # characters kept from one page: a book-length page is cut, not stored
MAX_BLOCKS = 5_000

# The parts of an article, each a span of its own (a heading's link is a heading span and a
# link span): colourless looks, named so the screen gives them its theme's colours
# (``hnterm.render.text.themed``).
STYLES: dict[str, Style] = {
    "title": part_style("title", "bold"),
    "byline": part_style("byline", "dim"),
    "heading": part_style("heading", "bold underline"),
    "code": part_style("code"),
    "quote": part_style("quote", "dim italic"),
    "bold": part_style("bold", "bold"),
    "italic": part_style("italic", "italic"),
    "link": part_style("link", "underline"),
    "marker": part_style("marker", "dim"),
}


@dataclass(frozen=True)
class Block:
    """One block of reading text: a kind and runs of (text, flags, link number or 0)."""

    kind: str
    runs: tuple[tuple[str, int, int], ...]
    level: int = 0  # heading level, or list nesting depth


@dataclass(frozen=True)
class Article:
    """What is kept of a page: no HTML, only sanitised text, so it can be cached as is."""

    url: str
    title: str = ""
    byline: str = ""
    date: str = ""
    blocks: tuple[Block, ...] = ()
    links: tuple[str, ...] = field(default=())

    @property
    def words(self) -> int:
        return sum(len(text.split()) for block in self.blocks for text, _, _ in block.runs)


# --- extraction ---------------------------------------------------------------------------


def extract(html: str | bytes, url: str) -> Article:
    """The readable part of ``html`` (fetched from ``url``); no blocks when there is none.

    Never raises for bad input: a page trafilatura cannot parse is an empty article.
    """
    import trafilatura  # ~0.3 s to import: only when an article is actually read

    try:
        document = trafilatura.bare_extraction(
            html,
            url=url,
            include_formatting=True,
            include_links=True,
            include_images=False,
            include_tables=True,
            include_comments=False,
            with_metadata=True,
            as_dict=False,
        )
    except Exception:  # a library's parser on hostile input: any failure is "nothing"
        document = None
    if document is None or isinstance(document, dict) or document.body is None:
        return Article(url)
    return from_tree(
        document.body,
        url,
        title=document.title or "",
        byline=document.author or "",
        date=document.date or "",
    )


# --- the tree walker ----------------------------------------------------------------------

_WS = re.compile(r"\s+")
_SKIP = frozenset(
    {"script", "style", "noscript", "template", "svg", "img", "graphic", "figure", "iframe",
     "object", "embed", "video", "audio", "canvas", "form", "input", "button", "select",
     "textarea", "nav", "head_"}
)  # fmt: skip
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 4, "h6": 4}
_CONTAINERS = frozenset(
    {"body", "div", "section", "article", "main", "p", "header", "footer", "aside", "table",
     "tbody", "thead", "tfoot", "doc", "main_", "details", "summary", "dl", "figcaption"}
)  # fmt: skip
_LISTS = frozenset({"ul", "ol", "list"})
_ITEMS = frozenset({"li", "item", "dd", "dt"})
_QUOTES = frozenset({"blockquote", "quote"})
_BREAKS = frozenset({"br", "lb"})
_LINKS = frozenset({"a", "ref"})
_INLINE_FLAGS = {"b": BOLD, "strong": BOLD, "i": ITALIC, "em": ITALIC, "code": CODE, "tt": CODE,
                 "kbd": CODE, "samp": CODE}  # fmt: skip
_HI_FLAGS = {"#b": BOLD, "#i": ITALIC, "#t": CODE, "#u": 0}


class _Walker:
    """Turns an element tree into blocks; one use."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.blocks: list[Block] = []
        self.runs: list[tuple[str, int, int]] = []
        self.kind = PARAGRAPH
        self.level = 0
        self.flags = 0
        self.link = 0
        self.quote = 0
        self.lists: list[list[int]] = []  # per open list: [ordered, next number]
        self.links: dict[str, int] = {}
        self.size = 0

    # -- blocks ----------------------------------------------------------------------

    def flush(self) -> None:
        """End the block being built; blank ones vanish."""
        runs = self.runs
        while runs and not runs[-1][0].strip():
            runs.pop()
        if runs:
            text, flags, link = runs[-1]
            runs[-1] = (text.rstrip(), flags, link)
            first, flags0, link0 = runs[0]
            runs[0] = (first.lstrip(), flags0, link0)
            kind = QUOTE if self.quote and self.kind == PARAGRAPH else self.kind
            self.add(Block(kind, tuple(r for r in runs if r[0]), self.level))
        self.runs = []
        self.kind, self.level = PARAGRAPH, 0

    def add(self, block: Block) -> None:
        if len(self.blocks) < MAX_BLOCKS and self.size < MAX_TEXT:
            self.blocks.append(block)
            self.size += sum(len(text) for text, _, _ in block.runs)

    def code_block(self, element: Any) -> None:
        self.flush()
        code = sanitize("".join(element.itertext()).expandtabs(4)).strip("\n")
        if code.strip():
            self.add(Block(PRE, ((code[: MAX_TEXT - self.size], 0, 0),)))

    # -- text ------------------------------------------------------------------------

    def text(self, raw: str | None) -> None:
        """Inline text: whitespace collapsed, sanitised, kept with the current flags."""
        if not raw:
            return
        text = _WS.sub(" ", sanitize(_WS.sub(" ", raw)))
        if not text:
            return
        if text.startswith(" ") and (not self.runs or self.runs[-1][0].endswith((" ", "\n"))):
            text = text[1:]
        if text:
            self.runs.append((text, self.flags | (LINK if self.link else 0), self.link))

    def line_break(self) -> None:
        if self.runs:
            self.runs.append(("\n", 0, 0))

    def link_number(self, href: str | None) -> int:
        """The number of a safe link (absolute after resolving), or 0 for none."""
        if not href:
            return 0
        href = href.strip()
        if not href.lower().startswith(("http://", "https://")):
            if ":" in href.split("/", 1)[0]:  # javascript:, data:, mailto:, file: ...
                return 0
            try:
                href = urljoin(self.base_url, href)
            except ValueError:
                return 0
        if not is_safe_url(href):
            return 0
        return self.links.setdefault(href, len(self.links) + 1)

    # -- the walk --------------------------------------------------------------------

    def walk(self, element: Any) -> None:
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if not tag or tag in _SKIP:  # comments and processing instructions have no str tag
            return
        if tag in _HEADINGS or tag == "head":
            self.flush()
            self.kind = HEADING
            self.level = _HEADINGS.get(tag) or _rend_level(element.get("rend"))
            self.children(element)
            self.flush()
        elif tag == "pre" or (tag == "code" and self.block_context(element)):
            self.code_block(element)
        elif tag in _LISTS:
            self.flush()
            self.lists.append([tag == "ol" or element.get("rend") == "ol", 1])
            self.children(element, skip_text=True)
            self.lists.pop()
            self.flush()
        elif tag in _ITEMS:
            self.flush()
            self.kind, self.level = ITEM, max(len(self.lists), 1)
            marker = "•"
            if self.lists and self.lists[-1][0]:
                marker = f"{self.lists[-1][1]}."
                self.lists[-1][1] += 1
            self.runs.append((f"{marker} ", 0, 0))
            self.children(element)
            self.flush()
        elif tag in _QUOTES:
            self.flush()
            self.quote += 1
            self.children(element)
            self.flush()
            self.quote -= 1
        elif tag == "tr" or tag == "row":
            self.flush()
            cells = [" ".join(_WS.split(sanitize(" ".join(c.itertext())))).strip() for c in element]
            self.text(" | ".join(cell for cell in cells if cell))
            self.flush()
        elif tag in _CONTAINERS:
            self.flush()
            self.children(element)
            self.flush()
        elif tag in _BREAKS:
            self.line_break()
        elif tag in _LINKS:
            outer = self.link
            self.link = outer or self.link_number(element.get("href") or element.get("target"))
            self.children(element)
            self.link = outer
        else:
            flag = _INLINE_FLAGS.get(tag, 0) or _HI_FLAGS.get(element.get("rend") or "", 0)
            outer = self.flags
            self.flags |= flag if tag in _INLINE_FLAGS or tag == "hi" else 0
            self.children(element)
            self.flags = outer

    def children(self, element: Any, *, skip_text: bool = False) -> None:
        if not skip_text:
            self.text(element.text)
        for child in element:
            self.walk(child)
            if self.kind == PARAGRAPH or self.runs or not skip_text:
                self.text(child.tail)

    def block_context(self, element: Any) -> bool:
        """A ``code`` element is a block (trafilatura's code blocks) when it holds lines or
        stands outside any paragraph; ``<p>… <code>x</code> …`` stays inline."""
        parent = element.getparent()
        parent_tag = (
            parent.tag.lower() if parent is not None and isinstance(parent.tag, str) else ""
        )
        if parent_tag in ("p", "item", "li", "head", "hi", "ref", "a", "quote", "td", "cell"):
            return "\n" in (element.text or "") and not self.runs
        return not self.runs or "\n" in "".join(element.itertext())


def _rend_level(rend: str | None) -> int:
    if rend and len(rend) == 2 and rend[0] == "h" and rend[1].isdigit():
        return min(int(rend[1]), 4)
    return 2


def from_tree(root: Any, url: str, *, title: str = "", byline: str = "", date: str = "") -> Article:
    """Our ``Article`` from an lxml element tree (an extractor's output); never raises on
    odd trees. A first heading that repeats the title is dropped."""
    walker = _Walker(url)
    walker.walk(root)
    walker.flush()
    title = _line(title)
    blocks = walker.blocks
    if blocks and blocks[0].kind == HEADING and title:
        first = "".join(text for text, _, _ in blocks[0].runs).strip()
        if first == title or title.startswith(first):
            title = first
            blocks = blocks[1:]
    links = tuple(sorted(walker.links, key=walker.links.__getitem__))
    return Article(url, title, _line(byline), _line(date), tuple(blocks), links)


def _line(text: str | None) -> str:
    return " ".join(sanitize(text or "").split())[:300]


# --- rendering ----------------------------------------------------------------------------


def render_article(article: Article) -> Text:
    """The article as styled text: title, byline, then the blocks, each link followed by its
    number ``[n]`` (``links[n - 1]``). Every string is sanitised again here, so a cache row
    written by anything else cannot smuggle escapes to the terminal. Spans carry the parts'
    ``STYLES``; the screen colours them."""
    parts: list[str] = []
    spans: list[Span] = []
    offset = 0

    def put(text: str, *styles: Style) -> None:
        nonlocal offset
        text = sanitize(text)
        if not text:
            return
        parts.append(text)
        spans.extend(Span(offset, offset + len(text), style) for style in styles)
        offset += len(text)

    if article.title:
        put(sanitize(article.title), STYLES["title"])
        put("\n")
    byline = " · ".join(p for p in (article.byline, article.date, article.url) if p)
    put(byline, STYLES["byline"])
    previous = None
    for block in article.blocks:
        put("\n" if previous == ITEM and block.kind == ITEM else "\n\n")
        previous = block.kind
        if block.kind == PRE:
            for i, line in enumerate(block.runs[0][0].split("\n")) if block.runs else ():
                put(("\n" if i else "") + "  " + line, STYLES["code"])
            continue
        if block.kind == ITEM:
            put("  " * block.level)
        elif block.kind == QUOTE:
            put("│ ", STYLES["quote"])
        runs = block.runs
        for index, (text, flags, link) in enumerate(runs):
            if block.kind == QUOTE and "\n" in text:
                text = text.replace("\n", "\n│ ")
            put(text, *_run_styles(block.kind, flags))
            last = index + 1 == len(runs) or runs[index + 1][2] != link
            if link and last and 0 < link <= len(article.links):
                put(f"[{link}]", STYLES["marker"])
    return Text("".join(parts), spans=spans)


def _run_styles(kind: str, flags: int) -> list[Style]:
    styles = []
    if kind == HEADING:
        styles.append(STYLES["heading"])
    elif kind == QUOTE:
        styles.append(STYLES["quote"])
    for flag, name in ((CODE, "code"), (BOLD, "bold"), (ITALIC, "italic"), (LINK, "link")):
        if flags & flag:
            styles.append(STYLES[name])
    return styles


# --- the cache's form ---------------------------------------------------------------------


def article_to_json(article: Article) -> str:
    return json.dumps(
        {
            "url": article.url,
            "title": article.title,
            "byline": article.byline,
            "date": article.date,
            "links": list(article.links),
            "blocks": [[b.kind, b.level, [list(r) for r in b.runs]] for b in article.blocks],
        },
        separators=(",", ":"),
        ensure_ascii=False,
    )


def article_from_json(text: str) -> Article | None:
    """An article read back from the cache; None for a damaged row (refetched instead)."""
    try:
        data = json.loads(text)
        blocks = tuple(
            Block(str(kind), tuple(_run(r) for r in runs), int(level))
            for kind, level, runs in data["blocks"]
        )
        links = tuple(str(link) for link in data["links"] if is_safe_url(link))
        if len(links) != len(data["links"]):
            return None
        return Article(
            str(data["url"]),
            str(data["title"]),
            str(data["byline"]),
            str(data["date"]),
            blocks,
            links,
        )
    except (ValueError, KeyError, TypeError):
        return None


def _run(run: Iterable[Any]) -> tuple[str, int, int]:
    text, flags, link = run
    return str(text), int(flags), int(link)
