"""The district's own return (层层汇总): the rollup's totals in the very form the towns filled,
so that the district can send it upward and the level above can check and add it up with the
same tool (a reference file whose units are districts, such as the sample city.yaml).

Every figure is the district total over the valid towns; the three lists are the valid towns'
lists joined, each workshop, village and class named with its town ("柏梓镇·石龙村") so that
names stay unique across the district. Towns not counted are listed, never dropped in silence.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import overload

from schemas import IndicatorRegistry, Reference, TownRef, VillageRef
from shuangfu_cli.district.rollup import Rollup
from shuangfu_cli.form.layout import form_layout

#: between a town and the name of one of its workshops, villages or classes
SEPARATOR = "·"

#: the list columns that name something of the town (and so are qualified with it)
NAMED = {"workshops": ("name", "village"), "villages": ("name",), "classes": ("name",)}


@overload
def qualified(town: str, name: str) -> str: ...
@overload
def qualified(town: str, name: object) -> object: ...
def qualified(town: str, name: object) -> object:
    """'柏梓镇', '石龙村' -> '柏梓镇·石龙村' (an empty name stays empty)."""
    return f"{town}{SEPARATOR}{name}" if isinstance(name, str) and name else name


def district_unit(reference: Reference, towns: Collection[str] | None = None) -> TownRef:
    """The district as one reporting unit: its name, and every village of its towns (or of
    `towns` only) named with its town. One level up, a reference file lists the district so."""
    villages = [
        VillageRef(qualified(t.name, v.name), v.kind)
        for t in reference.towns
        if towns is None or t.name in towns
        for v in t.villages
    ]
    return TownRef(name=reference.district, villages=villages)


@dataclass
class DistrictReturn:
    #: the district as its form shows it: its villages those of the towns counted
    #: (the template's village list has a row for each)
    unit: TownRef
    period: str
    #: the figures a town types (totals and list summaries are the form's own formulas)
    figures: Mapping[str, object]
    lists: dict[str, list[dict[str, object]]]
    cover: Mapping[str, object]
    #: the indicator registry of the rollup it is made from (names, units, bounds, targets)
    registry: IndicatorRegistry
    #: the towns whose figures and lists it holds
    towns: list[str] = field(default_factory=list)
    #: (town, status) of the towns it does not hold
    left_out: list[tuple[str, str]] = field(default_factory=list)


def _explanation(town: str, row: dict[str, object]) -> dict[str, object]:
    """A town's explanation, following its subject into the district's return: a list row's
    name (or the row its cell points at) qualified with the town; anything else is kept as
    text, since the district's own figures are the district's to explain."""
    about = row.get("about") or row.get("subject") or ""
    where = "!".join(str(row[k]) for k in ("sheet_name", "cell") if row.get(k))
    text = str(row.get("text") or "")
    if where and not row.get("about"):
        text = f"（{where}）{text}"
    return {
        "code": row.get("code") or "",
        "subject": qualified(town, about) if about else "",
        "text": f"{town}：{text}",
    }


def district_return(result: Rollup, reference: Reference | None = None) -> DistrictReturn:
    """The district's return for `result`'s quarter, made from a rollup run with
    ``keep_lists=True`` (with the reference data that rollup was made with, unless another is
    given)."""
    reference = reference or result.reference
    layout = form_layout()
    figures = {c: result.totals[c] for c, f in layout.figures.items() if f.is_input}
    lists: dict[str, list[dict[str, object]]] = {name: [] for name in (*NAMED, "explanations")}
    towns: list[str] = []
    left_out: list[tuple[str, str]] = []
    for town, state in result.towns.items():
        if state.status != "valid":
            left_out.append((town, state.status))
            continue
        towns.append(town)
        assert state.report is not None  # a valid town's return
        kept = state.report.lists
        for name, columns in NAMED.items():
            for row in kept.get(name, []):
                lists[name].append({k: qualified(town, v) if k in columns else v
                                    for k, v in row.items()})  # fmt: skip
        lists["explanations"] += [_explanation(town, r) for r in kept.get("explanations", [])]
    cover = {"town": reference.district, "period": result.period}
    return DistrictReturn(
        district_unit(reference, towns),
        result.period,
        figures,
        lists,
        cover,
        result.registry,
        towns,
        left_out,
    )
