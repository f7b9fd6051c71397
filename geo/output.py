"""Writing a layer folder safely: never over files the build did not write, and whole at every instant.

A build writes its files and a manifest (``manifest.json``: each file's name, size and SHA-256)
into a fresh folder beside ``--out``, then swaps the two folders in one atomic step
(``renameat2(RENAME_EXCHANGE)`` on Linux), so ``--out`` always holds a complete build, old or
new, even when the build is killed. The manifest holds no build time, so that a rebuild of the
same inputs gives the same bytes (the committed layers are compared byte for byte); when a
folder was built is its manifest's modification time. ``--out`` must be missing, empty, or a
previous build that nobody changed since; anything else is refused, naming what would be lost.
"""

from __future__ import annotations

import ctypes
import errno
import hashlib
import json
import os
import re
import shutil
import tempfile
from pathlib import Path

__all__ = ["MANIFEST", "OutputError", "manifest", "manifest_problems", "out_problems", "write_layers"]

#: The file a build writes beside its layers, listing them with their sizes and hashes.
MANIFEST = "manifest.json"
_FORMAT = "kz-atlas-layers/1"
#: Shown names of files that block a build; the rest is counted.
_SHOWN = 5
_AT_FDCWD, _RENAME_EXCHANGE = -100, 2


class OutputError(Exception):
    """The layers cannot be written where asked; the message says why and what to do."""


