"""The submit dialog (``P``): a title, and a link or text, as HN's submit form takes them."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, TextArea

from hnterm.render.text import is_safe_url
from hnterm.ui.screens import dialog_keys
from hnterm.ui.screens.help import keys_for

TITLE_LIMIT = 80  # characters HN takes in a title


@dataclass(frozen=True)
class Submission:
    title: str
    url: str = ""
    text: str = ""


class SubmitScreen(ModalScreen[Submission | None]):
    """Returns what to submit, or None. Checks what HN would refuse before anything is sent:
    no title, a title too long, a link that is not http(s)."""

    BINDINGS = [*dialog_keys.SUBMIT]

    def compose(self) -> ComposeResult:
        with Vertical(id="submit-body"):
            yield Label(Text("Submit a story to Hacker News"), id="submit-title")
            yield Input(placeholder="title", id="submit-story-title", max_length=TITLE_LIMIT)
            yield Input(
                placeholder="url (or leave empty and write the text below)", id="submit-url"
            )
            yield TextArea("", id="submit-text", soft_wrap=True, show_line_numbers=False)
            yield Label("", id="submit-help")
            yield Label("", id="submit-error")

    def on_mount(self) -> None:
        """The help line names the keys as the keymap has them."""
        self.query_one("#submit-story-title", Input).focus()
        help_line = f"{keys_for(self, 'send')} submit · {keys_for(self, 'close')} close"
        self.query_one("#submit-help", Label).update(Text(help_line))

    def action_send(self) -> None:
        title = self.query_one("#submit-story-title", Input).value.strip()
        url = self.query_one("#submit-url", Input).value.strip()
        text = self.query_one("#submit-text", TextArea).text.strip()
        problem = _problem(title, url, text)
        if problem:
            self.query_one("#submit-error", Label).update(Text(problem))
            return
        self.dismiss(Submission(title, url, text))

    def action_close(self) -> None:
        self.dismiss(None)


def _problem(title: str, url: str, text: str) -> str | None:
    if not title:
        return "A story needs a title"
    if url and not is_safe_url(url):
        return "The link must be an http(s) URL"
    if not url and not text:
        return "Give a link or some text"
    return None
