"""Python's cycle collector runs between events, never inside a Qt call (where it once hung the tests)."""

import gc
import weakref


def test_cycles_are_collected_by_the_event_loop_not_by_the_allocator(qtbot):
    from adamgui.gui.app.qapplication import application

    application()
    assert not gc.isenabled()  # no collection can start in the middle of a Qt call

    class Node:
        pass

    node = Node()
    node.itself = node  # garbage only the cycle collector frees
    gone = weakref.ref(node)
    del node
    made = [[] for _ in range(100_000)]  # new objects: a collection is due (even if a closed window frees many)
    assert gone() is not None  # nothing collected them yet
    qtbot.waitUntil(lambda: gone() is None, timeout=3000)  # the event loop's timer did
    assert len(made) > 0
