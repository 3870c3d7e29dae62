"""What one row of the comment pane says: the story header or a comment, as rich Text.

Kept apart from the widget (and free of Textual) so the wording, numbering of links and
search highlighting can be tested and changed without touching layout or scrolling code.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.style import Style
from rich.text import Text

from hnterm.model.format import age, domain, plural
from hnterm.model.items import Item
from hnterm.model.thread import Thread
from hnterm.render.text import STYLES, Rendered, StyleOf, render_html, sanitize, themed


@dataclass(frozen=True)
class Highlight:
    """What a search matched: words in comment text and/or an author."""

    words: tuple[str, ...] = ()
    author: str | None = None
    ids: frozenset[int] = field(default_factory=frozenset)


def numbered(rendered: Rendered, marker: Style) -> Text:
    """The comment text with ``[n]`` after each link, n counting from 1 in ``links`` order,
    so a reader can open link n with ``o`` then n."""
    if not rendered.links:
        return rendered.text
    number = {url: n for n, url in enumerate(rendered.links, start=1)}
    text = rendered.text
    link_spans = sorted(
        (span for span in text.spans if span.style == STYLES["link"]), key=lambda s: s.end
    )
    out = Text()
    position = 0
    for span in link_spans:
        url = text.plain[span.start : span.end]
        if url not in number:
            continue
        out.append_text(text[position : span.end])
        out.append(f"[{number[url]}]", marker)
        position = span.end
    out.append_text(text[position:])
    return out


def depth_marker(depth: int) -> str:
    """``{3}``: how deep a comment sits, as the reference reader pages write it."""
    return f"{{{depth}}}"


def replies_line(thread: Thread, item_id: int, style: StyleOf) -> Text | None:
    """``replies(3): >>42131553 >>42131787 >>42134352``, the replies in display order (the
    n-th is what ``>`` then n follows); None for a comment without replies."""
    replies = thread.children(item_id)
    if not replies:
        return None
    text = Text(f"replies({len(replies)}):", style("meta"))
    for reply in replies:
        text.append(" ")
        text.append(f">>{reply}", style("reply-link"))
    return text


def comment_header(
    thread: Thread,
    item: Item,
    style: StyleOf,
    highlight: Highlight,
    *,
    ids: bool = False,
    folded: bool | None = None,
) -> Text:
    """Marker, author (OP marked), age, reply count, depth, and what collapsing hid.

    Kept apart from the body because it changes often (replies arrive, collapse toggles)
    while the body, the costly part to wrap, does not. With ``ids`` the depth reads ``{3}``
    and the comment's id follows, so the ``>>id`` of a replies line can be found on screen.
    ``folded`` overrides the thread's collapse state (an ancestor shown above a subthread).
    """
    collapsed = thread.is_collapsed(item.id) if folded is None else folded
    replies = len(thread.children(item.id))
    text = Text()
    text.append("▸ " if collapsed else ("▾ " if replies else "· "), style("marker"))
    matched = item.id in highlight.ids
    if item.deleted:
        text.append("[deleted]", style("gone"))
    else:
        root = thread.root
        is_op = root is not None and item.by is not None and item.by == root.by
        author_style = style("op" if is_op else "author")
        if matched and highlight.author is not None:
            author_style += style("match")
        text.append(sanitize(item.by or "?"), author_style)
        if is_op:
            text.append(" OP", style("op"))
        if item.dead:
            text.append(" [dead]", style("gone"))
    if item.id in thread.mine or item.id in thread.voted:  # your HN account's marks
        text.append(" (you)" if item.id in thread.mine else " ▲ voted", style("new"))
    if thread.is_new(item.id):
        text.append(" new", style("new"))
    meta = f"  {age(item.time)}"
    if replies:
        meta += f" · {plural(replies, 'reply', 'replies')}"
    depth = thread.depth_of.get(item.id, 1)
    if ids:
        meta += f" · {depth_marker(depth)} #{item.id}"
    elif depth > 1:
        meta += f" · L{depth}"
    text.append(meta, style("meta"))
    if collapsed:
        text.append(f"  [+{thread.subtree_size(item.id)} hidden]", style("hidden"))
    return text


def comment_body(item: Item, style: StyleOf, highlight: Highlight) -> Text | None:
    """The rendered comment, links numbered, search words highlighted; None when empty."""
    if not item.text or item.deleted:
        return None
    body = themed(numbered(render_html(item.text), style("meta")), style)
    if item.dead:
        body.stylize(style("gone"))
    if item.id in highlight.ids and highlight.words:
        body.highlight_words(highlight.words, style("match"), case_sensitive=False)
    return body


def chain_line(thread: Thread, item: Item, style: StyleOf) -> Text:
    """An ancestor folded to one line above a subthread: depth, author, age and the start
    of its text (the story: its title). The caller cuts it to the width."""
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append("▸ ", style("marker"))
    if item.id == thread.root_id:
        text.append(sanitize(item.title or f"[{item.type} {item.id}]"), style("title"))
        return text
    text.append(f"{depth_marker(thread.depth_of.get(item.id, 1))} ", style("meta"))
    if item.deleted:
        text.append("[deleted]", style("gone"))
        return text
    text.append(sanitize(item.by or "?"), style("author"))
    text.append(f" {age(item.time)} · ", style("meta"))
    text.append(" ".join(render_html(item.text).text.plain.split()) if item.text else "")
    return text


def chain_header(thread: Thread, item: Item, style: StyleOf, *, chosen: bool) -> Text:
    """One comment's header in the context view: ``{3} author OP · 2h ago · #id``, and a
    mark on the comment the reader asked about."""
    text = Text()
    text.append(f"{depth_marker(thread.depth_of.get(item.id, 1))} ", style("meta"))
    if item.deleted:
        text.append("[deleted]", style("gone"))
    else:
        root = thread.root
        is_op = root is not None and item.by is not None and item.by == root.by
        text.append(sanitize(item.by or "?"), style("op" if is_op else "author"))
        if is_op:
            text.append(" OP", style("op"))
        if item.dead:
            text.append(" [dead]", style("gone"))
    text.append(f"  {age(item.time)} · #{item.id}", style("meta"))
    if chosen:
        text.append("  ◆ this comment", style("chosen"))
    return text


def story_text(thread: Thread, item: Item, style: StyleOf, note: str | None = None) -> Text:
    """The thread header: title, meta, URL, the post's own text, poll options, and a
    ``note`` on the comments ("No comments yet", "88 comments not in the cache")."""
    text = Text()
    text.append(sanitize(item.title or f"[{item.type} {item.id}]"), style("title"))
    site = domain(item.url)
    if site:
        text.append(f" ({sanitize(site)})", style("meta"))
    text.append("\n")
    meta = [f"{item.score or 0} points" if item.type != "job" else "job"]
    if item.by:
        meta.append(f"by {sanitize(item.by)}")
    meta.append(age(item.time))
    if item.type != "job":
        meta.append(plural(item.descendants or 0, "comment"))
    if thread.saved:
        meta.append("saved for offline")
    if thread.refreshed is not None:
        meta.append(f"refreshed {age(int(thread.refreshed))}")
    new = len(thread.new_ids())
    if new:
        meta.append(f"{new} new since your last visit")
    text.append(" · ".join(meta), style("meta"))
    if item.url:
        text.append("\n")
        text.append(sanitize(item.url), style("url"))
    if item.text:
        text.append("\n\n")
        text.append_text(themed(numbered(render_html(item.text), style("meta")), style))
    for option in thread.poll_options():
        text.append("\n  • ")
        text.append_text(themed(render_html(option.text).text, style))
        text.append(f" — {plural(option.score or 0, 'vote')}", style("meta"))
    if note:
        text.append(f"\n\n{note}", style("meta"))
    return text


def links_of(item: Item) -> tuple[str, ...]:
    """The links of an item's text, in the order they are numbered on screen."""
    return render_html(item.text).links if item.text and not item.deleted else ()


def preview(item: Item, width: int = 80) -> Text:
    """One line about an item for jump lists: author, age and the start of its text."""
    text = Text(no_wrap=True, overflow="ellipsis")
    if item.title:
        text.append(sanitize(item.title), "bold")
        return text
    if item.deleted:
        text.append("[deleted]", "dim italic")
        return text
    text.append(sanitize(item.by or "?"), "bold")
    text.append(f"  {age(item.time)}  ", "dim")
    body = render_html(item.text).text.plain.replace("\n", " ")
    text.append(body[:width])
    return text


def filtered_line(reason: str, style: StyleOf) -> Text:
    """A comment the config's filters fold: one line saying why (the fold key opens it)."""
    text = Text()
    text.append("▸ ", style("marker"))
    text.append(f"filtered: {sanitize(reason)}", style("hidden"))
    return text
