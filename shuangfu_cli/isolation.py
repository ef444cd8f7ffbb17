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
import multiprocessing
import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import CancelledError
from dataclasses import dataclass
from typing import Literal, TypeVar

T = TypeVar("T")
R = TypeVar("R")

#: Defaults, documented in the README (Speed and safety): a real return needs about 50 MB and
#: 10 ms; ten times the memory and thousands of times the time are left before a file is given up.
DEFAULT_MEMORY_MB = 512
DEFAULT_TIMEOUT_S = 30.0
#: A worker is replaced after this many files, so that no fragmentation can accumulate.
TASKS_PER_WORKER = 500

FailureKind = Literal["memory", "timeout", "crashed"]


def available_cpus() -> int:
    """CPUs this process may run on (the affinity mask where the platform has one)."""
    if hasattr(os, "process_cpu_count"):  # Python 3.13+
        return os.process_cpu_count() or 1
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


@dataclass(frozen=True)
class Limits:
    """How many workers, and what each may spend on one file before it is given up."""

    jobs: int = 0  # 0: the CPUs available
    memory_mb: int = DEFAULT_MEMORY_MB
    timeout_s: float = DEFAULT_TIMEOUT_S
    start_method: str | None = None  # None: fork where available, else spawn

    def workers(self, n_items: int) -> int:
        return max(1, min(self.jobs or available_cpus(), n_items))


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True)
class Failure:
    """Why a worker gave no result for one input."""

    kind: FailureKind
    detail: str = ""


def _context(start_method: str | None):
    if start_method is None:
        start_method = "fork" if sys.platform.startswith("linux") else "spawn"
    return multiprocessing.get_context(start_method)


def _worker_init(memory_mb: int, initializer, initargs) -> None:
    """In each worker: the memory ceiling, Ctrl-C left to the parent, native crash output
    (a Rust panic's backtrace, "memory allocation failed") kept off the user's terminal."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the pool's way to end a worker, not ours
    faulthandler.disable()  # its dump of a dying parser would go to a copy of stderr
    try:
        import resource

        limit = memory_mb << 20
        kind = resource.RLIMIT_DATA if sys.platform.startswith("linux") else resource.RLIMIT_AS
        resource.setrlimit(kind, (limit, limit))
    except (ImportError, ValueError, OSError):  # no rlimits here: the time limit still holds
        pass
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
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


def _one_shot(memory_mb: int, initializer, initargs, fn, item):
    """A worker for one item only (see run_isolated)."""
    _worker_init(memory_mb, initializer, initargs)
    return _guarded(fn, item)


def _outcome(future, memory_mb: int) -> object:
    from concurrent.futures import TimeoutError as FutureTimeout

    from pebble import ProcessExpired

    try:
        return future.result()
    except FutureTimeout:
        return Failure("timeout")
    except ProcessExpired as exc:
        # an allocation refused under the ceiling aborts a native parser (SIGABRT); the kernel's
        # OOM killer sends SIGKILL
        code = exc.exitcode or 0
        how = f"worker ended by {signal.Signals(-code).name}" if code < 0 else f"exit {code}"
        if code in (-signal.SIGABRT, -signal.SIGKILL):
            return Failure("memory", how)
        return Failure("crashed", how)
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
) -> Iterator[tuple[T, R | Failure]]:
    """Yield (item, fn(item) or Failure) for every item, in input order.

    `fn`, `initializer` and their arguments must be importable / picklable (spawn). The
    initializer runs once in each worker, e.g. to install what every call needs."""
    from pebble import ProcessPool, concurrent

    items = list(items)
    if not items:
        return
    workers = limits.workers(len(items))
    context = _context(limits.start_method)
    if len(items) <= workers and context.get_start_method() == "fork":
        # as many files as workers (one file, typically): a forked process each, started at
        # once; a pool's manager would add a tenth of a second to start and to stop
        one_shot = concurrent.process(timeout=limits.timeout_s, context=context)(_one_shot)
        futures = [one_shot(limits.memory_mb, initializer, initargs, fn, item) for item in items]
        for item, future in zip(items, futures, strict=True):
            yield item, _outcome(future, limits.memory_mb)
        return
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
