"""A pack: its files and ``manifest.json`` (every file's name, size and SHA-256, the checklist,
the overrides) in one zip whose name, comment and manifest carry the protective marking; and
``verify_pack``, which checks a pack against its manifest (issue #6, point 5).

The zip is built whole in memory, written beside its final name and renamed into place, so a
failure leaves no half-written pack; an existing pack is never overwritten (the new one is
numbered).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tempfile
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MANIFEST = "manifest.json"
PACK_FORMAT = "dhr-desk pack"
PACK_FORMAT_VERSION = 1


#: What reading a damaged member of a zip can raise (a bad CRC, a broken deflate stream, a
#: truncated file, an unsupported compression or an encrypted member).
UNREADABLE_MEMBER = (
    zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, OSError,
)  # fmt: skip


class PackUnreadable(ValueError):
    """The file is not a dhr-desk pack that can be read (missing, not a zip, no manifest)."""


class FolderNotWritable(OSError):
    """The output folder cannot take the pack; the message says why and what to do."""


@dataclass(frozen=True)
class PackFile:
    """One file of a pack: its name inside the zip, its bytes, what it is in words."""

    name: str
    data: bytes
    what: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def manifest(header: dict[str, Any], files: Sequence[PackFile]) -> dict[str, Any]:
    """The manifest: ``header`` (what the pack is, its checklist, overrides …) and the files."""
    return {
        "format": PACK_FORMAT,
        "format_version": PACK_FORMAT_VERSION,
        **header,
        "files": [
            {"name": f.name, "what": f.what, "size": len(f.data), "sha256": f.sha256} for f in files
        ],
    }


def archive_bytes(files: Sequence[PackFile], listing: dict[str, Any]) -> bytes:
    """The zip: the files in order, then the manifest; the marking as the zip's comment."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for f in files:
            archive.writestr(f.name, f.data)
        archive.writestr(MANIFEST, json.dumps(listing, indent=2, ensure_ascii=False))
        archive.comment = str(listing.get("marking", "")).encode("ascii", "replace")[:200]
    return out.getvalue()


def check_folder(folder: Path) -> None:
    """Refuse a folder the pack cannot be written to, before anything is made."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, probe = tempfile.mkstemp(prefix=".dhr-desk-probe-", dir=folder)
        os.close(handle)
        os.unlink(probe)
    except OSError as exc:
        raise FolderNotWritable(
            f"The pack cannot be written to {folder} ({exc.strerror or exc}). Choose a folder "
            "you can write to. Nothing was written."
        ) from exc


def _claim(partial: str, folder: Path, stem: str) -> Path:
    """Give the written file its final name, ``stem.zip`` or the first free ``stem-N.zip``,
    never replacing a file that is there (a hard link fails if the name is taken; where the
    file system has no hard links, the name is checked and the file renamed)."""
    number = 1
    while True:
        path = folder / (f"{stem}.zip" if number == 1 else f"{stem}-{number}.zip")
        number += 1
        try:
            os.link(partial, path)
            return path
        except FileExistsError:
            continue
        except (NotImplementedError, PermissionError, OSError) as exc:
            if isinstance(exc, FileExistsError) or path.exists():
                continue
            os.replace(partial, path)
            return path


def write_pack(folder: Path, stem: str, data: bytes) -> Path:
    """``data`` written whole (flushed to disk) to ``folder/stem.zip``, or ``stem-2.zip`` …
    when that name is taken; on any failure nothing is left behind."""
    check_folder(folder)
    handle, partial = tempfile.mkstemp(prefix=f".{stem}-", suffix=".partial", dir=folder)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        return _claim(partial, folder, stem)
    except OSError as exc:
        raise FolderNotWritable(
            f"The pack could not be written to {folder} ({exc.strerror or exc}). Free some "
            "space or choose another folder. Nothing was left half-written."
        ) from exc
    finally:
        if os.path.exists(partial):
            os.unlink(partial)


@dataclass
class Verification:
    """What ``verify_pack`` found: ``problems`` is empty when every file matches."""

    path: Path
    listing: dict[str, Any]
    checked: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_pack(path: Path) -> Verification:
    """Check every file of the pack against its manifest: present, same size, same SHA-256;
    nothing in the zip that the manifest does not list; the zip's own checksums sound."""
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError as exc:
        raise PackUnreadable(f"There is no file {path}.") from exc
    except (zipfile.BadZipFile, OSError) as exc:
        raise PackUnreadable(f"{path.name} is not a zip file, or it is damaged ({exc}).") from exc
    with archive:
        try:
            listing = json.loads(archive.read(MANIFEST))
        except KeyError as exc:
            raise PackUnreadable(
                f"{path.name} has no {MANIFEST}: it is not a dhr-desk pack."
            ) from exc
        except (ValueError, *UNREADABLE_MEMBER) as exc:
            raise PackUnreadable(f"The {MANIFEST} in {path.name} cannot be read ({exc}).") from exc
        if not isinstance(listing, dict) or listing.get("format") != PACK_FORMAT:
            raise PackUnreadable(f"{path.name} is not a dhr-desk pack (its {MANIFEST} says not).")
        result = Verification(path, listing)
        files = listing.get("files")
        if not isinstance(files, list):
            result.problems.append(f"The {MANIFEST} lists no files.")
            return result
        present = set(archive.namelist())
        for entry in files:
            name = str(entry.get("name", "")) if isinstance(entry, dict) else ""
            if name not in present:
                result.problems.append(f"{name or '(unnamed)'}: listed in the manifest, missing.")
                continue
            try:
                data = archive.read(name)
            except UNREADABLE_MEMBER as exc:
                result.problems.append(f"{name}: cannot be read from the zip ({exc}).")
                continue
            if len(data) != entry.get("size"):
                result.problems.append(
                    f"{name}: {len(data)} bytes, the manifest says {entry.get('size')}."
                )
            elif hashlib.sha256(data).hexdigest() != entry.get("sha256"):
                result.problems.append(f"{name}: its SHA-256 differs from the manifest's.")
            else:
                result.checked.append(name)
        listed = {str(e.get("name")) for e in files if isinstance(e, dict)}
        for extra in sorted(present - listed - {MANIFEST}):
            result.problems.append(f"{extra}: in the zip but not in the manifest.")
    return result
