"""Whether a link can be opened in a browser here, so the app never claims it did when not.

Python's ``webbrowser`` falls back to text browsers (lynx, w3m) that would take over the
terminal hnterm is drawing on, and over SSH it finds nothing useful at all. So a browser is
used only where a graphical one can exist (a display, macOS, Windows) or ``$BROWSER`` says
which to use; elsewhere the app copies the link instead and says so.
"""

from __future__ import annotations

import os
import sys
import webbrowser

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
