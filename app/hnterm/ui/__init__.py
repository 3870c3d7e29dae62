"""The Textual UI. Every module that imports Textual is in this package (an import-linter
contract), so what is set here comes before Textual reads its settings."""

import os

# Textual draws a frame at most TEXTUAL_FPS times a second (its documented variable, read
# once at import; 60 by default), and a frame that follows a pause waits one to two periods
# for its slot: at 60, a key pressed just after another change (the status line, a batch of
# a load) waited up to 33 ms for its frame; at 240 the wait is ~4-8 ms. Frames are still
# drawn only when something changed: an idle app draws none. A reader's own setting wins.
os.environ.setdefault("TEXTUAL_FPS", "240")
