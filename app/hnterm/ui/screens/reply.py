"""The reply dialog: the comment being answered quoted above a TextArea.

Every pause in typing writes the draft to the cache (``DRAFT_DELAY`` after the last key), so a
crash, a quit or a failed submit loses nothing; ``ctrl+s`` sends, ``escape`` closes and keeps the
draft, ``ctrl+e`` edits the text in ``$EDITOR`` when one is set (not in a browser tab: there the
TextArea is the editor).
"""

from __future__ import annotations

import contextlib
import os
import shlex
import subprocess
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Label, Static, TextArea

from hnterm.ui.screens import dialog_keys
from hnterm.ui.screens.help import keys_for

DRAFT_DELAY = 0.4  # seconds after the last key before the draft is written


class ReplyScreen(ModalScreen[str | None]):
    """Returns the text to send, or None (closed: the draft stays)."""

    BINDINGS = [*dialog_keys.REPLY]

    def __init__(
        self, title: str, quoted: Text, draft: str, save: Callable[[str], Awaitable[object]]
    ) -> None:
        super().__init__()
        self.title_text = title
        self.quoted = quoted
        self.draft = draft
        self.save = save
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(self.title_text), id="reply-title")
            yield Static(self.quoted, id="reply-quote", markup=False)
            yield TextArea(self.draft, id="reply-text", soft_wrap=True, show_line_numbers=False)
            yield Label("", id="reply-help")

    def on_mount(self) -> None:
        """The title and the help line name the keys as the keymap has them."""
        self.query_one(TextArea).focus()
        send = keys_for(self, "send")
        self.query_one("#reply-title", Label).update(Text(f"{self.title_text} ({send} sends)"))
        editor = f" · {keys_for(self, 'editor')} $EDITOR" if self.editor_command() else ""
        close = keys_for(self, "close")
        help_line = f"{send} send · {close} close (the draft is kept){editor}"
        self.query_one("#reply-help", Label).update(Text(help_line))

    @property
    def text(self) -> str:
        return self.query_one(TextArea).text

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DRAFT_DELAY, self._save_draft)

    async def _save_draft(self) -> None:
        self._timer = None
        await self.save(self.text)

    async def action_send(self) -> None:
        text = self.text
        if not text.strip():
            self.notify("Nothing to send", markup=False)
            return
        await self.save(text)  # kept until HN has taken it
        self.dismiss(text)

    async def action_close(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        await self.save(self.text)
        self.dismiss(None)

    def editor_command(self) -> str:
        """``$EDITOR``, or "" where none can run: not set, or served to a browser (the editor
        would start on the server, with no terminal to draw on)."""
        return "" if self.app.is_web else os.environ.get("EDITOR", "").strip()

    async def action_editor(self) -> None:
        """Hand the text to ``$EDITOR`` (the terminal is given back while it runs)."""
        command = self.editor_command()
        if not command:
            why = (
                "In a browser tab there is no terminal for $EDITOR: write the reply here"
                if self.app.is_web
                else "$EDITOR is not set"
            )
            self.notify(why, markup=False)
            return
        with tempfile.TemporaryDirectory(prefix="hnterm-") as folder:
            path = Path(folder) / "reply.txt"
            path.write_text(self.text, encoding="utf-8")
            try:
                with self.app.suspend():
                    subprocess.run([*shlex.split(command), str(path)], check=False)
            except (OSError, ValueError) as exc:
                self.notify(f"$EDITOR did not run: {exc}", severity="error", markup=False)
                return
            with contextlib.suppress(OSError, UnicodeDecodeError):
                self.query_one(TextArea).text = path.read_text(encoding="utf-8")
