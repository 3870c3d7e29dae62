"""The keys of the screens opened on demand: the dialogs and the article reader.

They live here, apart from their screens, because the app needs them at start: the config's
``[keys]`` is checked against every binding id (an unknown one is said), and help lists every
key. Their screens are imported when first opened (``TextArea``, the article's services and
the rest stay out of the start), and this module imports nothing but ``Binding``.

Ids are the place and the action, as everywhere (``reply.send``, ``article.links``).
"""

from __future__ import annotations

from textual.binding import Binding

ARTICLE = [
    Binding("escape,b,q", "close", "Back", id="article.close"),
    Binding("o", "links", "Links", id="article.links"),
    Binding("O", "open_page", "Open in browser", id="article.open_page"),
    Binding("r", "reload", "Fetch again", show=False, id="article.reload"),
    Binding("j,down", "scroll(1)", "Down", show=False, id="article.down"),
    Binding("k,up", "scroll(-1)", "Up", show=False, id="article.up"),
    Binding("space,pagedown", "page(1)", "Page down", show=False, id="article.page_down"),
    Binding("pageup", "page(-1)", "Page up", show=False, id="article.page_up"),
    Binding("g,home", "edge(0)", "Top", show=False, id="article.top"),
    Binding("G,end", "edge(1)", "Bottom", show=False, id="article.bottom"),
]
SEARCH = [  # the cache's search and the search of all of HN
    Binding("escape", "cancel", "Close", id="search.cancel"),
    Binding("down", "results", "Results", show=False, id="search.results"),
]
OPEN_ITEM = [Binding("escape", "cancel", "Close", id="open_item.cancel")]
NARROW = [Binding("escape", "cancel", "Close", id="narrow.cancel")]
PROFILE = [Binding("escape,q", "cancel", "Close", id="profile.cancel")]
REPLY = [
    Binding("ctrl+s", "send", "Send", id="reply.send"),
    Binding("escape", "close", "Close (keep the draft)", id="reply.close"),
    # priority: the TextArea has focus and binds ctrl+e itself (to the line's end, which
    # `end` still does), so without it ctrl+e never reached this screen
    Binding("ctrl+e", "editor", "Edit in $EDITOR", show=False, priority=True, id="reply.editor"),
]
SUBMIT = [
    Binding("ctrl+s", "send", "Submit", id="submit.send"),
    Binding("escape", "close", "Close", id="submit.close"),
]
HELP = [Binding("escape,q,question_mark", "dismiss", "Close help", id="help.close")]

# Where each set works, as help titles it (and the keymap's clash messages name it).
GROUPS = [
    ("Article reader", ARTICLE),
    ("Search dialogs", SEARCH),
    ("Open item prompt", OPEN_ITEM),
    ("Narrow prompt", NARROW),
    ("Profile view", PROFILE),
    ("Reply dialog", REPLY),
    ("Submit dialog", SUBMIT),
    ("Help screen", HELP),
]
