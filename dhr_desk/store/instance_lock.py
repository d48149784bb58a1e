"""One dhr-desk window per data directory, and no restore under a running window.

An operating-system file lock (``flock`` on POSIX, ``msvcrt.locking`` on Windows) on
``dhr-desk.lock``: it is released by the OS when the process ends, even after a crash, so a
stale lock never blocks the next start.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType

from dhr_desk.store.errors import AlreadyRunning, StoreLocked
from dhr_desk.store.location import DataLocation

OPENING_WAIT_SECONDS = 30.0


class InstanceLock:
    """Held while a window (or a restore) owns the data directory."""

    def __init__(self, location: DataLocation, purpose: str = "window") -> None:
        self._path = location.lock_file
        self._purpose = purpose
        self._fd: int | None = None

    def acquire(self) -> InstanceLock:
        fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            _lock(fd)
        except OSError:
            os.close(fd)
            holder = self._holder()
            raise AlreadyRunning(
                f"dhr-desk is already open on the data directory {self._path.parent}"
                f"{holder}. Switch to that window, or close it first."
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()} {self._purpose}\n".encode())
        self._fd = fd
        return self

    def _holder(self) -> str:
        try:
            text = self._path.read_text(encoding="utf-8").split()
        except OSError:
            return ""
        return f" (process {text[0]}, {text[1]})" if len(text) >= 2 else ""

    def release(self) -> None:
        if self._fd is None:
            return
        try:
            _unlock(self._fd)
        finally:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> InstanceLock:
        return self.acquire()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()


@contextmanager
def opening_lock(location: DataLocation, wait: float = OPENING_WAIT_SECONDS) -> Iterator[None]:
    """Held while one process creates or migrates the store, so two never do it at once.

    Waits up to ``wait`` seconds for another process to finish, then says the store is busy.
    """
    fd = os.open(location.data_dir / "dhr-desk.opening.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                _lock(fd)
                break
            except OSError:
                if time.monotonic() >= deadline:
                    raise StoreLocked(
                        f"Another dhr-desk process has been setting up the database in "
                        f"{location.data_dir} for over {wait:.0f} seconds. Wait for it to finish, "
                        "then try again."
                    ) from None
                time.sleep(0.1)
        try:
            yield
        finally:
            _unlock(fd)
    finally:
        os.close(fd)


if sys.platform == "win32":
    import msvcrt

    def _lock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
