"""Render Hacker News comment HTML (the Firebase ``text`` field) to ``rich.text.Text``.

HN comment HTML is a tiny, predictable subset: ``<p>`` paragraph separators (rarely closed),
``<i>``, ``<a href=... rel="nofollow">``, ``<pre><code>`` blocks and a handful of entities.
A regex tokenizer handles that subset faster than ``html.parser`` and degrades gracefully on
anything else: unknown tags are dropped (their text kept), a ``<`` that does not start a
complete tag is literal text, and nothing ever raises.

Everything that ends up on screen is user-controlled, so every piece goes through
:func:`sanitize` (no escape sequences, control, bidi or zero-width characters can reach the
terminal) and the result is built from plain strings and ``Span`` objects: Rich markup is never
parsed, so ``[bold]`` or ``[@click=app.quit]`` in a comment stays literal text.

This module must not import Textual: it is shared by the UI, search and export code.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from html import unescape
from urllib.parse import urlsplit

from rich.style import Style
from rich.text import Span, Text

__all__ = [
    "STYLES",
    "Rendered",
    "StyleOf",
    "html_to_plain",
    "is_safe_url",
    "part_style",
    "render_html",
    "sanitize",
    "themed",
]

StyleOf = Callable[[str], Style]  # a part's name ("link", "meta"...) -> its style in a theme
PART = "part"  # the key of a part's name in its style's meta


def part_style(name: str, look: str = "") -> Style:
    """The style a span of part ``name`` carries: the name (in the style's meta, so whoever
    draws the text can give it its theme's colours, see ``themed``) and a colourless look
    that reads in any theme when no one does."""
    return Style.parse(look) + Style.from_meta({PART: name})


# The semantic parts of a comment; spans in rendered text use these exact objects, so a UI
# can find them (e.g. link spans), colour them (``themed``) and exports can read them.
STYLES: dict[str, Style] = {
    "italic": part_style("italic", "italic"),
    "bold": part_style("bold", "bold"),
    "link": part_style("link", "underline"),
    "code": part_style("code"),
    "quote": part_style("quote", "dim"),
}


def themed(text: Text, style: StyleOf) -> Text:
    """``text`` with each part's span given ``style(part)`` over its colourless look: how a
    UI puts its theme's colours on rendered text. Other spans are kept as they are."""
    spans = []
    for span in text.spans:
        look = span.style
        if isinstance(look, Style) and PART in look.meta:
            span = Span(span.start, span.end, look + style(look.meta[PART]))
        spans.append(span)
    out = text.copy()
    out.spans = spans
    return out


# Bit flags for inline/block styles; the order here is the order spans are emitted in.
_ITALIC, _BOLD, _LINK, _CODE, _QUOTE = 1, 2, 4, 8, 16
_FLAG_STYLES: tuple[tuple[int, Style], ...] = (
    (_QUOTE, STYLES["quote"]),
    (_CODE, STYLES["code"]),
    (_ITALIC, STYLES["italic"]),
    (_BOLD, STYLES["bold"]),
    (_LINK, STYLES["link"]),
)

# --- sanitizing ---------------------------------------------------------------------------

# Any character that sanitize() would change. Used as a fast path: most comments have none.
_UNSAFE_CHAR = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ud800-\udfff]"
)
# Terminal escape sequences (ECMA-48), 7-bit and 8-bit forms. Each alternative also matches a
# truncated sequence, and a string sequence without terminator stops at the next ESC/BEL/ST,
# so removal is linear and never leaves an ESC or an 8-bit introducer behind.
_ESCAPE_SEQ = re.compile(
    # CSI: ESC [ or 0x9b, parameter bytes, intermediate bytes, final byte.
    "(?:\x1b\\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?"
    # OSC, DCS, SOS, PM, APC: payload up to BEL or ST (ESC \\ or 0x9c).
    "|(?:\x1b[\\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\\\|\x9c)?"
    # Any other escape: ESC, intermediates, final byte (or a lone ESC).
    "|\x1b[\x20-\x2f]*[\x30-\x7e]?"
)
# What is left after escape sequences are gone and tabs/line separators were replaced.
_DROP_CHAR = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\ud800-\udfff]"
)
_HAS_C1_INTRO = re.compile("[\x90\x98\x9b\x9d\x9e\x9f]")
_SPACE_LIKE = str.maketrans({"\t": " ", "\u2028": " ", "\u2029": " "})


