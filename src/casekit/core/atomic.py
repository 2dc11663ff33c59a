"""Writing outputs so that nothing is ever half-written or lost.

Every output is first written in full to a temporary file in the same
directory, flushed to disk, and then renamed over the old one: a reader sees
either the complete previous file or the complete new one, never a mix. The
temporary names start with ``.tmp-`` so they can never be mistaken for output.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from casekit.core.errors import Location, OutputError

TMP_PREFIX = ".tmp-"


def _prefix() -> str:
    # The process id is part of the name, so a later build can tell the leftovers of
    # a killed build (SIGKILL allows no clean-up) from a build still running.
    return f"{TMP_PREFIX}{os.getpid()}-"


def sweep(directory: Path) -> list[Path]:
    """Remove temporary files and work directories left by builds that no longer run."""
    removed: list[Path] = []
    if not directory.is_dir():
        return removed
    for path in directory.glob(f"{TMP_PREFIX}*"):
        pid = path.name[len(TMP_PREFIX) :].split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            if path.is_dir():
                _rmtree(path)
            else:
                path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def stage(directory: Path, name: str, data: bytes) -> Path:
    """Write ``data`` to a hidden temporary file in ``directory``; return its path."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=f"{_prefix()}{name}.")
    except OSError as exc:
        raise OutputError(
            f"cannot write in {directory}: {exc.strerror}",
            Location(directory),
            hint="check the directory's permissions and free space",
        ) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp creates 0600; outputs get the usual permissions under the umask.
        os.chmod(tmp, 0o666 & ~_UMASK)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(
            f"cannot write {directory / name}: {exc.strerror}",
            Location(directory / name),
            hint="check free disk space",
        ) from None
    return Path(tmp)


def _read_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _read_umask()  # read once, at import: os.umask cannot be read without setting it


def commit(staged: Mapping[Path, Path]) -> None:
    """Rename every staged file onto its target (target → staged temporary file)."""
    for target, tmp in staged.items():
        try:
            os.replace(tmp, target)
        except OSError as exc:
            discard(staged.values())
            raise OutputError(
                f"cannot replace {target}: {exc.strerror}", Location(target)
            ) from None


LOCK_FILE = ".lock"


@contextlib.contextmanager
def exclusive(directory: Path) -> Iterator[None]:
    """Hold ``directory``'s lock: one build at a time reads and rewrites its manifest.

    An advisory lock on ``directory/.lock`` (flock), released when the block ends or
    the process dies. Where the system has no flock, builds are not serialised."""
    try:
        import fcntl
    except ImportError:  # not POSIX
        yield
        return
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / LOCK_FILE, "a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


@contextlib.contextmanager
def all_or_nothing(folder: Path) -> Iterator[dict[Path, Path]]:
    """Outputs for ``folder``, staged by the caller (``staged[target] = stage(...)``) and
    committed by it: if anything fails first, every staged file is removed, so ``folder``
    keeps its previous outputs, and a full disk or an unwritable folder is a located
    :class:`OutputError`, never a traceback."""
    staged: dict[Path, Path] = {}
    try:
        yield staged
    except OSError as exc:
        discard(staged.values())
        where = Location(Path(exc.filename)) if exc.filename else Location(folder)
        raise OutputError(
            f"cannot write: {exc.strerror or exc}",
            where,
            hint="check free disk space and permissions",
        ) from None
    except BaseException:
        discard(staged.values())
        raise


def discard(paths: Iterable[Path]) -> None:
    """Remove temporary files, ignoring ones already gone."""
    for path in paths:
        with contextlib.suppress(OSError):
            Path(path).unlink()


def write_atomic(target: Path, data: bytes) -> None:
    """Write one file atomically."""
    commit({target: stage(target.parent, target.name, data)})


@contextlib.contextmanager
def workdir(build: Path) -> Iterator[Path]:
    """A private scratch directory inside ``build/``, removed afterwards."""
    try:
        build.mkdir(parents=True, exist_ok=True)
        path = Path(tempfile.mkdtemp(dir=build, prefix=f"{_prefix()}work-"))
    except OSError as exc:
        raise OutputError(
            f"cannot create the build directory {build}: {exc.strerror}",
            Location(build),
            hint="check permissions, or point -C at a writable project",
        ) from None
    try:
        yield path
    finally:
        _rmtree(path)


def _rmtree(path: Path) -> None:
    for child in sorted(path.rglob("*"), key=lambda p: len(p.parts), reverse=True):
        with contextlib.suppress(OSError):
            child.rmdir() if child.is_dir() else child.unlink()
    with contextlib.suppress(OSError):
        path.rmdir()
