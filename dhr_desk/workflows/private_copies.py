"""Copies of stored documents opened in another program (Word, a PDF reader): written to a
folder private to the user, and removed afterwards (issue #6: "opening a version writes it to
a private temporary folder and removes it afterwards").

Each run of the app has its own folder (``dhr-desk-open-*`` in the system's temporary folder,
readable by the user alone). It is removed when the app closes; a file still open in another
program on Windows cannot be removed then, so folders left by an earlier run are removed at the
next start.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path, PurePath

PREFIX = "dhr-desk-open-"
STALE_AFTER = 12 * 3600  # seconds: a folder this old belongs to an earlier run


class PrivateCopies:
    """The run's folder of opened copies; ``remove_all`` when the app closes."""

    def __init__(self, root: Path | None = None) -> None:
        self._root = root or Path(tempfile.gettempdir())
        self._folder: Path | None = None

    @property
    def folder(self) -> Path:
        if self._folder is None:
            self._folder = Path(tempfile.mkdtemp(prefix=PREFIX, dir=self._root))  # mode 0700
        return self._folder

    def write(self, file_name: str, data: bytes) -> Path:
        """Write the bytes under the file's own name (in a subfolder per copy, so two versions
        of the same name do not clash), readable by the user alone."""
        target_dir = Path(tempfile.mkdtemp(dir=self.folder))
        target = target_dir / PurePath(file_name).name
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        return target

    def remove_all(self) -> bool:
        """Remove the folder and every copy in it; False if something could not be removed (a
        file still open elsewhere), which the next start removes."""
        if self._folder is None:
            return True
        shutil.rmtree(self._folder, ignore_errors=True)
        gone = not self._folder.exists()
        if gone:
            self._folder = None
        return gone

    def remove_stale(self) -> int:
        """Remove folders of earlier runs; the number removed."""
        removed = 0
        now = time.time()
        for folder in self._root.glob(f"{PREFIX}*"):
            try:
                if folder == self._folder or not folder.is_dir() or folder.is_symlink():
                    continue
                owner = getattr(os, "getuid", None)  # on Windows the temp folder is the user's
                if owner is not None and folder.stat().st_uid != owner():
                    continue
                if now - folder.stat().st_mtime < STALE_AFTER:
                    continue
            except OSError:
                continue
            shutil.rmtree(folder, ignore_errors=True)
            removed += not folder.exists()
        return removed
