"""The comment pane's history as a browser's: pure, so its rules are tested alone."""

from __future__ import annotations

from hnterm.model.history import History, Place


def test_back_and_forward_trade_places():
    history = History()
    a, b, c = Place(1), Place(2, top=(7, 3)), Place(3, scope=2, mode="focus")
    history.remember(a)  # jumped a -> b
    history.remember(b)  # jumped b -> c
    assert history.back(c) == b
    assert history.back(b) == a
    assert history.back(a) is None  # the start: nothing earlier
    assert history.forward(a) == b
    assert history.forward(b) == c
    assert history.forward(c) is None


def test_a_new_jump_forgets_what_was_ahead():
    history = History()
    history.remember(Place(1))
    assert history.back(Place(2)) == Place(1)
    history.remember(Place(1))  # from 1 somewhere new: 2 is no longer ahead
    assert history.forward(Place(5)) is None
    assert history.back(Place(5)) == Place(1)


def test_clear_forgets_everything():
    history = History()
    history.remember(Place(1))
    history.clear()
    assert history.back(Place(2)) is None and history.forward(Place(2)) is None


def test_one_history_across_threads_keeps_the_threads_left():
    """A thread left for another stays in the history (``b`` reopens it); the places in a
    thread go when another is shown, as does the way forward."""
    history = History()
    history.remember(Place(5))  # a jump within thread 1
    history.remember(Place(7, thread=1))  # left thread 1 for another
    history.remember(Place(20))  # a jump within the new thread
    history.leave_thread()  # a third thread is shown
    assert history.back(Place(30)) == Place(7, thread=1)
    assert history.back(None) is None  # the jump within thread 1 went with it
    history.leave_thread()  # thread 1 is shown again
    assert history.forward(Place(7)) is None  # the place in the third thread went too