def manifest(files: dict[str, bytes]) -> bytes:
    """The manifest of a build's files: format, then each file's name, size and SHA-256, by name."""
    listing = [
        {"name": name, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
        for name, data in sorted(files.items())
    ]
    return (json.dumps({"format": _FORMAT, "files": listing}, indent=1, allow_nan=False) + "\n").encode("utf-8")


def _listed(folder: Path) -> dict[str, dict] | None:
    """The files a folder's manifest lists, by name; None when it has no readable manifest of ours."""
    try:
        data = json.loads((folder / MANIFEST).read_bytes())
        if data.get("format") != _FORMAT:
            return None
        return {entry["name"]: entry for entry in data["files"]}
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


def _sha256(path: Path) -> str:
    """The SHA-256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _shown(names: list[str]) -> str:
    """A few names and a count of the others, so a message stays short whatever the folder holds."""
    more = f" and {len(names) - _SHOWN} more" if len(names) > _SHOWN else ""
    return ", ".join(repr(name) for name in names[:_SHOWN]) + more


def _differences(folder: Path, listed: dict[str, dict]) -> tuple[list[str], list[str], list[str]]:
    """Files a folder holds that its manifest does not list, listed files changed since, and listed files missing."""
    present = {entry.name: entry for entry in os.scandir(folder) if entry.name != MANIFEST}
    foreign = sorted(
        name for name, entry in present.items() if name not in listed or not entry.is_file(follow_symlinks=False)
    )
    changed = sorted(
        name
        for name in set(listed) & set(present) - set(foreign)
        if present[name].stat().st_size != listed[name]["bytes"] or _sha256(folder / name) != listed[name]["sha256"]
    )
    return foreign, changed, sorted(set(listed) - set(present))


def _replace_problems(folder: Path, foreign: list[str], changed: list[str]) -> list[str]:
    """Messages for files a rebuild would destroy: ones the build did not write, ones changed since."""
    problems = [f"{folder}: holds files the build did not write: {_shown(foreign)}"] if foreign else []
    return problems + ([f"{folder}: changed since the build wrote them: {_shown(changed)}"] if changed else [])


def manifest_problems(folder: Path) -> list[str]:
    """What differs between a folder and its manifest: files added, changed since the build, or missing."""
    listed = _listed(folder)
    if listed is None:
        return [f"{folder}: no {MANIFEST} written by `python -m geo build`"]
    foreign, changed, missing = _differences(folder, listed)
    return _replace_problems(folder, foreign, changed) + ([f"{folder}: missing {_shown(missing)}"] if missing else [])


def out_problems(out: Path) -> list[str]:
    """Why ``out`` may not be replaced by a build: empty when it is missing, empty or an unchanged previous build."""
    if not out.exists() and not out.is_symlink():
        return []
    if out.is_symlink() or not out.is_dir():
        return [f"{out}: not a folder; the layers need a folder of their own"]
    names = sorted(entry.name for entry in os.scandir(out))
    listed = _listed(out)
    if names and listed is None:
        return [f"{out}: not empty and not a previous build (no {MANIFEST}); it holds {_shown(names)}"]
    foreign, changed, _ = _differences(out, listed) if names else ([], [], [])
    return _replace_problems(out, foreign, changed)


def _exchange(first: Path, second: Path) -> None:
    """Swap two paths in one atomic step (Linux ``renameat2``); ``OSError`` ENOSYS where there is none."""
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        raise OSError(errno.ENOSYS, "renameat2 is not available")
    if renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE) != 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code), str(second))


def _swap(fresh: Path, out: Path) -> None:
    """Put ``fresh`` at ``out``; the old build ends up at ``fresh``'s path (or nowhere if there was none).

    Where the system cannot exchange two folders atomically, ``out`` is renamed aside first; a
    build killed between the two renames leaves it aside, and the next build puts it back.
    """
    if not out.exists():
        fresh.rename(out)
        return
    try:
        _exchange(fresh, out)
    except OSError as error:
        if error.errno not in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
            raise
        aside = fresh.with_name(fresh.name.replace("-new-", "-old-", 1))
        out.rename(aside)
        fresh.rename(out)
        aside.rename(fresh)


def _alive(pid: int) -> bool:
    """Whether another running process has this id (so its temporary folder may be in use); ours is not writing."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return pid != os.getpid()


def _tidy(out: Path, names: set[str]) -> list[str]:
    """Remove temporary folders of crashed builds beside ``out``; put back a build left aside; say what was done.

    A folder is removed only when it holds nothing but files a build writes (``names`` or its
    manifest's); anything else is left and reported.
    """
    notes = []
    stale = re.compile(rf"^\.{re.escape(out.name)}-(?:new|old)-(\d+)-")
    for folder in sorted(out.parent.glob(f".{out.name}-*")):
        match = stale.match(folder.name)
        if not match or _alive(int(match[1])) or folder.is_symlink() or not folder.is_dir():
            continue
        if not out.exists() and _listed(folder) is not None and not manifest_problems(folder):
            folder.rename(out)
            notes.append(f"put back {out} from {folder.name}, left aside by an interrupted build")
            continue
        ours = names | {MANIFEST} | set(_listed(folder) or ())
        entries = list(os.scandir(folder))
        if all(entry.is_file(follow_symlinks=False) and entry.name in ours for entry in entries):
            shutil.rmtree(folder)
            notes.append(f"removed {folder.name}, left by an interrupted build")
        else:
            notes.append(f"left {folder}: an interrupted build's folder that now holds other files")
    return notes


def write_layers(files: dict[str, bytes], out: Path) -> list[str]:
    """Write ``files`` and their manifest as the folder ``out``, replacing a previous build in one atomic step.

    Raises :class:`OutputError` (nothing written, nothing deleted) when ``out`` holds anything
    but an unchanged previous build, or cannot be written. Returns notes on what was tidied.
    """
    out = Path(out)
    problems = out_problems(out)
    if problems:
        raise OutputError("\n".join([*problems, "nothing was written: choose an empty or new folder for --out"]))
    fresh = None
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        notes = _tidy(out, set(files))
        fresh = Path(tempfile.mkdtemp(prefix=f".{out.name}-new-{os.getpid()}-", dir=out.parent))
        fresh.chmod(0o755)
        for name, data in {**files, MANIFEST: manifest(files)}.items():
            with open(fresh / name, "wb") as handle:
                handle.write(data)
                os.fsync(handle.fileno())
        _swap(fresh, out)
    except OSError as error:
        raise OutputError(f"cannot write the layers to {out}: {error}") from None
    finally:
        if fresh is not None:
            shutil.rmtree(fresh, ignore_errors=True)
    return notes