def _sanitize(s: str, tab_size: int = 0) -> str:
    """sanitize(), with tabs expanded to ``tab_size`` columns when it is non-zero (code)."""
    if not _UNSAFE_CHAR.search(s):
        return s
    if "\x1b" in s or _HAS_C1_INTRO.search(s):
        s = _ESCAPE_SEQ.sub("", s)
    if tab_size and "\t" in s:
        s = s.expandtabs(tab_size)
    return _DROP_CHAR.sub("", s.translate(_SPACE_LIKE))


def sanitize(s: str) -> str:
    """Make arbitrary text safe to write to a terminal, keeping ordinary Unicode.

    Removes ANSI/VT escape sequences entirely (CSI, OSC, DCS/SOS/PM/APC and other ESC
    sequences, 7- and 8-bit forms), then C0 controls except ``\\n`` (``\\r`` is dropped, a tab
    becomes a space), DEL, C1, bidi overrides/isolates, zero-width characters and lone
    surrogates. U+2028/U+2029 become spaces. Idempotent.
    """
    return _sanitize(s)


def one_line(text: str | None) -> str:
    """Sanitised text on one line (whitespace runs become one space): titles and snippets in
    lists, search hits and profiles."""
    return " ".join(sanitize(text).split()) if text else ""


# --- URLs ---------------------------------------------------------------------------------

# Whitespace, controls and invisible/bidi characters: none of these belong in a URL we show.
_URL_BAD_CHAR = re.compile(
    "[\x00-\x20\x7f-\x9f\u00a0\u061c\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u206f"
    "\u3000\ufeff\ud800-\udfff]"
)


def is_safe_url(url: str) -> bool:
    """True only for absolute http(s) URLs with a host and no control or space characters.

    Anything else (``javascript:``, ``file:``, ``data:``, relative links) is shown as text but
    never offered as something to open.
    """
    if not isinstance(url, str):
        return False
    head = url[:8].lower()
    if not (head.startswith("http://") or head.startswith("https://")):
        return False
    if _URL_BAD_CHAR.search(url):
        return False
    try:
        return bool(urlsplit(url).hostname)
    except ValueError:  # e.g. an unbalanced "[" in the host
        return False


# --- HTML ---------------------------------------------------------------------------------

# A complete tag; quoted attribute values may contain ">". Possessive quantifiers (3.11+) and
# never crossing a "<" keep matching linear, so an unclosed '<a href="...' stays literal text
# instead of costing quadratic time.
_TAG = re.compile(
    r"""<(/?)([a-zA-Z][a-zA-Z0-9]*+)(?=[\s/>])((?:[^<>"']++|"[^"<]*+"|'[^'<]*+')*+)>"""
)
# One attribute: name, then an optional double-quoted, single-quoted or bare value.
_ATTR = re.compile(r"""([^\s"'=<>/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]*)))?""")
_WS = re.compile(r"[ \t\n\r\f]+")
_ELLIPSES = ("...", "\u2026")


@dataclass(frozen=True)
class Rendered:
    """A rendered comment: styled text plus the http(s) links it contains, in order."""

    text: Text
    links: tuple[str, ...]


