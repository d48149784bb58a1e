"""Reading in a worker thread, so the window never freezes while the desk reads (the dashboard and
register of 100,000 reviews take seconds to work out).

One read at a time: a read asked for while one runs is held (only the newest is kept) and started
when the first is delivered. The result, or the exception the read raised, comes back in the GUI
thread through ``delivered``/``failed``. ``wait`` blocks until nothing runs, so the window can
close the store safely afterwards.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

Read = Callable[[], object]


class _Work(QRunnable):
    def __init__(self, read: Read, done: Callable[[object, object], None]) -> None:
        super().__init__()
        self._read = read
        self._done = done

    def run(self) -> None:  # in the worker thread: no widgets touched here
        try:
            result = self._read()
        except Exception as exc:  # given to the GUI thread to show, never lost in the thread
            self._done(None, exc)
        else:
            self._done(result, None)


class BackgroundRead(QObject):
    """Runs reads one after another in a worker thread; see the module note."""

    delivered = Signal(object)  # the read's result
    failed = Signal(object)  # the exception it raised
    _finished = Signal(object, object)  # result, exception: crosses back to the GUI thread

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._running = False
        self._waiting: Read | None = None
        self._finished.connect(self._deliver)

    @property
    def busy(self) -> bool:
        """A read runs, waits to start, or has finished but is not delivered yet."""
        return self._running or self._waiting is not None

    def request(self, read: Read) -> None:
        """Start ``read`` now, or after the one running (replacing any already waiting)."""
        if self._running:
            self._waiting = read
            return
        self._running = True
        self._pool.start(_Work(read, self._finished.emit))

    def wait(self) -> None:
        """Drop any read not yet started and block until the running one has finished."""
        self._waiting = None
        self._pool.waitForDone()

    @Slot(object, object)
    def _deliver(self, result: object, error: object) -> None:
        self._running = False
        if error is not None:
            self.failed.emit(error)
        else:
            self.delivered.emit(result)
        waiting, self._waiting = self._waiting, None
        if waiting is not None:
            self.request(waiting)
