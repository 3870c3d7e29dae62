"""What the comment pane repaints: a load's batches and a cursor move redraw the lines that
changed, not the screen. A layout reflows and repaints every widget (12-24 ms a frame on a
140x45 screen), and a 3,000-comment load sends ~30 batches while the reader presses keys."""

from __future__ import annotations

from hnterm.ui.widgets.comment_view import CommentView

from tests.data import IBM
from tests.fakehn import FakeHN, generate_thread
from tests.ui.conftest import wait_loaded, wait_until

GENERATED = 90_000_000


async def test_batches_below_the_view_lay_nothing_out_and_the_scrollbar_follows(tmp_path):
    from hnterm.config import Config
    from hnterm.ui.app import HNApp

    with FakeHN(generate_thread(), delay=0.05) as server:
        app = HNApp(Config(api_url=server.url, cache_dir=tmp_path, item=GENERATED))
        async with app.run_test(size=(120, 40)) as pilot:
            view = app.screen.query_one(CommentView)
            await wait_until(
                pilot,
                lambda: view.show_vertical_scrollbar and app.screen.thread_loading,
                "a scrollbar while loading",
            )
            # The scrollbar's arrival is a layout (the scrollbar is shown and sized): from
            # the next batch on, only the length changes.
            shown = view.virtual_size.height
            await wait_until(pilot, lambda: view.virtual_size.height != shown, "a batch")
            await pilot.pause()
            layouts: list[object] = []
            app.screen.screen_layout_refresh_signal.subscribe(view, layouts.append)
            lengths = {view.virtual_size.height}

            def loaded() -> bool:
                lengths.add(view.virtual_size.height)
                return not app.screen.thread_loading

            await wait_until(pilot, loaded, "the load", limit=20)
            app.screen.screen_layout_refresh_signal.unsubscribe(view)
            assert len(lengths) >= 5  # batches kept making the pane longer...
            assert layouts == []  # ...and none of them laid the screen out
            await wait_loaded(pilot)
            layout = view.comment_layout
            assert view.virtual_size.height == layout.total
            assert view.vertical_scrollbar.window_virtual_size == layout.total
            await pilot.press("G")  # the end of the pane is the end of the thread
            assert view.cursor == layout.rows[-1]
            assert view.scroll_y == view.max_scroll_y > 0


async def test_a_cursor_move_on_screen_repaints_only_its_two_rows(make_app):
    app = make_app(IBM)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        view = app.screen.query_one(CommentView)
        await wait_until(pilot, lambda: view.comment_layout.exact, "every height measured")
        view.focus()
        await pilot.pause()
        drawn: list[int] = []
        render_line = view.render_line

        def spy(y: int):
            drawn.append(y)
            return render_line(y)

        view.render_line = spy  # type: ignore[method-assign]
        layout = view.comment_layout
        before = view.cursor
        await pilot.press("j")
        await pilot.pause()
        assert view.scroll_y == 0 and view.cursor != before
        spans = [layout.span(i) for i in (before, view.cursor)]
        lines = [y for first, end in spans for y in range(first, end)]
        assert sorted(drawn) == lines  # their lines of text, not the pane's 35 lines


async def test_the_storys_header_shows_the_refresh_once_the_load_ends(make_app):
    """The last batch changes the story's own row (``refreshed just now``): the rows it
    forgets are compared with what they showed before they were forgotten."""
    app = make_app(IBM)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        view = app.screen.query_one(CommentView)
        assert view.thread is not None and view.thread.refreshed is not None
        await pilot.pause()
        screen = app.export_screenshot().replace("&#160;", " ")
        assert "refreshed" in screen  # as drawn, not only as laid out
