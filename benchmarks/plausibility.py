"""Benchmark: how well plausibility checks catch the slips town clerks make, beside Statistics
Canada's Banff `outlier` procedure on the same returns in the same run. Prints; asserts nothing.

    python benchmarks/plausibility.py [--towns 22|200] [--seed N] [--keep DIR] [--per-kind N]

Data (as in the design notes, plausibility.md), made here, not by samples.py: a year (Q1..Q4)
per town; towns 1x-4x in size; each quarter adds 15-35% (uniform) of the year's total to every
flow (cumulative from 1 January); stocks drift a few percent a quarter (half of the time not at
all); money in 万元, 4 decimals. The project's template, filled by code; 200 towns are the 22
renamed, in a JSON reference. Every clean return should pass validate with no finding ("odd").

Slips, one per seeded Q3/Q4 return ((town, quarter) drawn with replacement), on an input figure
where the return stays arithmetically right (cells that would give an E_ error are skipped and
counted): x10, div10 and swap (a digit typed twice, dropped; two adjacent digits swapped; counts
>= 10), yuan and baiyuan (万元 typed in 元 or 百元), copy (last quarter's return sent again with
this quarter's cover), exchange (two different figures in neighbouring rows of one column,
one of them >= 10, or two amounts, exchanged).

Ours: `shuangfu validate BATCH --period Q --previous CLEAN_LAST_QUARTER --format json`; a batch
is a quarter's clean returns with at most one seeded return per town in place of its clean one.
Recall: a finding at the seeded cell (exchange: either / both cells; copy: any finding on the
return). False warnings: findings on the clean Q2-Q4 returns, in clean-only runs.

Banff: `outlier` on the same batches (a row per town, a variable per input figure, the previous
quarter as indata_hist) with the settings of its examples (conversion_examples/outlier03.py, HB
on the historical trend; outlier04.py, sigma-gap), and HB without the flags on a side of zero
spread (Q3 = M or M = Q1 in its outsummary). A flag: FTI or FTE at the unit and variable.

Inputs are built once, cached in benchmarks/.cache/plausibility (by seed and a fingerprint).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import itertools
import json
import math
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from decimal import ROUND_DOWN, Decimal
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from schemas.form import POOR_VILLAGE  # noqa: E402
from shuangfu_cli.form.layout import form_layout  # noqa: E402
from shuangfu_cli.form.reference import load_reference, load_registry  # noqa: E402
from shuangfu_cli.writing.fill import fill, locate  # noqa: E402
from shuangfu_cli.writing.template import build_template  # noqa: E402

DATA_VERSION = "2"  # bump when the generator or the slips change: the cache is rebuilt
PERIODS = ("2020Q1", "2020Q2", "2020Q3", "2020Q4")
KINDS = ("x10", "div10", "yuan", "baiyuan", "swap", "copy", "exchange")
TARGETS = dict(zip(KINDS, (95, 90, 95, 95, 60, 95, 50), strict=True))  # recall, %
FALSE_TARGET = 5  # returns with a false warning per 100 clean returns
LAYOUT = form_layout()
INPUTS = [f for f in LAYOUT.figures.values() if f.is_input]
CODES = [f.code for f in INPUTS]
MONEY = {f.code for f in INPUTS if f.vtype == "money"}
REGISTRY = load_registry()
BOUNDS = REGISTRY.bounds()
TOTALS = [(f.code, f.parts) for f in LAYOUT.figures.values() if f.parts and f.parts[0] in CODES]
CADRE = ("TEAM", "FIRSTSEC", "PARTYSEC", "VHEAD", "GRAD", "VCADRE", "TCADRE")
# (eligible per 1x town, 万元 a funded student in a year) by stage
STAGES = {"PRESCHOOL": (5, 20, 0.1), "COMPULSORY": (25, 60, 0.0625), "HIGHSCHOOL": (6, 15, 0.2),
          "VOCATIONAL": (3, 10, 0.2), "COLLEGE": (3, 10, 0.5)}  # fmt: skip
# totals with their 其中 parts: (code, year's total per 1x town, ((part, share of the total)))
SCALARS = (
    ("TRN_PRACTICAL_PERSONS", (40, 80), (("TRN_PRACTICAL_POOR", (0.35, 0.6)),)),
    ("TRN_SKILL_PERSONS", (3, 12), (("TRN_SKILL_RELOCATED", (0.05, 0.25)),
                                    ("TRN_SKILL_EMPLOYED", (0.4, 0.8)))),
    ("EMP_TRANSFER_NEW", (6, 20), (("EMP_TRANSFER_OUTSIDE", (0.2, 0.6)),)),
)  # fmt: skip
KEYS = {"workshops": ("name", "village", "new_2020", "workers", "poor"),
        "villages": ("name", "kind", "stock", "new", "trained", "households"),
        "classes": ("name", "start", "days", "classroom_days", "field_days", "trainees")}  # fmt: skip
COVERS = [{"preparer": "张三", "phone": "023-44551234", "reviewer": "李四",
           "date": dt.date(2020, 3 * q, 28) + dt.timedelta(days=5)} for q in (1, 2, 3, 4)]  # fmt: skip
HB = {"method": "historic", "mii": 1.5, "mei": 1.3, "mdm": 0.05, "outlier_stats": True}
SG = {"method": "sigmagap", "beta_i": 0.5, "beta_e": 0.3}
VARIANTS = {"ours": "ours", "hb": "Banff HB", "sg": "Banff sigma-gap", "hb0": "HB 0-spread dropped"}


# input figures in neighbouring rows of one column of one block of a form
NEIGHBOURS = [
    (a.code, b.code)
    for block in (b for sheet in LAYOUT.sheets for b in sheet.blocks)
    for a, b in itertools.pairwise(sorted(block.figures, key=lambda f: f.col_label or ""))
    if a.col_label == b.col_label and a.is_input and b.is_input
]


# --- a clean year --------------------------------------------------------------------------


def _cum(rng) -> list[float]:
    """The share of the year's total at each quarter's end: 15-35% added each quarter."""
    return list(itertools.accumulate(rng.uniform(0.15, 0.35) for _ in PERIODS))


def _flow(rng, total: float, cap: list[int] | None = None) -> list[int]:
    """Cumulative whole numbers; under `cap` without falling (under cap's later minimum)."""
    out = [int(c * total) for c in _cum(rng)]
    return out if cap is None else [min(v, min(cap[q:])) for q, v in enumerate(out)]


def _stock(rng, start: float) -> list[int]:
    out = [max(0, round(start))]
    for _ in PERIODS[1:]:
        drift = rng.uniform(-0.04, 0.04) if rng.random() < 0.5 else 0
        out.append(max(0, round(out[-1] * (1 + drift))))
    return out


def town_year(town, seed: int) -> list[tuple[dict, dict, dict]]:
    """(figures, lists, cover) of each quarter of a town's clean year."""
    rng = random.Random(f"{seed}-{town.name}")
    s, n = rng.uniform(1, 4), len(town.villages)
    n_poor = sum(v.kind == POOR_VILLAGE for v in town.villages)
    col: dict[str, list] = {}  # code: its four quarters
    planned = (2 + 1.2 * s, n_poor + rng.randint(0, 2), n, n, rng.randint(0, 3),
               2 * n * rng.uniform(0.8, 1.2), rng.uniform(10, 20) * s)  # fmt: skip
    for row, start in zip(CADRE, planned, strict=True):
        k = f"TRN_CADRE_{row}_"
        col[k + "PLANNED"] = stock = _stock(rng, start)
        year = stock[0] * rng.uniform(0.85, 1.0)
        col[k + "TRAINED"] = trained = _flow(rng, year, stock)
        ptimes = _flow(rng, year * rng.uniform(1.2, 2))
        sessions = _flow(rng, rng.randint(1, 4))  # none, and no person-times, before a trainee
        col[k + "PTIMES"] = [max(p, t) if t else 0 for p, t in zip(ptimes, trained, strict=True)]
        col[k + "SESSIONS"] = [
            max(x, 1) if t else 0 for x, t in zip(sessions, trained, strict=True)
        ]
    for total, size, parts in SCALARS:
        year = rng.uniform(*size) * s
        col[total] = whole = _flow(rng, year)
        for code, share in parts:
            col[code] = _flow(rng, year * rng.uniform(*share), whole)
    col["TRN_PRACTICAL_SESSIONS"] = [max(1, p // 45) for p in col["TRN_PRACTICAL_PERSONS"]]
    for stage, (lo, hi, rate) in STAGES.items():
        k = f"EDU_{stage}_"
        col[k + "ELIGIBLE"] = eligible = _stock(rng, rng.uniform(lo, hi) * s)
        year = eligible[0] * rng.uniform(0.9, 1.0)
        col[k + "FUNDED"] = funded = _flow(rng, year, eligible)
        paid = year * rate * rng.uniform(0.8, 1.2)  # at most 1.4 万元 a student; 0 if none
        col[k + "AMOUNT"] = [
            Decimal(min(c * paid, 1.4 * f)).quantize(Decimal("0.0001"), ROUND_DOWN)
            for c, f in zip(_cum(rng), funded, strict=True)
        ]
    col["EMP_JOBSEND"] = _flow(rng, rng.uniform(3, 10) * s)
    placed = rng.uniform(8, 25) * s
    col["EMP_PWJ_PLACED"] = _flow(rng, placed)
    col["EMP_PWJ_POSTS"] = _flow(rng, placed * rng.uniform(1.0, 1.3))
    col["EMP_PWJ_ONDUTY"] = _stock(rng, rng.uniform(8, 25) * s)
    figures = [{c: v[q] for c, v in col.items()} for q in range(len(PERIODS))]
    return list(zip(figures, _lists(town, rng, s), COVERS, strict=True))


def _lists(town, rng, s: float) -> list[dict]:
    """Each quarter's lists: workshops (never closed; 32-60% registered poor), villages (the
    leaders grow with the new ones), leaders' classes (7 or 14 days at 5:2)."""
    shops = []
    for i in range(rng.randint(1, 2) + round(rng.uniform(0, 0.8) * s)):
        new, village = i > 0 and rng.random() < 0.6, rng.choice(town.villages).name
        opened, workers = rng.randint(0, 3) if new else 0, _stock(rng, rng.uniform(15, 60))
        shops.append((village, i, new, opened, workers, rng.uniform(0.32, 0.6)))
    villages = []
    for v in town.villages:
        poor = v.kind == POOR_VILLAGE
        base = (4 if poor else 1) + rng.choice((0, 1, 1, 2) if poor else (0, 0, 1, 1))
        new, trained = _flow(rng, rng.choice((0, 1, 1, 2))), _flow(rng, rng.randint(0, base + 2))
        villages.append((v, base, new, trained, rng.randint(0, 3)))
    classes = sorted(
        (dt.date(2020, 3 * q + 1, 1) + dt.timedelta(rng.randint(0, 80)), q, rng.choice((7, 14)))
        for q in [rng.randint(0, 3) for _ in range(rng.randint(1, 3))]
    )
    out = []
    for q in range(len(PERIODS)):
        rows = {"workshops": [], "villages": [], "classes": []}
        for v, i, new, opened, w, share in shops:
            row = (f"{v}扶贫车间{i + 1}号", v, "是" if new else "否", w[q], math.ceil(w[q] * share))
            rows["workshops"] += [row] if opened <= q else []
        for v, base, new, trained, extra in villages:
            stock = base + new[q]
            rows["villages"].append((v.name, v.kind, stock, new[q], trained[q], 3 * stock + extra))
        for i, (start, opened, d) in enumerate(classes):
            row = (f"第{i + 1}期致富带头人培训班", start, d, d * 5 // 7, d * 2 // 7, 20 + 3 * i)
            rows["classes"] += [row] if opened <= q else []
        out.append({k: [dict(zip(KEYS[k], r, strict=True)) for r in v] for k, v in rows.items()})
    return out


# --- slips ---------------------------------------------------------------------------------


def breaks(v: dict) -> bool:
    """Would the return get an E_ error: above a bound or a limit, or money without students."""
    for f in INPUTS:
        x = v[f.code]
        if x > BOUNDS[f.code] or any(x > v[a] for a in f.not_above):
            return True
        if any(x < v[b] for b in f.not_below):
            return True
    if any(sum(v[p] for p in parts) > BOUNDS[total] for total, parts in TOTALS):
        return True
    return any(bool(v[f"EDU_{s}_FUNDED"]) != bool(v[f"EDU_{s}_AMOUNT"]) for s in STAGES)


def _swapped(value: int, rng) -> int | None:
    s = str(value)
    at = [i for i in range(len(s) - 1) if s[i] != s[i + 1] and not (i == 0 and s[1] == "0")]
    i = rng.choice(at) if at else None
    return None if i is None else int(s[:i] + s[i + 1] + s[i] + s[i + 2 :])


def candidates(kind: str, v: dict, rng) -> list[dict]:
    """Every way to make the slip in a return: {code: new value}."""
    if kind == "exchange":
        return [
            {a: v[b], b: v[a]}
            for a, b in NEIGHBOURS
            if v[a] != v[b] and (min(v[a], v[b]) > 0 if a in MONEY else max(v[a], v[b]) >= 10)
        ]
    out = []
    for code in CODES:
        x = v[code]
        if kind in ("yuan", "baiyuan") and code in MONEY and x > 0:
            out.append({code: x * (10000 if kind == "yuan" else 100)})
        elif kind in ("x10", "div10", "swap") and code not in MONEY and x >= 10:
            new = x * 10 if kind == "x10" else x // 10 if kind == "div10" else _swapped(x, rng)
            out += [{code: new}] if new is not None else []
    return out


def draw_cases(year: list, per_kind: int, seed: int) -> tuple[list[dict], Counter, Counter]:
    """The seeded cases: (cases, cells skipped for an E_ error, returns redrawn), by kind."""
    rng = random.Random(f"{seed}-slips")
    cases, skipped, redrawn = [], Counter(), Counter()
    for kind in KINDS:
        made = 0
        while made < per_kind:
            t, q = rng.randrange(len(year)), rng.choice((2, 3))
            figs, lists, cover = year[t][q - 1] if kind == "copy" else year[t][q]
            cover = year[t][q][2]  # a copy goes out with a new cover: this quarter's date
            change = {} if kind == "copy" else None
            options = [] if kind == "copy" else candidates(kind, figs, rng)
            rng.shuffle(options)
            for option in options:
                if not breaks(figs | option):
                    change = option
                    break
                skipped[kind] += 1
            if change is None:
                redrawn[kind] += 1
                continue
            case = {"id": len(cases), "kind": kind, "town": t, "q": q, "codes": list(change)}
            cases.append(case | {"return": (figs | change, lists, cover)})
            made += 1
    return cases, skipped, redrawn


# --- building (cached) ---------------------------------------------------------------------


def _write(job) -> list:
    """Write one return from the template; the (sheet, cell) of each code asked for."""
    town, forms, period, (figs, lists, cover), out, codes = job
    wb = build_template(town, period, REGISTRY, forms)
    fill(wb, figs, lists, cover)
    wb.save(out)
    return [locate(out, code) for code in codes]


def build(cache: Path, n: int, seed: int, per_kind: int) -> Path:
    """The cached returns; rebuilt when the template, the schema or the reference change."""
    h = hashlib.sha256(f"plausibility {DATA_VERSION}".encode())
    sources = [*(ROOT / "shuangfu_cli" / "writing" / "template").glob("*.py"), ROOT / "towns.yaml"]
    sources += [*(ROOT / "schemas").glob("*.py"), ROOT / "indicators.yaml"]
    sources += [
        ROOT / "shuangfu_cli" / "writing" / "fill.py",
        ROOT / "shuangfu_cli" / "form" / "layout.py",
    ]
    for path in sorted(sources):
        h.update(path.read_bytes())
    folder = cache / f"{n}towns-seed{seed}-{per_kind}perkind-{h.hexdigest()[:12]}"
    if (folder / "done").exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "seeded").mkdir(parents=True)
    print(f"building {n} towns' returns (once; cached in {folder})", file=sys.stderr)
    reference = None
    if n != 22:  # the 22 towns renamed, as benchmarks/bench.py makes its synthetic towns
        data = yaml.safe_load((ROOT / "towns.yaml").read_text(encoding="utf-8"))
        src = [data["towns"][i % len(data["towns"])] for i in range(n)]
        renamed = [dict(t, name=f"{t['name']}{i:03d}") for i, t in enumerate(src)]
        reference = folder / f"towns_{n}.json"
        with open(reference, "w", encoding="utf-8") as fh:
            json.dump(dict(data, towns=renamed, note="synthetic towns"), fh, ensure_ascii=False)
    ref = load_reference(reference)
    towns = ref.towns
    year = [town_year(town, seed) for town in towns]
    cases, skipped, redrawn = draw_cases(year, per_kind, seed)
    jobs = []
    for q, period in enumerate(PERIODS):
        (folder / "clean" / period).mkdir(parents=True)
        for t, town in enumerate(towns):
            out = folder / "clean" / period / f"{town.name}_{period}.xlsx"
            jobs.append((town, ref.forms, period, year[t][q], out, []))
    for c in cases:
        town, period = towns[c["town"]], PERIODS[c["q"]]
        c["file"] = f"{town.name}_{period}_{c['id']:03d}{c['kind']}.xlsx"
        jobs.append((town, ref.forms, period, c["return"], folder / "seeded" / c["file"], c["codes"]))  # fmt: skip
    with ProcessPoolExecutor(len(os.sched_getaffinity(0))) as pool:
        cells = list(pool.map(_write, jobs, chunksize=8))
    for c, located in zip(cases, cells[len(cells) - len(cases) :], strict=True):
        c["cells"], c["values"] = located, c.pop("return")[0]
    meta = {"towns": [t.name for t in towns], "reference": reference and reference.name}
    meta |= {"clean": [[y[0] for y in town] for town in year], "cases": cases}
    meta |= {"skipped": skipped, "redrawn": redrawn}
    (folder / "meta.json").write_text(
        json.dumps(meta, ensure_ascii=False, default=float), encoding="utf-8"
    )
    (folder / "done").write_text("ok")
    return folder


# --- running -------------------------------------------------------------------------------


def validate(folder: Path, period: str, previous: Path | None, reference: Path | None) -> dict:
    """{file name: its findings} of one `shuangfu validate` run over a folder."""
    exe = Path(sys.executable).parent / "shuangfu"
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "shuangfu_cli"]
    cmd += ["validate", str(folder), "--period", period, "--format", "json"]
    cmd += ["--previous", str(previous)] if previous else []
    cmd += ["--reference", str(reference)] if reference else []
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode not in (0, 1):  # 1: a return is invalid, normal here
        raise RuntimeError(f"{' '.join(cmd)}: exit {proc.returncode}: {proc.stderr[-500:]}")
    return {Path(r["file"]).name: r["findings"] for r in json.loads(proc.stdout)["returns"]}


@contextlib.contextmanager
def _quiet(fd: int):
    """Banff writes its log to file descriptor 1 (and its import to 1 and 2): silenced."""
    sys.stdout.flush(), sys.stderr.flush()
    saved, null = os.dup(fd), os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, fd)
    try:
        yield
    finally:
        os.dup2(saved, fd)
        os.close(saved), os.close(null)


def banff_flags(banff, units: list[str], cur: list[dict], hist: list[dict]) -> dict:
    """{variant: {(unit, code)}}: Banff's outlier flags (FTI or FTE) on one batch of towns."""
    import pyarrow as pa

    table = [pa.Table.from_pylist([{"ident": u, **v} for u, v in zip(units, x, strict=True)])
             for x in (cur, hist)]  # fmt: skip
    common = {"indata": table[0], "indata_hist": table[1], "unit_id": "ident"}
    common |= {"var": " ".join(CODES), "trace": False, "capture": None}
    with _quiet(1):
        hb = banff.outlier(**common, **HB)
        sg = banff.outlier(**common, **SG, with_var=" ".join(CODES)).outstatus.to_pylist()
    summary = {s["FIELDID"]: s for s in hb.outsummary.to_pylist()}
    hb = hb.outstatus_detailed.to_pylist()
    out = {"hb": {(x["ident"], x["FIELDID"]) for x in hb}, "hb0": set()}
    out["sg"] = {(x["ident"], x["FIELDID"]) for x in sg}
    for x in hb:  # kept where the flag's side of the acceptance interval has a width
        s = summary[x["FIELDID"]]
        if (s["Q3"] - s["M"] if x["OUTLIER_STATUS"].endswith("R") else s["M"] - s["Q1"]) > 1e-12:
            out["hb0"].add((x["ident"], x["FIELDID"]))
    return out


def run(folder: Path, work: Path) -> dict:
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    towns, cases, clean = meta["towns"], meta["cases"], meta["clean"]
    reference, rows = meta["reference"] and folder / meta["reference"], range(len(towns))
    units = [f"U{t:04d}" for t in rows]
    res = {"meta": meta, "ours_s": 0.0, "banff_s": 0.0, "runs": 0, "files": 0, "odd": []}
    res |= {"hits": {v: {} for v in VARIANTS}, "clean_codes": Counter(), "banff_error": None}
    res["false"] = {v: [0, 0] for v in VARIANTS}  # clean returns flagged, flags
    try:
        with _quiet(1), _quiet(2):
            import banff
    except Exception as exc:  # the benchmark goes on without Banff
        banff, res["banff_error"] = None, f"import banff: {exc!r}"

    def ours(path: Path, q: int) -> dict:
        t0 = time.perf_counter()
        previous = folder / "clean" / PERIODS[q - 1] if q else None
        found = validate(path, PERIODS[q], previous, reference)
        res["ours_s"] += time.perf_counter() - t0
        res["runs"], res["files"] = res["runs"] + 1, res["files"] + len(found)
        return found

    def theirs(q: int, cur: list[dict]) -> dict:
        if banff is None or q == 0:
            return {}
        t0 = time.perf_counter()
        try:
            return banff_flags(banff, units, cur, [clean[t][q - 1] for t in rows])
        except Exception as exc:  # said in the report; the run goes on
            res["banff_error"] = f"banff.outlier: {exc!r}"
            return {}
        finally:
            res["banff_s"] += time.perf_counter() - t0

    for q, period in enumerate(PERIODS):  # clean returns: Q1 alone, Q2-Q4 against the last
        found = ours(folder / "clean" / period, q)
        res["odd"] += [
            f"clean {k}: {sorted({f['code'] for f in v})}" for k, v in found.items() if v
        ]
        if q:
            res["clean_codes"].update(f["code"] for v in found.values() for f in v)
            res["false"]["ours"][0] += sum(bool(v) for v in found.values())
            res["false"]["ours"][1] += sum(len(v) for v in found.values())
        for variant, got in theirs(q, [clean[t][q] for t in rows]).items():
            res["false"][variant][0] += len({u for u, _ in got})
            res["false"][variant][1] += len(got)
    res["clean_n"] = len(towns) * (len(PERIODS) - 1)
    batches, seen = defaultdict(dict), Counter()  # at most one seeded return a town a batch
    for c in cases:
        batches[c["q"], seen[c["q"], c["town"]]][c["town"]] = c
        seen[c["q"], c["town"]] += 1
    for (q, k), seeded in sorted(batches.items()):
        path = work / f"{PERIODS[q]}_batch{k}"
        path.mkdir(parents=True)
        for t, town in enumerate(towns):
            src = folder / "clean" / PERIODS[q] / f"{town}_{PERIODS[q]}.xlsx"
            src = folder / "seeded" / seeded[t]["file"] if t in seeded else src
            with contextlib.suppress(OSError):  # a copy where a link cannot be made
                os.link(src, path / src.name)
            if not (path / src.name).exists():
                shutil.copy2(src, path / src.name)
        found = ours(path, q)
        flags = theirs(q, [seeded[t]["values"] if t in seeded else clean[t][q] for t in rows])
        for t, c in seeded.items():
            findings, cells = found[c["file"]], [tuple(x) for x in c["cells"]]
            if any(f["severity"] == "error" for f in findings):
                res["odd"].append(f"seeded {c['file']} has an error: {findings}")
            at = [{f["code"] for f in findings if (f["sheet"], f["cell"]) == x} for x in cells]
            res["hits"]["ours"][c["id"]] = [bool(a) for a in at] or [bool(findings)]
            for variant, got in flags.items():
                on_unit = [any(u == units[t] for u, _ in got)]
                res["hits"][variant][c["id"]] = [
                    (units[t], x) in got for x in c["codes"]
                ] or on_unit
            c["at"] = sorted(set().union(*at))
            c["elsewhere"] = sorted({f["code"] for f in findings if (f["sheet"], f["cell"]) not in cells})  # fmt: skip
    return res


# --- report --------------------------------------------------------------------------------


def _pct(hits: list[list[bool]], how=any) -> str:
    return f"{100 * sum(how(h) for h in hits) / len(hits):3.0f}%" if hits else "  -"


def report(n: int, res: dict, built_s: float) -> None:
    meta, cases, clean_n = res["meta"], res["meta"]["cases"], res["clean_n"]
    print(f"\n{n} towns: {len(cases)} seeded Q3/Q4 returns, {clean_n} clean Q2-Q4 returns")
    print(f"{'kind':<10}{'n':>3}" + "".join(f"{h:>21}" for h in VARIANTS.values()) + "  target")
    for kind in KINDS:
        ids = [c["id"] for c in cases if c["kind"] == kind]
        row = f"{kind:<10}{len(ids):>3}"
        for v in VARIANTS:
            hits = [res["hits"][v][i] for i in ids if i in res["hits"][v]]
            row += (
                f"{f'{_pct(hits)} / {_pct(hits, all)}' if kind == 'exchange' else _pct(hits):>21}"
            )
        print(row + f"  >= {TARGETS[kind]}%" + ("  (either / both cells)" if kind == "exchange" else ""))  # fmt: skip
    row = f"{'false':<10}{'':>3}"
    for v, (flagged, flags) in res["false"].items():
        ran = v == "ours" or not res["banff_error"]
        row += (
            f"{f'{100 * flagged / clean_n:.1f} ({100 * flags / clean_n:.1f})' if ran else '-':>21}"
        )
    print(row + f"  <= {FALSE_TARGET}   (returns flagged per 100 clean returns (flags per 100))")
    print("ours, codes at the seeded cell(s) [and elsewhere on the seeded return]:")
    for kind in KINDS:
        at = Counter(x for c in cases if c["kind"] == kind for x in c.get("at", []))
        away = Counter(x for c in cases if c["kind"] == kind for x in c.get("elsewhere", []))
        print(f"  {kind:<9} {dict(at) or '-'}  [{dict(away) or '-'}]")
    print(f"ours, codes on the clean Q2-Q4 returns: {dict(res['clean_codes']) or 'none'}")
    print(f"cells skipped (the slip would give an E_ error): {dict(meta['skipped']) or 'none'}; "
          f"returns redrawn (no cell fits): {dict(meta['redrawn']) or 'none'}")  # fmt: skip
    print(f"run time: ours {res['ours_s']:.1f} s ({res['runs']} validate runs, {res['files']} "
          f"returns); Banff {res['banff_s']:.1f} s; building {built_s:.1f} s")  # fmt: skip
    if res["banff_error"]:
        print(f"Banff did not run: {res['banff_error']}")
    for line in res["odd"][:20] + [f"... {len(res['odd']) - 20} more"] * (len(res["odd"]) > 20):
        print(f"odd: {line}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--towns", type=int, choices=(22, 200), help="default: 22, then 200")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--per-kind", type=int, default=20, help="seeded returns per kind of slip")
    ap.add_argument("--keep", type=Path, help="keep the batch folders and cases.json here")
    args = ap.parse_args()
    head = subprocess.run(["git", "-C", str(ROOT), "describe", "--always", "--dirty"],
                          capture_output=True, text=True, check=False).stdout.strip()  # fmt: skip
    print(f"{time.strftime('%Y-%m-%d')}, {len(os.sched_getaffinity(0))} CPUs, Python "
          f"{sys.version.split()[0]}, code {head or '?'}, seed {args.seed}, {args.per_kind} per "
          f"kind\nBanff outlier: HB {HB}; sigma-gap {SG}, with_var = var; var = the "
          f"{len(CODES)} input figures, indata_hist = the previous quarter")  # fmt: skip
    for n in (args.towns,) if args.towns else (22, 200):
        t0 = time.perf_counter()
        folder = build(ROOT / "benchmarks" / ".cache" / "plausibility", n, args.seed, args.per_kind)
        built_s = time.perf_counter() - t0
        work = args.keep / f"{n}towns" if args.keep else Path(tempfile.mkdtemp(dir=folder.parent))
        shutil.rmtree(work, ignore_errors=True)
        try:
            res = run(folder, work)
            report(n, res, built_s)
            if args.keep:  # each seeded case: kind, town, quarter, file, codes, cells, hits
                for c in res["meta"]["cases"]:
                    c |= {"town": res["meta"]["towns"][c["town"]], "quarter": PERIODS[c["q"]]}
                    c["hits"] = {v: res["hits"][v].get(c["id"]) for v in VARIANTS}
                with open(work / "cases.json", "w", encoding="utf-8") as fh:
                    json.dump(res["meta"]["cases"], fh, ensure_ascii=False, indent=1)
        finally:
            if not args.keep:
                shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
