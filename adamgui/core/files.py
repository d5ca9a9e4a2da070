"""Reading and writing files carefully: a reader that never hangs or floods, writers that are all or nothing.

Every file the app opens goes through :func:`read_text`: anything that is not a regular file (a
FIFO, a device such as /dev/zero, a directory) is refused before it is opened for reading, at
most the limit plus one byte is read, and what is not UTF-8 text is refused. Every file it writes
goes through :func:`atomic_output`: the bytes go to a temporary file beside the target, which is
renamed into place only when complete; on any failure it is removed and the old file, if any, is
untouched. Errors are one sentence naming the path and the reason.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Iterator
from pathlib import Path

REASONS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EROFS: "the folder is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EISDIR: "it is a folder",
    errno.ENOENT: "the folder does not exist",
    errno.ENOTDIR: "a part of the path is not a folder",
    errno.ELOOP: "its links go round in a loop",
    errno.ENAMETOOLONG: "the name is too long",
}


class FileProblem(ValueError):
    """A file that cannot be read or written; the message is one sentence naming it and why (``why`` alone)."""

    def __init__(self, message: str, why: str = ""):
        super().__init__(message)
        self.why = why or message


def reason(error: OSError) -> str:
    return REASONS.get(error.errno, (error.strerror or str(error)).lower())


def read_text(path: str | Path, limit: int, what: str = "file") -> str:
    """The UTF-8 text of the regular file ``path`` (a byte-order mark is dropped), or FileProblem."""
    path = Path(path)
    try:
        info = os.stat(path)
    except ValueError:  # a NUL in the name: no file can have it
        raise FileProblem(f"{path.name[:80]!r} cannot be a file's name (it holds a NUL character)") from None
    except OSError as e:
        why = reason(e)
        if e.errno == errno.ENOENT and path.parent.is_dir():
            why = "there is no such file"
        raise FileProblem(f"{path.name} cannot be read: {why}") from None
    if stat.S_ISDIR(info.st_mode):
        raise FileProblem(f"{path.name} is a folder, not a {what}")
    if not stat.S_ISREG(info.st_mode):
        raise FileProblem(f"{path.name} is not a regular file (a pipe or a device), so it is not a {what}")
    if info.st_size > limit:
        raise FileProblem(f"{path.name} is too large for a {what} ({info.st_size:,} bytes; at most {limit:,})")
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # never waits, even if it became a pipe since
        with os.fdopen(fd, "rb") as f:
            if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
                raise FileProblem(f"{path.name} is not a regular file, so it is not a {what}")
            data = f.read(limit + 1)
    except OSError as e:
        raise FileProblem(f"{path.name} cannot be read: {reason(e)}") from None
    if len(data) > limit:
        raise FileProblem(f"{path.name} is too large for a {what} (more than {limit:,} bytes)")
    if b"\0" in data:
        raise FileProblem(f"{path.name} is not a {what} (it is binary, not text)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileProblem(f"{path.name} is not a {what} (it is not UTF-8 text)") from None


def check_writable(path: str | Path) -> None:
    """FileProblem unless ``path`` can be written as a regular file: not a folder, device or pipe, in a
    folder that exists and can be written. Said before any work, and again by :func:`atomic_output`."""
    path = Path(path)
    why = None
    if path.is_dir():
        why = "it is a folder"
    elif path.exists() and not path.is_file():  # /dev/full, a pipe: never replaced by a file of ours
        why = "it is not a regular file (a device or a pipe)"
    elif not path.parent.is_dir():
        why = f"no such folder {str(path.parent)!r}"
    elif not os.access(path.parent, os.W_OK):
        why = "the folder is read-only"
    if why is not None:
        raise FileProblem(f"Cannot write {path}: {why}", why)


@contextlib.contextmanager
def atomic_output(path: str | Path) -> Iterator[Path]:
    """A temporary path beside ``path`` to write to; renamed to ``path`` when the block ends well.

    The temporary file keeps the target's suffix (writers choose their format by it). On any error,
    or an interruption, it is removed and the target is as it was; an OSError comes out as FileProblem.
    """
    path = Path(path)
    check_writable(path)
    partial = path.with_name(f".{path.stem}.partial-{os.getpid()}{path.suffix}")
    try:
        yield partial
        os.replace(partial, path)
    except OSError as e:
        partial.unlink(missing_ok=True)
        raise FileProblem(f"Cannot write {path}: {reason(e)}", reason(e)) from None
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def write_text(path: str | Path, text: str) -> None:
    """``text`` as the whole of ``path``, all or nothing."""
    with atomic_output(path) as partial:
        with open(partial, "w", encoding="utf-8", newline="") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
