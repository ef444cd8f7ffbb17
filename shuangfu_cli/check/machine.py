"""What a run may ask of the machine: the bounds of the numeric options (--jobs, --max-memory,
--timeout) and how many workers the machine allows — no more than the CPUs this process may
run on, and no more than the memory left for the run holds at each worker's ceiling.

Each worker may take up to --max-memory before its file is given up: ``jobs × max_memory``
beyond what is left (the system's available memory and, in a container, what its cgroup's
limit leaves) lets the kernel's OOM killer end the whole run with no output instead. More
workers than CPUs only compete for them: ``--jobs 1000`` on 1,012 returns took 4.5 times the
default's time and 85 times its memory on two CPUs (README, Speed and safety).
"""

from __future__ import annotations

import os
from pathlib import Path

#: Defaults, documented in the README (Speed and safety): a real return needs about 50 MB and
#: 10 ms; ten times the memory and thousands of times the time are left before a file is given up.
DEFAULT_MEMORY_MB = 512
DEFAULT_TIMEOUT_S = 30.0
#: What each option accepts (a usage error outside): an hour is a hundred thousand times what a
#: return takes; 64 GB per return is beyond any spreadsheet the forms allow; no machine this
#: runs on has 1,024 CPUs (within the range, --jobs is lowered to what the machine allows).
JOBS_RANGE = (0, 1024)
MEMORY_MB_RANGE = (64, 65536)
TIMEOUT_S_RANGE = (1.0, 3600.0)


def available_cpus() -> int:
    """CPUs this process may run on (the affinity mask where the platform has one)."""
    if hasattr(os, "process_cpu_count"):  # Python 3.13+
        return os.process_cpu_count() or 1
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def _read_int(path: Path) -> int | None:
    try:
        return int(path.read_text().split()[0])
    except (OSError, ValueError, IndexError):  # absent, or "max" (no limit)
        return None


def _inactive_files(folder: Path, v2: bool) -> int:
    """The cgroup's page cache that can be given back at once (counted in its usage), as
    `docker stats` leaves it out."""
    key = "inactive_file" if v2 else "total_inactive_file"
    try:
        for line in (folder / "memory.stat").read_text().splitlines():
            name, _, value = line.partition(" ")
            if name == key:
                return int(value)
    except (OSError, ValueError):
        pass
    return 0


def _cgroup_left() -> int | None:
    """Bytes the process's memory cgroup still allows (v2, else v1), or None without a limit."""
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return None
    root = Path("/sys/fs/cgroup")
    for line in lines:
        _, controllers, where = line.split(":", 2)
        v2 = controllers == ""
        if not v2 and "memory" not in controllers.split(","):
            continue
        base = root if v2 else root / "memory"
        names = ("memory.max", "memory.current") if v2 else (
            "memory.limit_in_bytes", "memory.usage_in_bytes")  # fmt: skip
        parts = [part for part in where.split("/") if part]
        # the cgroup's folder under the mount; in a container the mount may be a subtree of
        # the path (its last parts), or the cgroup itself
        for folder in (base.joinpath(*parts[i:]) for i in range(len(parts) + 1)):
            limit, used = (_read_int(folder / name) for name in names)
            if limit is not None and used is not None:
                if limit >= 1 << 60:  # v1's "no limit"
                    return None
                return max(0, limit - used + _inactive_files(folder, v2))
    return None


def available_memory_mb() -> int | None:
    """Memory left for the run, in MB: the system's MemAvailable and what the cgroup's limit
    leaves, the lesser; None where neither can be read (not Linux)."""
    known = []
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                known.append(int(line.split()[1]) << 10)
    except (OSError, ValueError, IndexError):
        pass
    if (left := _cgroup_left()) is not None:
        known.append(left)
    return min(known) >> 20 if known else None


def allowed_workers(memory_mb: int) -> int:
    """The workers the machine allows at `memory_mb` each: the CPUs available, fewer when the
    memory left cannot hold that many ceilings; at least one."""
    cpus = available_cpus()
    memory = available_memory_mb()
    by_memory = cpus if memory is None else memory // max(1, memory_mb)
    return max(1, min(cpus, by_memory))
