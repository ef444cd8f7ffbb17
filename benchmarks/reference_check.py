"""`shuangfu reference check` beside Statistics Canada's Banff `verifyedits` on the same linear
edits: seeded contradictions in the sample reference, and what each finds.

    pip install -e '.[bench]' && python benchmarks/reference_check.py [--cases 30] [--seed 1]

Each case is the sample reference (towns.yaml) with one seeded problem, drawn with a seeded
random generator: a town's share above its indicator's bound; a share of poor villages' leaders
for a town that lists no poor village; a 其中 share above its total's bound; a households-per-
leader threshold no town's bounds can meet; a per-village threshold above the form's column
bound (a rule no row can meet); or nothing (a clean case). The edits of every system (the rules
alone, each town, the district: shuangfu_cli/rules/reference_rules.py `systems`) are given to
both: ours propagates bounds (rules/reference_edits.py), Banff's verifyedits solves them
(inconsistent: it stops with return code 16). Printed: per kind, the systems each found
inconsistent, found by both, by Banff only, by ours only; and the time each took. Asserts
nothing.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from plausibility import _quiet  # noqa: E402  (beside this script: Banff silenced one way)

from schemas import Reference  # noqa: E402
from shuangfu_cli.form.reference import load_reference, load_registry  # noqa: E402
from shuangfu_cli.rules.reference_edits import banff_text, propagate  # noqa: E402
from shuangfu_cli.rules.reference_rules import check_reference, systems  # noqa: E402

KINDS = ("share_above_bound", "no_poor_village", "part_above_total", "households_rule",
         "rule_no_row", "clean")  # fmt: skip


def _town(ref: Reference, i: int, targets: dict | None = None, villages=None) -> Reference:
    t = ref.towns[i]
    town = t.model_copy(
        update={k: v for k, v in (("targets", targets), ("villages", villages)) if v is not None}
    )
    return ref.model_copy(update={"towns": [*ref.towns[:i], town, *ref.towns[i + 1 :]]})


def seeded(ref: Reference, kind: str, rng: random.Random) -> Reference:
    registry = load_registry().by_code()
    i = rng.randrange(len(ref.towns))
    town = ref.towns[i]
    policy = ref.policy
    if kind == "share_above_bound":
        code = rng.choice(sorted(town.targets))
        return _town(
            ref, i, targets={**town.targets, code: registry[code].max + rng.randint(1, 50)}
        )
    if kind == "no_poor_village":
        villages = [v for v in town.villages if v.kind != "贫困村"]
        return _town(
            ref,
            i,
            targets={**town.targets, "LDR_STOCK_POORV": rng.randint(1, 12)},
            villages=villages,
        )
    if kind == "part_above_total":  # LDR_NEW (其中) above what LDR_STOCK may hold
        return _town(ref, i, targets={**town.targets, "LDR_NEW": registry["LDR_STOCK"].max + 1})
    if kind == "households_rule":  # 4 leaders a poor village at this many households each
        h = registry["LDR_HOUSEHOLDS_POORV"].max // 4 + rng.randint(1, 200)
        return ref.model_copy(
            update={"policy": policy.model_copy(update={"households_per_leader": h})}
        )
    if kind == "rule_no_row":
        return ref.model_copy(
            update={
                "policy": policy.model_copy(
                    update={"leaders_per_poor_village": rng.randint(501, 900)}
                )
            }
        )
    return ref


def banff_inconsistent(banff, text: str) -> bool:
    try:
        with _quiet(1):
            banff.verifyedits(edits=text, capture=True, trace=False)
    except Exception as exc:  # noqa: BLE001 - return code 16: the edits are inconsistent
        if getattr(exc, "return_code", None) == 16 or "consistency" in str(exc):
            return True
        raise
    return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with _quiet(1), _quiet(2):
        import banff
    rng = random.Random(args.seed)
    base, registry = load_reference(), load_registry()
    rows: dict[str, Counter] = {k: Counter() for k in KINDS}
    ours_s = banff_s = 0.0
    for n in range(args.cases):
        kind = KINDS[n % len(KINDS)]
        ref = seeded(base, kind, rng)
        t0 = time.perf_counter()
        findings = check_reference(ref, registry, {})
        ours = {s.name for s in systems(ref, registry) if propagate(s).conflicts}
        ours_s += time.perf_counter() - t0
        t0 = time.perf_counter()
        theirs = {
            s.name for s in systems(ref, registry) if banff_inconsistent(banff, banff_text(s))
        }
        banff_s += time.perf_counter() - t0
        c = rows[kind]
        c["cases"] += 1
        c["banff"] += len(theirs)
        c["ours"] += len(ours)
        c["both"] += len(ours & theirs)
        c["banff_only"] += len(theirs - ours)
        c["ours_only"] += len(ours - theirs)
        c["cases_flagged"] += any(f.severity == "error" for f in findings)
    print(f"{args.cases} seeded references (seed {args.seed}); inconsistent systems found:")
    head = ("kind", "cases", "Banff", "ours", "both", "Banff only", "ours only", "cases w/ error")
    print("  ".join(f"{h:>18}" if i == 0 else f"{h:>10}" for i, h in enumerate(head)))
    keys = ("cases", "banff", "ours", "both", "banff_only", "ours_only", "cases_flagged")
    for kind, c in rows.items():
        print(f"{kind:>18}  " + "  ".join(f"{c[k]:>10}" for k in keys))
    print(f"time: ours {ours_s:.2f} s, Banff verifyedits {banff_s:.2f} s")


if __name__ == "__main__":
    main()