class _Renderer:
    """One-shot state machine turning HN's HTML tokens into blocks of styled runs."""

    __slots__ = ("block_kind", "blocks", "bold", "italic", "link", "links", "runs")

    def __init__(self) -> None:
        # Finished blocks: (flags applied to the whole block, [(text, flags), ...]).
        self.blocks: list[tuple[int, list[tuple[str, int]]]] = []
        self.runs: list[tuple[str, int]] = []  # the block being built
        self.block_kind = 0  # 0 for a paragraph, _CODE inside <pre>
        self.italic = 0
        self.bold = 0
        # Open <a>: (href, flags when it opened, runs of its shown text); None if no link.
        self.link: tuple[str, int, list[tuple[str, int]]] | None = None
        self.links: dict[str, None] = {}

    # -- text --------------------------------------------------------------------------

    def flags(self) -> int:
        return (_ITALIC if self.italic else 0) | (_BOLD if self.bold else 0)

    def data(self, raw: str) -> None:
        """Text between tags: entity-decoded, and whitespace-collapsed outside <pre>."""
        if "&" in raw:
            raw = unescape(raw)
        if self.block_kind == _CODE:
            if not self.runs and raw[:1] == "\n":
                raw = raw[1:]  # as in HTML, a newline opening a <pre> is not content
            text = _sanitize(raw, tab_size=4)
            if text:
                self.runs.append((text, 0))
        elif self.link is not None:
            self.link[2].append((raw, self.flags()))
        else:
            self.inline(raw, self.flags())

    def inline(self, text: str, flags: int) -> None:
        """Append paragraph text, collapsing whitespace across run boundaries like HTML."""
        # Printable text without a double space has nothing to collapse or remove (every
        # character _WS or _UNSAFE_CHAR match but " " is unprintable): most comment text, whose
        # every single space _WS.sub would otherwise replace by itself (~20 % of the cache
        # thread's instructions in a thread load went there).
        if not text.isprintable() or "  " in text:
            text = _WS.sub(" ", text)
            if _UNSAFE_CHAR.search(text):
                # Collapse again: a removed escape sequence may have separated two spaces.
                text = _WS.sub(" ", _sanitize(text))
        if not text:
            return
        runs = self.runs
        if text[0] == " " and (not runs or runs[-1][0][-1] in " \n"):
            text = text[1:]
            if not text:
                return
        runs.append((text, flags))  # never concatenate here: that is quadratic on long input

    # -- structure ---------------------------------------------------------------------

    def end_block(self) -> None:
        """Finish the current paragraph or code block; empty ones vanish."""
        if self.link is not None:
            self.end_link()
        runs = self.runs
        if self.block_kind == _CODE:
            if runs:
                code = "".join(text for text, _ in runs)
                if code.endswith("\n"):
                    code = code[:-1]
                if code:
                    self.blocks.append((_CODE, [(code, 0)]))
        else:
            while runs:
                text, flags = runs[-1]
                text = text.rstrip(" \n")
                if text:
                    runs[-1] = (text, flags)
                    break
                runs.pop()
            if runs:
                self.blocks.append((_QUOTE if runs[0][0][0] == ">" else 0, runs))
        self.runs = []

    def start_pre(self) -> None:
        self.end_block()
        self.block_kind = _CODE

    def end_pre(self) -> None:
        self.end_block()
        self.block_kind = 0

    def line_break(self) -> None:
        runs = self.runs
        if runs and runs[-1][0][-1] != "\n":
            text, flags = runs[-1]
            runs[-1] = (text.rstrip(" ") + "\n", flags)

    def start_link(self, attrs: str) -> None:
        if self.link is not None:
            self.end_link()
        self.link = (_href(attrs), self.flags(), [])

    def end_link(self) -> None:
        """Emit the finished link: the full URL, 'text (URL)', or just text if unsafe."""
        assert self.link is not None
        href, flags, shown_runs = self.link
        self.link = None
        if not is_safe_url(href):
            for text, run_flags in shown_runs:
                self.inline(text, run_flags)
            return
        self.links[href] = None
        raw = "".join(text for text, _ in shown_runs)
        shown = _sanitize(_WS.sub(" ", raw)).strip()
        if not shown or shown == href or _is_truncation(shown, href):
            if raw[:1].isspace():
                self.inline(" ", flags)
            self.inline(href, flags | _LINK)
            if raw[-1:].isspace():
                self.inline(" ", flags)
        else:
            for text, run_flags in shown_runs:
                self.inline(text, run_flags)
            self.inline(" (", flags)
            self.inline(href, flags | _LINK)
            self.inline(")", flags)

    def tag(self, closing: bool, name: str, attrs: str) -> None:
        name = name.lower()
        if self.block_kind == _CODE:
            # Inside <pre> only </pre> matters; other tags are dropped, text kept verbatim.
            if closing and name == "pre":
                self.end_pre()
            return
        if name == "p":
            self.end_block()
        elif name in ("i", "em"):
            self.italic = max(0, self.italic - 1) if closing else self.italic + 1
        elif name in ("b", "strong"):
            self.bold = max(0, self.bold - 1) if closing else self.bold + 1
        elif name == "a":
            if not closing:
                self.start_link(attrs)
            elif self.link is not None:
                self.end_link()
        elif name == "pre":
            if not closing:
                self.start_pre()
        elif name == "br":
            if self.link is not None:
                self.link[2].append((" ", self.flags()))  # a link stays on one line
            else:
                self.line_break()

    def feed(self, html: str) -> None:
        pos = 0
        for match in _TAG.finditer(html):
            start = match.start()
            if start > pos:
                self.data(html[pos:start])
            pos = match.end()
            closing, name, attrs = match.groups()
            self.tag(bool(closing), name, attrs)
        if pos < len(html):
            self.data(html[pos:])
        self.end_block()

    def plain(self) -> str:
        """The text ``build`` would hold, without its spans: the runs hold only sanitised
        text, so Rich's Text (which strips control codes once more) would change nothing."""
        return "\n\n".join("".join(text for text, _ in runs) for _, runs in self.blocks)

    def build(self) -> Rendered:
        """Join blocks with one blank line and emit one span per style range."""
        parts: list[str] = []
        spans: list[Span] = []
        offset = 0
        for block_flags, runs in self.blocks:
            if parts:
                parts.append("\n\n")
                offset += 2
            block_start = offset
            run_spans: list[tuple[int, int, int]] = []
            for text, flags in runs:
                end = offset + len(text)
                if flags:
                    run_spans.append((offset, end, flags))
                parts.append(text)
                offset = end
            if block_flags:
                for flag, style in _FLAG_STYLES:
                    if block_flags & flag:
                        spans.append(Span(block_start, offset, style))
            for flag, style in _FLAG_STYLES:
                span_start = span_end = -1
                for start, end, flags in run_spans:
                    if not flags & flag:
                        continue
                    if start == span_end and flag != _LINK:  # one span per link, always
                        span_end = end
                        continue
                    if span_start >= 0:
                        spans.append(Span(span_start, span_end, style))
                    span_start, span_end = start, end
                if span_start >= 0:
                    spans.append(Span(span_start, span_end, style))
        return Rendered(Text("".join(parts), spans=spans), tuple(self.links))


