"""Who is hiring, in the reader: the palette's "Who is hiring?" asks what to look for, finds
the latest thread by ``whoishiring`` (``Gateway.find_hiring``) and opens it narrowed (``hnterm
hiring QUERY`` starts the reader on it: ``hnterm.ui.hiring_app``). Posts new since the last
visit carry the new-comment mark, as in any thread."""

from __future__ import annotations

from textual.app import App, SystemCommand

from hnterm.model.errors import CacheError, HNError
from hnterm.services.hiring import HiringError
from hnterm.ui.screens.main import MainScreen
from hnterm.ui.screens.narrow import NarrowScreen


def hiring_command(app: App[None]) -> SystemCommand:
    """The palette's "Who is hiring?": what to look for, then the thread narrowed to it."""

    def ask() -> None:
        app.push_screen(NarrowScreen(), lambda query: _open_latest(app, query))

    return SystemCommand(
        "Who is hiring?",
        'The latest "Ask HN: Who is hiring?" thread, narrowed to what you look for',
        ask,
    )


def _open_latest(app: App[None], query: str | None) -> None:
    if query is not None:
        app.run_worker(_find_and_open(app, query), group="hiring", exclusive=True)


async def _find_and_open(app: App[None], query: str) -> None:
    screen = app.screen
    if not isinstance(screen, MainScreen):
        return
    pane = screen.thread_pane
    pane.show_status('Looking for the latest "Who is hiring?" thread…')
    try:
        found = await pane.gateway.find_hiring()
    except (HiringError, HNError, CacheError) as exc:
        pane.show_status(str(exc), error=True)
        return
    if found.note:
        app.notify(found.note, severity="warning", markup=False)
    pane.open_narrowed(found.story, query, force=True)  # posts arrive all month
    pane.view.focus()
