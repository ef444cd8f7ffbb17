"""Running one function per input file in worker processes a bad file cannot bring down.

Every return is parsed in a worker, never in the process that holds the run. A worker that
dies (an abort in a native parser, a Rust panic, a signal), exceeds its memory ceiling or its
time limit fails that one file — it comes back as a :class:`Failure` — and the run goes on with
the next. The pool is pebble's (a dead worker fails only its own task and is replaced); this
module adds the ceilings, keeps results in input order with a bounded window of work in flight,
and keeps native parsers' crash output off the user's terminal.

Workers are forked where the platform can (Linux: start-up costs a few milliseconds and the
parent's loaded modules are shared); elsewhere they are spawned. The memory ceiling is an
rlimit on the worker's data segment (Linux; on other systems the address space, and on Windows
only the time limit applies).
"""

from __future__ import annotations

import faulthandler
import os
import pickle
import selectors
import signal
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from shuangfu_cli.check.machine import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT_S, allowed_workers
from shuangfu_cli.check.machine import available_cpus as available_cpus  # where it was first

T = TypeVar("T")
R = TypeVar("R")

#: A worker is replaced after this many files, so that no fragmentation can accumulate.
TASKS_PER_WORKER = 500

FailureKind = Literal["memory", "timeout", "crashed"]


@dataclass(frozen=True)
class Limits:
    """How many workers, and what each may spend on one file before it is given up."""

    jobs: int = 0  # 0: as many as the machine allows (machine.allowed_workers)
    memory_mb: int = DEFAULT_MEMORY_MB
    timeout_s: float = DEFAULT_TIMEOUT_S
    start_method: str | None = None  # None: fork where available, else spawn

    def __post_init__(self) -> None:
        from shuangfu_cli.check.machine import JOBS_RANGE, MEMORY_MB_RANGE, TIMEOUT_S_RANGE

        for name, (low, high) in (("jobs", JOBS_RANGE), ("memory_mb", MEMORY_MB_RANGE),
                                  ("timeout_s", TIMEOUT_S_RANGE)):  # fmt: skip
            if not low <= getattr(self, name) <= high:  # nan, inf and the absurd too
                raise ValueError(f"{name} must be from {low:g} to {high:g}")

    def workers(self, n_items: int) -> int:
        """Never more than the machine allows at this memory ceiling, nor than the items."""
        allowed = allowed_workers(self.memory_mb)
        return max(1, min(self.jobs or allowed, allowed, n_items))


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True)
class Failure:
    """Why a worker gave no result for one input."""

    kind: FailureKind
    detail: str = ""


def _start_method(start_method: str | None) -> str:
    if start_method is None:
        return "fork" if sys.platform.startswith("linux") else "spawn"
    return start_method


def _context(start_method: str | None):
    import multiprocessing

    return multiprocessing.get_context(_start_method(start_method))


