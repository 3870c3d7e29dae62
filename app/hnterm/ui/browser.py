"""Whether a link can be opened in a browser here, so the app never claims it did when not.

Python's ``webbrowser`` falls back to text browsers (lynx, w3m) that would take over the
terminal hnterm is drawing on, and over SSH it finds nothing useful at all. So a browser is
used only where a graphical one can exist (a display, macOS, Windows) or ``$BROWSER`` says
which to use; elsewhere the app copies the link instead and says so.
"""

from __future__ import annotations

import io
import os
import sys
import webbrowser

from textual.app import App

from hnterm.render.text import sanitize

GRAPHICAL_ENV = ("DISPLAY", "WAYLAND_DISPLAY")


def browser_available() -> bool:
    if os.environ.get("BROWSER"):
        return True
    if sys.platform not in ("darwin", "win32") and not any(
        os.environ.get(name) for name in GRAPHICAL_ENV
    ):
        return False
    try:
        webbrowser.get()
    except webbrowser.Error:
        return False
    return True


def open_or_copy(app: App[object], url: str) -> str:
    """Send ``url`` to the browser, or where there is none copy it to the clipboard (OSC 52);
    what happened, with the URL (sanitised), for the status line. Served to a browser
    (``hnterm serve``), the page the app is drawn in opens it in a new tab."""
    shown = sanitize(url)
    if app.is_web:
        app.open_url(url)
        return f"Opened in a new browser tab: {shown}"
    if not browser_available():
        app.copy_to_clipboard(url)
        return f"No browser here: copied {shown} to the clipboard"
    app.open_url(url)
    return f"Sent to the browser: {shown}"


def copy_or_download(app: App[object], text: str, filename: str, what: str) -> str:
    """Copy ``text`` to the clipboard (OSC 52); served to a browser, where a page may not
    write the clipboard (any address but loopback), hand it over as a download of
    ``filename`` instead. What happened, for the status line."""
    if app.is_web:
        app.deliver_text(io.StringIO(text), save_filename=filename, mime_type="text/plain")
        return f"Downloading {what} as {filename}"
    app.copy_to_clipboard(text)
    return f"Copied {what}"