def _href(attrs: str) -> str:
    """The entity-decoded href of a tag's attribute string, or '' (the first one wins)."""
    for match in _ATTR.finditer(attrs):
        name, double, single, bare = match.groups()
        if name.lower() == "href":
            value = double if double is not None else single if single is not None else bare
            return unescape(value or "").strip()
    return ""


def _is_truncation(shown: str, href: str) -> bool:
    """True if ``shown`` is HN's shortened form of ``href`` ("https://x.com/a/ver...")."""
    for ellipsis in _ELLIPSES:
        if shown.endswith(ellipsis):
            prefix = shown[: -len(ellipsis)]
            return bool(prefix) and href.startswith(prefix)
    return False


def render_html(html: str | None) -> Rendered:
    """Render HN comment HTML to styled text plus its safe link targets. Never raises."""
    if not html:
        return Rendered(Text(), ())
    renderer = _Renderer()
    renderer.feed(html)
    return renderer.build()


def html_to_plain(html: str | None) -> str:
    """Plain text of a comment, as shown on screen (for search and Markdown export): the
    same renderer without the styled text (the cache writes this for every comment it
    indexes; the spans and Rich's copy were ~30 % of that)."""
    if not html:
        return ""
    renderer = _Renderer()
    renderer.feed(html)
    return renderer.plain()
