"""Plausible figures for a town's return that satisfy every rule (for the sample returns and the
tests). Flow figures grow with the quarter, so a town's Q3 and Q4 returns are consistent."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from schemas import TownRef
from schemas.form import POOR_VILLAGE

#: full-year performance against the town's share, by indicator (most reach the target)
DEFAULT_PACE = (
    1.22,
    1.4,
)  # high enough that the district reaches most targets without the flawed towns
#: indicators that most towns miss in the samples, so the rollup has targets to report as behind
SHORT = {"EMP_WS_NEW": (0.6, 0.95), "EMP_JOBSEND": (0.8, 0.97)}
CADRE_ROWS = ("TEAM", "FIRSTSEC", "PARTYSEC", "VHEAD", "GRAD", "VCADRE", "TCADRE")
STAGES = {  # eligible range, 万元 per funded student
    "PRESCHOOL": ((8, 30), Decimal("0.1")),
    "COMPULSORY": ((40, 150), Decimal("0.0625")),
    "HIGHSCHOOL": ((10, 40), Decimal("0.2")),
    "VOCATIONAL": ((5, 25), Decimal("0.2")),
    "COLLEGE": ((4, 25), Decimal("0.5")),
}


def progress(period: str) -> float:
    return int(period[-1]) / 4


def _flow(full: int, period: str) -> int:
    return int(full * progress(period))


class _Town:
    """The full-year (Q4) figures of a town, from which each quarter is cut."""

    def __init__(self, town: TownRef, seed: int = 2020):
        self.town = town
        rng = random.Random(f"{seed}-{town.name}")
        self.rng = rng

        def share(code):
            lo, hi = SHORT.get(code, DEFAULT_PACE)
            return round(town.targets.get(code, 0) * rng.uniform(lo, hi))

        self.share = share
        n = len(town.villages)
        n_poor = sum(v.kind == POOR_VILLAGE for v in town.villages)
        self.planned = {
            "TEAM": rng.randint(2, 6),
            "FIRSTSEC": n_poor + rng.randint(0, 2),
            "PARTYSEC": n,
            "VHEAD": n,
            "GRAD": rng.randint(0, 3),
            "VCADRE": 2 * n,
            "TCADRE": rng.randint(15, 40),
        }
        self.cadre_sessions = {r: rng.randint(1, 3) for r in CADRE_ROWS}
        self.practical = share("TRN_PRACTICAL_PERSONS")
        self.skill = share("TRN_SKILL_PERSONS")
        self.transfer = share("EMP_TRANSFER_NEW")
        self.jobsend = share("EMP_JOBSEND")
        self.placed = share("EMP_PWJ_PLACED")
        self.eligible = {s: rng.randint(*r) for s, (r, _) in STAGES.items()}
        self.new_workshops = share("EMP_WS_NEW")
        self.old_workshops = rng.randint(1, 2)
        self.workers = [rng.randint(15, 60) for _ in range(self.new_workshops + self.old_workshops)]
        self.poor_share = [rng.uniform(0.32, 0.6) for _ in self.workers]
        self.ldr_new = share("LDR_NEW")
        self.extra_leaders = {
            v.name: rng.choice((0, 1, 1, 2) if v.kind == POOR_VILLAGE else (0, 0, 1, 1))
            for v in town.villages
        }


def figures_for(town: TownRef, period: str, seed: int = 2020) -> tuple[dict, dict, dict]:
    """(figures by code, lists by name, cover) of a return that passes every rule."""
    t = _Town(town, seed)
    p = progress(period)
    rng = random.Random(f"{seed}-{town.name}-{period}")
    f: dict[str, object] = {}
    for row in CADRE_ROWS:
        planned = t.planned[row]
        trained = planned if p == 1 else int(planned * p)
        f[f"TRN_CADRE_{row}_PLANNED"] = planned
        f[f"TRN_CADRE_{row}_TRAINED"] = trained
        f[f"TRN_CADRE_{row}_SESSIONS"] = max(1, int(t.cadre_sessions[row] * p)) if trained else 0
        f[f"TRN_CADRE_{row}_PTIMES"] = trained + int(trained * 0.4 * p)
    persons = _flow(t.practical, period)
    f |= {
        "TRN_PRACTICAL_SESSIONS": persons // 60 + 1,
        "TRN_PRACTICAL_PERSONS": persons,
        "TRN_PRACTICAL_POOR": int(persons * 0.45),
    }
    skill = _flow(t.skill, period)
    f |= {
        "TRN_SKILL_PERSONS": skill,
        "TRN_SKILL_RELOCATED": skill // 8,
        "TRN_SKILL_EMPLOYED": int(skill * 0.6),
    }
    for stage, (_, per_student) in STAGES.items():
        eligible = t.eligible[stage]
        funded = eligible if p == 1 else int(eligible * 0.9)
        f[f"EDU_{stage}_ELIGIBLE"] = eligible
        f[f"EDU_{stage}_FUNDED"] = funded
        f[f"EDU_{stage}_AMOUNT"] = (per_student * funded * Decimal(p)).quantize(Decimal("0.0001"))
    transfer = _flow(t.transfer, period)
    placed = _flow(t.placed, period)
    f |= {
        "EMP_TRANSFER_NEW": transfer,
        "EMP_TRANSFER_OUTSIDE": int(transfer * 0.4),
        "EMP_JOBSEND": _flow(t.jobsend, period),
        "EMP_PWJ_POSTS": placed + 2,
        "EMP_PWJ_PLACED": placed,
        "EMP_PWJ_ONDUTY": placed + t.old_workshops * 5 + 8,
    }
    villages = [v for v in town.villages]
    workshops = []
    opened_new = int(t.new_workshops * p) if p < 1 else t.new_workshops
    for i, (workers, share) in enumerate(zip(t.workers, t.poor_share, strict=True)):
        is_new = i < t.new_workshops
        if is_new and i >= opened_new:
            continue
        village = villages[i % len(villages)].name
        workshops.append(
            {
                "name": f"{village}扶贫车间{i + 1}号",
                "village": village,
                "new_2020": "是" if is_new else "否",
                "workers": workers,
                "poor": int(workers * share + 0.999),
            }
        )
    village_rows = []
    new_left = t.ldr_new
    for v in villages:
        stock = (4 if v.kind == POOR_VILLAGE else 1) + t.extra_leaders[v.name]
        village_rows.append({"name": v.name, "kind": v.kind, "stock": stock})
    # spread the town's newly cultivated leaders over its villages (never above stock)
    for row in village_rows:
        take = min(row["stock"], new_left)
        row["new"] = take if p == 1 else int(take * p)
        new_left -= take
    for row in village_rows:
        row["trained"] = row["stock"] if p == 1 else int(row["stock"] * p)
        row["households"] = 3 * row["stock"] + rng.randint(0, 1)
    classes = []
    for i in range(int(period[-1]) // 2):
        start = dt.date(int(period[:4]), 3 * i + 4, 8 + i)
        classes.append(
            {
                "name": f"{town.name}第{i + 1}期致富带头人培训班",
                "start": start,
                "days": 7,
                "classroom_days": 5,
                "field_days": 2,
                "trainees": 20 + i * 5,
            }
        )
    cover = {
        "preparer": "张三",
        "phone": "023-44551234",
        "reviewer": "李四",
        "date": dt.date(int(period[:4]), 3 * int(period[-1]), 28) + dt.timedelta(days=5),
    }
    lists = {"workshops": workshops, "villages": village_rows, "classes": classes}
    return f, lists, cover
