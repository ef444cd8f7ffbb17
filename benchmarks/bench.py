"""Benchmark: how long validation and the rollup take, and how much memory, for a district's
returns. Prints figures; asserts nothing (the machines are shared and noisy).

    python benchmarks/bench.py [--copies N]

Makes the 22 towns' 2020Q4 returns from the template, copies them N times (default 10, i.e.
220 files, ten districts' worth), then times `validate` of one return, of all, and the rollup.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from shuangfu_cli.config import load_reference, load_registry
from shuangfu_cli.fill import fill_workbook
from shuangfu_cli.rollup import rollup
from shuangfu_cli.samples import figures_for
from shuangfu_cli.template import write_template
from shuangfu_cli.validate import validate_file


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--copies", type=int, default=10)
    args = ap.parse_args()
    ref, reg = load_reference(), load_registry()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "returns"
        folder.mkdir()
        t0 = time.perf_counter()
        for town in ref.towns:
            blank = Path(tmp) / "blank.xlsx"
            write_template(town, "2020Q4", reg, blank)
            f, lists, cover = figures_for(town, "2020Q4")
            fill_workbook(blank, folder / f"{town.name}.xlsx", f, lists, cover)
        made = time.perf_counter() - t0
        files = sorted(folder.glob("*.xlsx"))
        big = Path(tmp) / "many"
        big.mkdir()
        for i in range(args.copies):
            for f in files:
                shutil.copy(f, big / f"{i:03d}_{f.name}")
        many = sorted(big.glob("*.xlsx"))

        t0 = time.perf_counter()
        validate_file(files[0])
        one = time.perf_counter() - t0
        t0 = time.perf_counter()
        for f in many:
            validate_file(f)
        all_ = time.perf_counter() - t0
        t0 = time.perf_counter()
        rollup([folder], "2020Q4")
        roll = time.perf_counter() - t0
        t0 = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "shuangfu_cli", "validate", str(files[0])],
            capture_output=True,
            check=False,
        )
        cold = time.perf_counter() - t0
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"templates + fill, 22 towns:        {made:7.2f} s")
        print(f"validate one return (warm):         {one * 1000:7.1f} ms")
        print(
            f"validate {len(many)} returns:            {all_:7.2f} s  "
            f"({all_ / len(many) * 1000:.1f} ms each)"
        )
        print(f"rollup of 22 returns:               {roll:7.2f} s")
        print(f"`python -m shuangfu_cli validate` one file, cold start: {cold:5.2f} s")
        print(f"peak memory (this process):         {rss:7.1f} MiB")


if __name__ == "__main__":
    main()
