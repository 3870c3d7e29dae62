"""How the comment pane draws and hears the mouse, the way Textual's Line-API widgets do: each
drawn cell says which comment it belongs to (segment meta), so a click is read from what was
drawn, not from recomputed geometry; and drawn lines are cached for the whole pane, however
tall, so a repaint draws nothing it drew before."""

from __future__ import annotations

from hnterm.ui.widgets.comment_view import CommentView

from tests.data import IBM
from tests.ui.conftest import wait_loaded


def marker_cell(app, item_id: int) -> tuple[int, int] | None:
    """Where on screen the fold marker of ``item_id`` is drawn, read from the cells' meta."""
    width, height = app.screen.size
    for y in range(height):
        for x in range(width):
            meta = app.screen.get_style_at(x, y).meta
            if meta.get("item") == item_id and meta.get("toggle"):
                return x, y
    return None


async def test_a_click_on_a_fold_marker_folds_and_one_on_the_text_focuses(make_app):
    app = make_app(IBM)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        view = app.screen.query_one(CommentView)
        thread = view.thread
        first = thread.children(IBM)[0]
        view.scroll_to(y=view.comment_layout.top(first), animate=False, immediate=True)
        await pilot.pause()
        where = marker_cell(app, first)
        assert where is not None  # the marker's cell names its comment and folds it
        x, y = where
        await pilot.click(offset=(x + 10, y))  # the author's name, on the same line
        assert view.cursor == first and not thread.is_collapsed(first)
        assert app.screen.get_style_at(x + 10, y).meta == {"item": first}
        await pilot.click(offset=(x, y))
        assert thread.is_collapsed(first) and view.cursor == first
        await pilot.pause()
        where = marker_cell(app, first)
        assert where is not None
        await pilot.click(offset=where)  # the ▸ marker opens it again
        assert not thread.is_collapsed(first)


async def test_a_tall_pane_repaints_from_its_line_cache(make_app):
    app = make_app(IBM)
    async with app.run_test(size=(120, 152)) as pilot:
        await wait_loaded(pilot)
        view = app.screen.query_one(CommentView)
        height = view.scrollable_content_region.height
        assert height >= 145 and view.virtual_size.height > height
        first = [view.render_line(y) for y in range(height)]
        again = [view.render_line(y) for y in range(height)]
        redrawn = [y for y in range(height) if again[y] is not first[y]]
        assert redrawn == []  # every line came from the cache: nothing drawn twice
        await pilot.press("j")  # the cursor moves: only its two rows are drawn again
        assert view.scroll_y == 0
        moved = [view.render_line(y) for y in range(height)]
        layout = view.comment_layout
        changed = {layout.rows[layout.row_at(y)] for y in range(height) if moved[y] is not again[y]}
        assert changed == {IBM, view.cursor}