def _worker_init(memory_mb: int, initializer, initargs) -> None:
    """In each worker: the memory ceiling, Ctrl-C left to the parent, native crash output
    (a Rust panic's backtrace, "memory allocation failed") and anything printed kept off the
    user's terminal."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the pool's way to end a worker, not ours
    if hasattr(signal, "SIGHUP"):  # a closed terminal ends the workers at once, not through
        signal.signal(signal.SIGHUP, signal.SIG_DFL)  # the command's handler they inherited
    faulthandler.disable()  # its dump of a dying parser would go to a copy of stderr
    try:
        import resource

        limit = memory_mb << 20
        kind = resource.RLIMIT_DATA if sys.platform.startswith("linux") else resource.RLIMIT_AS
        resource.setrlimit(kind, (limit, limit))
    except (ImportError, ValueError, OSError):  # no rlimits here: the time limit still holds
        pass
    try:  # nor anything a parser prints into the JSON a caller reads from stdout
        devnull = os.open(os.devnull, os.O_WRONLY)
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - for the worker's life
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        os.close(devnull)
    except OSError:
        pass
    if initializer is not None:
        initializer(*initargs)


def _guarded(fn: Callable[[T], R], item: T) -> R | Failure:
    """Run in the worker: whatever the parser raises (a PanicException is a BaseException and
    cannot even be pickled back) becomes a Failure the parent can read."""
    try:
        return fn(item)
    except MemoryError:
        return Failure("memory")
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # noqa: BLE001 - the point of the worker
        return Failure("crashed", f"{type(exc).__name__}: {str(exc)[:200]}")


def _exit_failure(code: int) -> Failure:
    """What a worker's exit code tells (negative: the signal that ended it). An allocation
    refused under the ceiling aborts a native parser (SIGABRT); the kernel's OOM killer sends
    SIGKILL."""
    how = f"worker ended by {signal.Signals(-code).name}" if code < 0 else f"exit {code}"
    if code in (-signal.SIGABRT, -signal.SIGKILL):
        return Failure("memory", how)
    return Failure("crashed", how)


class _Forked:
    """One forked worker for one item: its result comes back pickled through a pipe."""

    def __init__(self, fn, item, memory_mb: int, initializer, initargs) -> None:
        read_end, write_end = os.pipe()
        for stream in (sys.stdout, sys.stderr):  # nothing buffered may be written twice
            try:
                stream.flush()
            except (OSError, ValueError, AttributeError):
                pass
        pid = os.fork()
        if pid == 0:  # the worker: never returns
            code = 0
            try:
                os.close(read_end)
                _worker_init(memory_mb, initializer, initargs)
                result = _guarded(fn, item)
                try:
                    data = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
                except Exception as exc:  # noqa: BLE001 - a result that cannot travel
                    data = pickle.dumps(Failure("crashed", f"{type(exc).__name__}: {exc}"[:200]))
                with os.fdopen(write_end, "wb") as out:
                    out.write(data)
            except BaseException:  # noqa: BLE001 - the worker must end here, whatever happens
                code = 70
            finally:
                os._exit(code)
        os.close(write_end)
        os.set_blocking(read_end, False)
        _LIVE[pid] = os.getpid()
        self.pid, self.fd = pid, read_end
        self.chunks: list[bytes] = []
        self.status: int | None = None

    def read(self) -> bool:
        """Take what the pipe holds; True at its end."""
        while True:
            try:
                chunk = os.read(self.fd, 1 << 20)
            except BlockingIOError:
                return False
            if not chunk:
                return True
            self.chunks.append(chunk)

    def finish(self) -> object:
        os.close(self.fd)
        _, status = os.waitpid(self.pid, 0)
        _LIVE.pop(self.pid, None)
        if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0 and self.chunks:
            try:
                return pickle.loads(b"".join(self.chunks))
            except Exception as exc:  # noqa: BLE001
                return Failure("crashed", f"{type(exc).__name__}: {str(exc)[:200]}")
        return _exit_failure(os.waitstatus_to_exitcode(status))

    def kill(self) -> None:
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.close(self.fd)
        os.waitpid(self.pid, 0)
        _LIVE.pop(self.pid, None)


#: the one-shot workers started and not yet waited for: pid -> the pid of the process that
#: started it (a forked worker inherits this table; it ends none of them)
_LIVE: dict[int, int] = {}
#: set when the command is ending: a worker forked from now on (the pool replacing one that
#: was just ended) exits at once instead of outliving the command
_ENDING = False


def _exit_if_ending() -> None:
    if _ENDING:
        os._exit(0)


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_exit_if_ending)


def _children() -> set[int]:
    """This process's live workers: the one-shot ones, the pool's, and on Linux every child
    the kernel knows (a worker the pool forked a moment ago and has not recorded yet)."""
    me = os.getpid()
    pids = {pid for pid, parent in list(_LIVE.items()) if parent == me}
    multiprocessing = sys.modules.get("multiprocessing")
    if multiprocessing is not None:
        for _ in range(3):  # the pool's thread may change the set while it is read
            try:
                pids |= {p.pid for p in multiprocessing.active_children() if p.pid}
                break
            except (RuntimeError, OSError, ValueError):
                continue
    try:
        for task in os.listdir(f"/proc/{me}/task"):
            with open(f"/proc/{me}/task/{task}/children") as fh:
                pids |= {int(pid) for pid in fh.read().split()}
    except (OSError, ValueError):  # not Linux, or a kernel without the list
        pass
    return pids


def _reap(pids: set[int], until: float) -> set[int]:
    """Wait for the ended workers until `until`; those still running."""
    while pids:
        for pid in list(pids):
            try:
                done, _ = os.waitpid(pid, os.WNOHANG)
            except OSError:  # waited for by the pool's thread already
                done = pid
            if done:
                pids.discard(pid)
                _LIVE.pop(pid, None)
        if not pids or time.monotonic() >= until:
            break
        time.sleep(0.01)
    return pids


def end_workers(grace_s: float = 1.0) -> None:
    """End every worker this process started, now: the command is terminated (SIGTERM,
    SIGHUP) and no worker may outlive it. Each is sent SIGTERM — a reading worker ends at once
    (its default action), one writing a file first removes its temporary file
    (writing/guard.py) — then SIGKILL after `grace_s`, and is waited for; until no worker is
    left, as the pool replaces the ones that end. Safe in a signal handler: raises nothing."""
    global _ENDING
    if not hasattr(os, "WNOHANG"):  # Windows: no signals to end the command by
        return
    _ENDING = True
    for _ in range(10):
        pids = _children()
        if not pids:
            return
        for sig, wait in ((signal.SIGTERM, grace_s), (signal.SIGKILL, grace_s)):
            for pid in pids:
                try:
                    os.kill(pid, sig)
                except OSError:
                    pass
            pids = _reap(pids, time.monotonic() + wait)
            if not pids:
                break


def _run_forked(fn, items: list, limits: Limits, initializer, initargs, meanwhile) -> list:
    """One forked process per item, all at once (as many items as workers, typically one
    file): no pool, no manager thread, nothing more to import — a one-file validate starts fast.
    Each item has the time limit from its start; results come back in input order."""
    workers: list[_Forked] = []
    results: dict[int, object] = {}
    selector = selectors.DefaultSelector()
    try:
        for index, item in enumerate(items):
            worker = _Forked(fn, item, limits.memory_mb, initializer, initargs)
            workers.append(worker)
            selector.register(worker.fd, selectors.EVENT_READ, index)
        if meanwhile is not None:
            meanwhile()
        deadline = time.monotonic() + limits.timeout_s
        while len(results) < len(items):
            left = deadline - time.monotonic()
            if left <= 0:
                break
            for key, _ in selector.select(left):
                index = key.data
                if workers[index].read():
                    selector.unregister(key.fd)
                    results[index] = workers[index].finish()
        for index, worker in enumerate(workers):
            if index not in results:
                worker.kill()
                results[index] = Failure("timeout")
    except BaseException:  # Ctrl-C in the parent: no worker outlives the run
        for index, worker in enumerate(workers):
            if index not in results:
                worker.kill()
        raise
    finally:
        selector.close()
    return [results[index] for index in range(len(items))]


def _outcome(future, memory_mb: int) -> Any:  # what the worker returned, or a Failure
    from concurrent.futures import CancelledError
    from concurrent.futures import TimeoutError as FutureTimeout

    from pebble import ProcessExpired

    try:
        return future.result()
    except FutureTimeout:
        return Failure("timeout")
    except ProcessExpired as exc:
        return _exit_failure(exc.exitcode or 0)
    except CancelledError:
        return Failure("crashed", "cancelled")
    except Exception as exc:  # a result that could not travel back, a broken pipe
        return Failure("crashed", f"{type(exc).__name__}: {str(exc)[:200]}")


def run_isolated(
    fn: Callable[[T], R],
    items: Iterable[T],
    limits: Limits = DEFAULT_LIMITS,
    *,
    initializer: Callable[..., None] | None = None,
    initargs: tuple = (),
    meanwhile: Callable[[], None] | None = None,
) -> Iterator[tuple[T, R | Failure]]:
    """Yield (item, fn(item) or Failure) for every item, in input order.

    `fn`, `initializer` and their arguments must be importable / picklable (spawn). The
    initializer runs once in each worker, e.g. to install what every call needs. `meanwhile`
    runs in this process once the workers are at work (a one-file validate imports its terminal
    renderer while the file is read)."""
    items = list(items)
    if not items:
        return
    workers = limits.workers(len(items))
    if len(items) <= workers and _start_method(limits.start_method) == "fork":
        # as many files as workers (one file, typically): a forked process each, started at
        # once; a pool's manager would add a tenth of a second to start and to stop
        results = _run_forked(fn, items, limits, initializer, initargs, meanwhile)
        yield from zip(items, results, strict=True)
        return
    from pebble import ProcessPool

    context = _context(limits.start_method)
    pool = ProcessPool(
        max_workers=workers,
        max_tasks=TASKS_PER_WORKER,
        initializer=_worker_init,
        initargs=(limits.memory_mb, initializer, initargs),
        context=context,
    )
    window: deque = deque()
    depth = max(16, 8 * workers)  # enough work in flight that no worker waits for the parent
    finished = False
    try:
        for item in items:
            window.append((item, pool.schedule(_guarded, (fn, item), timeout=limits.timeout_s)))
            if meanwhile is not None:
                meanwhile()
                meanwhile = None
            if len(window) >= depth:
                head, future = window.popleft()
                yield head, _outcome(future, limits.memory_mb)
        while window:
            head, future = window.popleft()
            yield head, _outcome(future, limits.memory_mb)
        finished = True
    finally:
        if finished:
            pool.close()
        else:  # Ctrl-C, an error in the caller, or the caller stopped early
            pool.stop()
        pool.join()
