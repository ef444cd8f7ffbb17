"""Many workbooks through one LibreOffice Calc process: each opened, typed into as a clerk types
(see lo_type.py), recalculated and saved. One soffice for all of them: the machine is small.

    /usr/bin/python3 tests/lo_batch.py PROFILE_DIR JOBS_JSON

JOBS_JSON is a list of {"src": path, "edits": [...], "out": stem, "formats": [...]}; the time
each job took (open, edit, recalculate, save), in seconds, is printed as one JSON list.
"""

from __future__ import annotations

import json
import sys
import time

from lo_type import _connect, stop, type_and_save


def main() -> None:
    profile, jobs_json = sys.argv[1:]
    jobs = json.loads(open(jobs_json, encoding="utf-8").read())
    proc, desktop = _connect(profile)
    took = []
    try:
        for job in jobs:
            start = time.perf_counter()
            type_and_save(desktop, job["src"], job["edits"], job["out"], job["formats"])
            took.append(time.perf_counter() - start)
    finally:
        stop(proc, desktop)
    print(json.dumps(took))


if __name__ == "__main__":
    main()
