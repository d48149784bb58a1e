"""Where the data lives: the data directory and the files inside it.

The directory is, in order: ``--data-dir``, the ``DHR_DESK_DATA_DIR`` environment variable, or
the platform's per-user data directory (platformdirs). It is created private (0700) and every
file in it is created 0600.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from dhr_desk.store.errors import DataDirNotWritable

APP_NAME = "dhr-desk"
APP_AUTHOR = "NCSP"
DATA_DIR_ENV = "DHR_DESK_DATA_DIR"


@dataclass(frozen=True)
class DataLocation:
    """The data directory and the well-known files in it."""

    data_dir: Path

    @property
    def database_file(self) -> Path:
        return self.data_dir / "dhr-desk.db"

    @property
    def config_file(self) -> Path:
        return self.data_dir / "store.json"

    @property
    def backups_dir(self) -> Path:
        return self.data_dir / "backups"

    @property
    def lock_file(self) -> Path:
        return self.data_dir / "dhr-desk.lock"

    @property
    def key_name(self) -> str:
        """Name of this directory's database key in the keyring (one key per data directory)."""
        return f"database-key:{self.data_dir}"


def default_data_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR, roaming=False))


def resolve_data_dir(cli_value: str | os.PathLike[str] | None = None) -> DataLocation:
    """The data directory from the command line, the environment, or the platform default."""
    chosen = cli_value or os.environ.get(DATA_DIR_ENV) or default_data_dir()
    return DataLocation(Path(chosen).expanduser().resolve())


def prepare_data_dir(location: DataLocation) -> None:
    """Create the data directory (0700) and prove it can be written, or say why not."""
    directory = location.data_dir
    if directory.exists() and not directory.is_dir():
        raise DataDirNotWritable(
            f"{directory} is a file, not a folder. Choose a folder with --data-dir or "
            "DHR_DESK_DATA_DIR."
        )
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise DataDirNotWritable(
            f"The data directory {directory} cannot be created ({exc.strerror or exc}). "
            "Choose a folder you can write to with --data-dir or DHR_DESK_DATA_DIR."
        ) from exc
    if not directory.is_dir():
        raise DataDirNotWritable(
            f"{directory} is not a folder. Choose a folder with --data-dir or DHR_DESK_DATA_DIR."
        )
    probe = directory / f".write-probe-{os.getpid()}"
    try:
        os.close(os.open(probe, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600))
        probe.unlink()
    except OSError as exc:
        raise DataDirNotWritable(
            f"The data directory {directory} is read-only ({exc.strerror or exc}). Nothing was "
            "changed. Make it writable, or choose another folder with --data-dir."
        ) from exc


def create_private_file(path: Path) -> None:
    """Create an empty file readable and writable by its owner only (0600), if absent."""
    fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600)
    os.close(fd)
