"""A thread written out as JSON or Markdown (for ``hnterm dump``): pure functions of the model.

JSON keeps every item in the API's own (Firebase) form, so an export can be read back with the
same parser, plus the reply tree as the reader sees it. Markdown is for people: the story, then
the comments as nested list items with author and age. All text comes through the comment
renderer, so it is already free of escape sequences and control characters, and it is escaped
for Markdown here, so a comment can neither inject HTML nor break the list structure.

Both are safe to print to a terminal: Markdown passes ``sanitize`` as a whole, and the JSON
writer escapes every character ``sanitize`` would remove (C0 and C1 controls, DEL, bidi and
zero-width characters, lone surrogates) as ``\\uXXXX``, so the data stays whole but no raw
control byte reaches stdout. JSON's text is ``json.dumps(indent=2)``'s, written by orjson where
it can; a thread too deep for both is written by ``encode``, which keeps its own stack instead
of recursing (``json.dumps`` with ``indent`` fails past ~500 levels, orjson past 254).
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterator
from typing import Any

from rich.text import Span

from hnterm.model.format import age, plural
from hnterm.model.items import Item, item_to_json
from hnterm.model.thread import Thread
from hnterm.render.text import STYLES, is_safe_url, render_html, sanitize

HN_ITEM = "https://news.ycombinator.com/item?id={}"


# -- JSON ----------------------------------------------------------------------------------


def thread_to_dict(thread: Thread, *, requested: int | None = None) -> dict[str, Any]:
    """``{"root", "comments", "complete", "missing", "items", "tree"}``.

    ``items`` maps each id (as a string, JSON's only key type) to the item as the API sent it,
    in reading order; ``tree`` nests ids the way replies nest (``{"id": 1, "replies": [...]}``);
    ``requested`` is the id asked for, when it was a comment rather than the story.
    """
    missing = thread.missing_kids()
    out: dict[str, Any] = {"root": thread.root_id}
    if requested is not None and requested != thread.root_id:
        out["requested"] = requested
    out["comments"] = len(thread)
    out["complete"] = thread.root is not None and not missing
    out["missing"] = missing
    items = {str(i): item_to_json(thread.items[i]) for i in thread.order()}
    for option in thread.poll_options():
        items[str(option.id)] = item_to_json(option)
    out["items"] = items
    out["tree"] = _tree(thread)
    return out


INDENT = 2  # the one indent orjson writes (OPT_INDENT_2)


def to_json(thread: Thread, *, requested: int | None = None) -> str:
    """``thread_to_dict`` as terminal-safe JSON, one key per line: the text of
    ``json.dumps(data, ensure_ascii=False, indent=2)``, then every unsafe character escaped
    (they can only stand inside strings, JSON's own syntax is ASCII).

    orjson writes it (the client's decoder already): json's indenting encoder is pure Python,
    ~40 ms of a 3,000-comment dump after its last answer, orjson's ~2 ms. Where orjson refuses
    (a lone surrogate, an int over 64 bits, deeper than 254 levels) ``json.dumps`` writes the
    same text, and a thread too deep for its recursion takes ``encode`` (no depth limit)."""
    import orjson  # (the client imported it for the answers; an offline dump pays it here)

    data = thread_to_dict(thread, requested=requested)
    try:
        text = orjson.dumps(data, option=orjson.OPT_INDENT_2).decode()
    except orjson.JSONEncodeError:
        try:
            text = json.dumps(data, ensure_ascii=False, indent=INDENT)
        except RecursionError:
            return encode(data, INDENT)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


# Characters sanitize() removes that JSON (with ensure_ascii off) would write raw: DEL, C1
# (U+009B is a one-byte CSI), ALM, zero-width and bidi controls, line/paragraph separators,
# BOM and lone surrogates (which cannot even be encoded as UTF-8). C0 controls are escaped by
# JSON itself. tests/unit/test_hostile_round_two.py checks this covers what sanitize drops.
_JSON_UNSAFE = re.compile(
    "[\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ud800-\udfff]"
)
_END = object()


def json_string(text: str) -> str:
    """A JSON string literal holding ``text`` exactly, with nothing a terminal acts on."""
    literal = json.dumps(text, ensure_ascii=False)
    if _JSON_UNSAFE.search(literal) is None:
        return literal
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", literal)


def _scalar(value: Any) -> str:
    if isinstance(value, str):
        return json_string(value)
    return json.dumps(value)  # numbers, booleans, None


def encode(value: Any, indent: int = 1) -> str:
    """``json.dumps(value, ensure_ascii=False, indent=indent)``, character for character for
    safe text, but written with an explicit stack (no recursion, so no depth limit) and with
    terminal-unsafe characters escaped (``json_string``). Dict keys must be str or int."""
    out: list[str] = []
    # Open containers: [children as (key or None, value), closing bracket, depth, first?]
    stack: list[list[Any]] = []

    def start(item: Any, depth: int) -> None:
        if isinstance(item, dict):
            children: Iterator[tuple[Any, Any]] = iter(item.items())
            brackets = "{}"
        elif isinstance(item, list | tuple):
            children = ((None, child) for child in item)
            brackets = "[]"
        else:
            out.append(_scalar(item))
            return
        if not item:
            out.append(brackets)
            return
        out.append(brackets[0])
        stack.append([children, brackets[1], depth, True])

    start(value, 0)
    while stack:
        frame = stack[-1]
        children, closer, depth, first = frame
        entry: Any = next(children, _END)
        if entry is _END:
            stack.pop()
            out.append("\n" + " " * (indent * depth) + closer)
            continue
        frame[3] = False
        out.append(("\n" if first else ",\n") + " " * (indent * (depth + 1)))
        key, child = entry
        if key is not None:
            out.append(json_string(str(key)) + ": ")
        start(child, depth + 1)
    return "".join(out)


def _tree(thread: Thread) -> dict[str, Any] | None:
    """The reply tree as nested dicts, built without recursion (threads can be deep)."""
    if thread.root_id not in thread:
        return None
    top: dict[str, Any] = {"id": thread.root_id, "replies": []}
    stack = [top]
    while stack:
        node = stack.pop()
        for kid in thread.children(node["id"]):
            child: dict[str, Any] = {"id": kid, "replies": []}
            node["replies"].append(child)
            stack.append(child)
    return top


# -- Markdown ------------------------------------------------------------------------------

_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~&])")  # anywhere they could start markup
_LINE_START = re.compile(r"^([ \t]*)([-+=]|\d+[.)])", re.MULTILINE)  # lists, headings


def escape(text: str) -> str:
    """Plain text that Markdown shows as it is (no emphasis, links, HTML or list items)."""
    return _LINE_START.sub(_escape_line_start, _SPECIAL.sub(r"\\\1", text))


def _escape_line_start(match: re.Match[str]) -> str:
    marker = match.group(2)
    return f"{match.group(1)}{marker[:-1]}\\{marker[-1]}"


def _link(url: str) -> str:
    """An autolink for a safe URL, else the URL as escaped text."""
    if is_safe_url(url) and not re.search(r"[\s<>]", url):
        return f"<{url}>"
    return escape(url)


def _inline(plain: str, spans: list[Span], start: int, end: int) -> str:
    """Markdown for plain[start:end], with italic, bold and link spans kept."""
    cuts = {start, end}
    for span in spans:
        if span.end > start and span.start < end:
            cuts.update((max(span.start, start), min(span.end, end)))
    points = sorted(cuts)
    out: list[str] = []
    for left, right in itertools.pairwise(points):
        piece = plain[left:right]
        styles = [s.style for s in spans if s.start <= left and s.end >= right]
        if STYLES["link"] in styles:
            out.append(_link(piece))
            continue
        marker = ("*" if STYLES["italic"] in styles else "") + (
            "**" if STYLES["bold"] in styles else ""
        )
        core = piece.strip()
        if not marker or not core:
            out.append(escape(piece))
            continue
        lead = piece[: len(piece) - len(piece.lstrip())]
        trail = piece[len(piece.rstrip()) :]
        out.append(f"{lead}{marker}{escape(core)}{marker[::-1]}{trail}")
    return "".join(out).replace("\n", "\\\n")


def _fence(code: str) -> str:
    """A code fence longer than any run of backticks inside the code."""
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    return "`" * max(3, longest + 1)


def text_blocks(html: str | None) -> list[str]:
    """Markdown blocks (paragraphs, quotes, fenced code) for an item's HTML text."""
    rendered = render_html(html)
    plain = rendered.text.plain
    spans = list(rendered.text.spans)
    code = [(s.start, s.end) for s in spans if s.style == STYLES["code"]]
    inline_spans = [s for s in spans if s.style in (STYLES["italic"], STYLES["bold"])]
    inline_spans += [s for s in spans if s.style == STYLES["link"]]
    blocks: list[str] = []
    position = 0
    for code_start, code_end in [*code, (len(plain), len(plain))]:
        for start, end in _paragraphs(plain, position, code_start):
            text = plain[start:end]
            if text.startswith(">"):
                stripped = len(text) - len(text.lstrip("> "))
                blocks.append("> " + _inline(plain, inline_spans, start + stripped, end))
            else:
                blocks.append(_inline(plain, inline_spans, start, end))
        if code_end > code_start:
            body = plain[code_start:code_end]
            fence = _fence(body)
            blocks.append(f"{fence}\n{body}\n{fence}")
        position = code_end
    return [block for block in blocks if block.strip()]


def _paragraphs(plain: str, start: int, end: int) -> list[tuple[int, int]]:
    """Ranges of the blank-line separated paragraphs in plain[start:end]."""
    ranges = []
    position = start
    while position < end:
        stop = plain.find("\n\n", position, end)
        stop = end if stop < 0 else stop
        if plain[position:stop].strip():
            ranges.append((position, stop))
        position = stop + 2
    return ranges


def _indented(block: str, prefix: str) -> str:
    return "\n".join(prefix + line if line else "" for line in block.split("\n"))


def _byline(item: Item, thread: Thread, now: float | None) -> str:
    parts = [f"**{escape(sanitize(item.by))}**" if item.by else "*unknown*"]
    if item.by and thread.root is not None and item.by == thread.root.by:
        parts.append("(OP)")
    parts.append(age(item.time, now))
    if item.dead:
        parts.append("*\\[dead\\]*")
    parts.append(f"[link]({HN_ITEM.format(item.id)})")
    return " · ".join(parts)


def to_markdown(thread: Thread, *, now: float | None = None) -> str:
    """The story (title, meta, URL, text, poll options) and its comments as nested lists."""
    root = thread.root
    if root is None:
        return f"# Item {thread.root_id}\n\n*Not loaded.*\n"
    lines: list[str] = [f"# {escape(sanitize(root.title or f'Item {root.id}'))}", ""]
    meta = []
    if root.type != "job":
        meta.append(plural(root.score or 0, "point"))
    if root.by:
        meta.append(f"by {escape(sanitize(root.by))}")
    meta.append(age(root.time, now))
    if root.type != "job":
        meta.append(plural(len(thread), "comment"))
    lines += [" · ".join(meta), ""]
    if root.url:
        lines += [_link(sanitize(root.url)), ""]
    lines += [f"On Hacker News: <{HN_ITEM.format(root.id)}>", ""]
    for block in text_blocks(root.text):
        lines += [block, ""]
    options = thread.poll_options()
    if options:
        lines += ["Poll:", ""]
        for option in options:
            text = " ".join(text_blocks(option.text)) or "*(no text)*"
            lines.append(f"- {text} — {plural(option.score or 0, 'point')}")
        lines.append("")
    missing = thread.missing_kids()
    if missing:
        lines += [f"*{plural(len(missing), 'reply', 'replies')} could not be loaded.*", ""]
    if thread.children(thread.root_id):
        lines += ["---", ""]
    # Depth-first without recursion: (item, nesting level) in reading order.
    stack = [(kid, 0) for kid in reversed(thread.children(thread.root_id))]
    while stack:
        item_id, level = stack.pop()
        item = thread.items[item_id]
        prefix = "  " * level
        if item.deleted:
            lines += [f"{prefix}- *\\[deleted\\]*", ""]
        else:
            lines += [f"{prefix}- {_byline(item, thread, now)}", ""]
            for block in text_blocks(item.text):
                lines += [_indented(block, prefix + "  "), ""]
        stack.extend((kid, level + 1) for kid in reversed(thread.children(item_id)))
    # Everything above is sanitized piece by piece; once more over the whole is cheap (a
    # single regex search when clean) and makes the guarantee independent of each piece.
    return sanitize("\n".join(lines).rstrip("\n") + "\n")
