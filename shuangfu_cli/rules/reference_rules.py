"""`shuangfu reference check`: what is wrong with a reference file, at its sheet and cell.

Unknown indicator codes, towns' shares that do not add up to the district's target, a village
listed under two towns, and the linear edits of rules/reference_edits.py: a target above its
indicator's bound, a share a town's villages cannot meet (8 leaders in poor villages for a town
with none), a threshold no row of the form can meet (a class of at least 400 days), and any
other set of targets, bounds and thresholds that cannot hold at once — each with the edits that
contradict each other, in the office's words. A target lower than what the rules imply (3 poor
villages at 4 leaders each and a share of 8) is a warning. The codes and their messages are in
form/reference_findings.py.
"""

from __future__ import annotations

from schemas import IndicatorRegistry, Plausibility, Policy, Reference, TownRef, meta
from shuangfu_cli.form import reference_findings as _codes  # noqa: F401 - registers the codes
from shuangfu_cli.form.findings import Finding
from shuangfu_cli.form.layout import form_layout
from shuangfu_cli.form.reference_layout import allowed_range
from shuangfu_cli.rules.reference_edits import EPS, Edit, Source, System, propagate

Where = dict[str, tuple[str, str]]
POOR = "贫困村"


def _at(where: Where, key: str, finding: str, /, **params) -> Finding:
    sheet, cell = where.get(key, (None, None))
    return Finding(finding, sheet=sheet, cell=cell, params=params)


def _num(x: float) -> str:
    return f"{x:.4f}".rstrip("0").rstrip(".") if x != int(x) else str(int(x))


def _names(registry: IndicatorRegistry) -> dict[str, str]:
    return {i.code: i.name_zh for i in registry.indicators}


def _column_max(list_name: str, key: str) -> int | None:
    for lst in form_layout().lists:
        if lst.name == list_name:
            return next((c.max for c in lst.columns if c.key == key), None)
    return None


def unit_system(
    name: str,
    shares: dict[str, int],
    villages: list,
    reference: Reference,
    registry: IndicatorRegistry,
    share_key: str,
    n_units: int = 1,
) -> System:
    """The edits of one town (shares: its own; villages: its own) or of the district (shares:
    the targets; villages: all; n_units: the towns, whose bounds add up)."""
    s, policy = System(name), reference.policy
    names = _names(registry)
    layout = form_layout()
    for ind in registry.indicators:
        bound = ind.max * reference.bounds_factor * n_units
        s.at_most(
            ind.code,
            bound,
            Source("bound", f"code:{ind.code}", f"合理上限{bound}", f"the bound {bound}"),
        )
    for f in layout.figures.values():
        if f.parts:
            why = Source(
                "form", "", f"{names[f.code]}为各分项之和", f"{f.code} is the sum of its parts"
            )
            s.sum_of(f.code, f.parts, why)
        for other in f.not_above:
            why = Source("form", "", f"不大于{names[other]}", f"not above {other}")
            s.not_above(f.code, other, why)
        for other in f.not_below:
            why = Source("form", "", f"不小于{names[other]}", f"not below {other}")
            s.not_above(other, f.code, why)
    poor = sum(1 for v in villages if v.kind == POOR)
    others = len(villages) - poor
    stock_max, hh_max = _column_max("villages", "stock"), _column_max("villages", "households")
    splits: tuple[tuple[str, int, int, str], ...] = (
        ("POORV", poor, policy.leaders_per_poor_village, "leaders_per_poor_village"),
        ("OTHERV", others, policy.leaders_per_other_village, "leaders_per_other_village"),
    )
    for suffix, n, per, field in splits:
        kind_zh = "贫困村" if suffix == "POORV" else "非贫困村和社区"
        stock, households = f"LDR_STOCK_{suffix}", f"LDR_HOUSEHOLDS_{suffix}"
        s.at_least(
            stock,
            per * n,
            Source(
                "policy",
                f"policy:{field}",
                f"{n}个{kind_zh}每个至少{per}人",
                f"{n} villages at {per} each",
            ),
        )
        if stock_max is not None:
            s.at_most(
                stock,
                stock_max * n,
                Source(
                    "villages",
                    f"town:{name}",
                    f"{n}个{kind_zh}每个至多{stock_max}人",
                    f"{n} villages at most {stock_max} each",
                ),
            )
        if hh_max is not None:
            s.at_most(
                households,
                hh_max * n,
                Source(
                    "villages",
                    f"town:{name}",
                    f"{n}个{kind_zh}每个至多带动{hh_max}户",
                    f"{n} villages at most {hh_max} each",
                ),
            )
        h = policy.households_per_leader
        s.not_above(
            stock,
            households,
            Source(
                "policy",
                "policy:households_per_leader",
                f"每名带头人至少带动{h}户",
                f"{h} households per leader",
            ),
            factor=h,
        )
    for code, n in shares.items():
        if code in names:
            label = "任务数" if share_key == "share" else "全区目标"
            zh, en = f"{names[code]}{label}{n}", f"the target {n} for {code}"
            s.at_least(code, n, Source(share_key, _share_key(share_key, name, code), zh, en))
    return s


def _share_key(kind: str, town: str, code: str) -> str:
    return f"share:{town}:{code}" if kind == "share" else f"target:{code}"


def rules_system(policy: Policy) -> System:
    """The thresholds alone against the form's column bounds: one village, one class."""
    s = System("rules")
    stock_max, hh_max = _column_max("villages", "stock"), _column_max("villages", "households")
    days_max = _column_max("classes", "days") or 366
    form = Source("form", "", "表中该列的上限", "the column's bound")
    for var, per, field in (
        ("POOR_STOCK", policy.leaders_per_poor_village, "leaders_per_poor_village"),
        ("OTHER_STOCK", policy.leaders_per_other_village, "leaders_per_other_village"),
    ):
        s.at_least(
            var, per, Source("policy", f"policy:{field}", f"每村至少{per}人", f"{per} per village")
        )
        hh = var.replace("STOCK", "HOUSEHOLDS")
        h = policy.households_per_leader
        s.not_above(
            var,
            hh,
            Source(
                "policy",
                "policy:households_per_leader",
                f"每人至少带动{h}户",
                f"{h} households each",
            ),
            factor=h,
        )
        if stock_max is not None:
            s.at_most(
                var,
                stock_max,
                Source("form", "", f"每村致富带头人至多{stock_max}人", f"at most {stock_max}"),
            )
        if hh_max is not None:
            s.at_most(
                hh, hh_max, Source("form", "", f"每村带动贫困户至多{hh_max}户", f"at most {hh_max}")
            )
    m = policy.class_min_days
    s.at_least("DAYS", m, Source("policy", "policy:class_min_days", f"每期至少{m}天", f"{m} days"))
    s.at_most(
        "DAYS",
        days_max,
        Source("form", "", f"培训天数至多{days_max}天", f"at most {days_max} days"),
    )
    s.sum_of("DAYS", ("CLASSROOM", "FIELD"), form)
    a, b = policy.class_classroom_days, policy.class_field_days
    ratio = Source(
        "policy", "policy:class_classroom_days", f"集中教学与现场观摩{a}:{b}", f"{a}:{b}"
    )
    s.edits.append(Edit((("CLASSROOM", float(b)), ("FIELD", float(-a))), "=", 0.0, ratio))
    return s


def systems(reference: Reference, registry: IndicatorRegistry) -> list[System]:
    """Every system the checker (and the benchmark's Banff) judges: the rules, each town, the
    district."""
    out = [rules_system(reference.policy)]
    for town in reference.towns:
        out.append(
            unit_system(town.name, town.targets, town.villages, reference, registry, "share")
        )
    targets = {
        i.code: t
        for i in registry.indicators
        if (t := reference.targets.get(i.code, i.target)) is not None
    }
    villages = [v for t in reference.towns for v in t.villages]
    n = max(1, len(reference.towns))
    out.append(unit_system(reference.district, targets, villages, reference, registry, "target", n))
    return out


def check_reference(
    reference: Reference, registry: IndicatorRegistry, where: Where
) -> list[Finding]:
    """Every problem of `reference` found, at its place in `where` (a workbook's cells; empty
    for YAML: the findings then name no cell)."""
    findings: list[Finding] = []
    names = _names(registry)
    codes = {k.split(":", 1)[1] for k in where if k.startswith("code:")}
    codes |= {c for t in reference.towns for c in t.targets} | set(reference.targets)
    for code in sorted(codes - set(names)):
        findings.append(_at(where, f"code:{code}", "E_REF_UNKNOWN_CODE", code=code))
    findings += _two_towns(reference.towns, where)
    findings += _shares(reference, registry, where)
    findings += _thresholds(reference, where)
    rules, *units = systems(reference, registry)
    contradicted = _judge(rules, reference, names, where)
    findings += contradicted
    if not contradicted:  # else every town would only repeat the rules' contradiction
        for s in units:
            findings += _judge(s, reference, names, where)
    return findings


def _two_towns(towns: list[TownRef], where: Where) -> list[Finding]:
    first: dict[str, str] = {}
    out = []
    for town in towns:
        for v in town.villages:
            if v.name in first and first[v.name] != town.name:
                other = first[v.name]
                other_at = where.get(f"village:{other}:{v.name}", ("", ""))[1] or other
                out.append(
                    _at(
                        where,
                        f"village:{town.name}:{v.name}",
                        "W_REF_VILLAGE_TWO_TOWNS",
                        village=v.name,
                        town=town.name,
                        other=other,
                        other_at=other_at,
                    )
                )
            first.setdefault(v.name, town.name)
    return out


def _shares(reference: Reference, registry: IndicatorRegistry, where: Where) -> list[Finding]:
    out = []
    for ind in registry.indicators:
        target = reference.targets.get(ind.code, ind.target)
        shares = [t.targets[ind.code] for t in reference.towns if ind.code in t.targets]
        if target is not None and shares and sum(shares) != target:
            key = f"target:{ind.code}" if f"target:{ind.code}" in where else f"code:{ind.code}"
            out.append(
                _at(
                    where,
                    key,
                    "W_REF_SHARES_SUM",
                    name_code=ind.code,
                    shares=sum(shares),
                    target=target,
                )
            )
    return out


def _thresholds(reference: Reference, where: Where) -> list[Finding]:
    """Values inside their ranges (the reader keeps out-of-range ones out: see check/reference_file)."""
    out = []
    for prefix, model, values in (
        ("policy", Policy, reference.policy),
        ("plausibility", Plausibility, reference.plausibility),
    ):
        for name in model.model_fields:
            value = getattr(values, name)
            if isinstance(value, bool):
                continue
            r = allowed_range(model, name)
            if not r.allows(float(value)):
                out.append(
                    _at(
                        where,
                        f"{prefix}:{name}",
                        "E_REF_THRESHOLD_RANGE",
                        label=meta(model, name).zh,
                        value=value,
                        range=r.text(),
                    )
                )
    return out


def _judge(s: System, reference: Reference, names: dict[str, str], where: Where) -> list[Finding]:
    outcome = propagate(s)
    unit = s.name
    out = []
    for c in outcome.conflicts:
        low = [s.edits[i].source for i in sorted(c.low.why)]
        high = [s.edits[i].source for i in sorted(c.high.why)]
        shares = [src for src in low if src.kind in ("share", "target")]
        main = shares[0] if shares else next((x for x in low + high if x.kind == "policy"), low[0])
        name = names.get(c.var)
        if name is None:  # the rules' own system: a threshold no row can meet
            out.append(
                _at(
                    where,
                    main.key,
                    "E_REF_RULES_CONTRADICT",
                    rule_zh=main.zh,
                    rule_en=main.en,
                    other_zh="、".join(_words(high, "zh")),
                    other_en=", ".join(_words(high, "en")),
                )
            )
            continue
        bound_only = len(low) == 1 and len(high) == 1 and high[0].kind == "bound" and shares
        if bound_only:
            out.append(
                _at(
                    where,
                    main.key,
                    "E_REF_BOUND_BELOW_TARGET",
                    unit_name=unit,
                    name_code=c.var,
                    share=_num(c.low.value),
                    bound=_num(c.high.value),
                )
            )
            continue
        out.append(
            _at(
                where,
                main.key,
                "E_REF_CONTRADICTION",
                unit_name=unit,
                name_code=c.var,
                low=_num(c.low.value),
                high=_num(c.high.value),
                low_zh="、".join(_words(low, "zh")),
                low_en=", ".join(_words(low, "en")),
                high_zh="、".join(_words(high, "zh")),
                high_en=", ".join(_words(high, "en")),
            )
        )
    if outcome.conflicts:
        return out
    for i, e in enumerate(s.edits):
        if e.source.kind not in ("share", "target") or len(e.terms) != 1:
            continue
        var = e.terms[0][0]
        b = outcome.low[var]
        if b.value > e.rhs + EPS and i not in b.why:
            why = [s.edits[j].source for j in sorted(b.why)]
            out.append(
                _at(
                    where,
                    e.source.key,
                    "W_REF_TARGET_IMPLIED",
                    unit_name=unit,
                    name_code=var,
                    share=_num(e.rhs),
                    low=_num(b.value),
                    why_zh="、".join(_words(why, "zh")),
                    why_en=", ".join(_words(why, "en")),
                )
            )
    return out


def _words(sources: list[Source], lang: str) -> list[str]:
    seen: dict[str, None] = {}
    for src in sources:
        seen.setdefault(src.zh if lang == "zh" else src.en)
    return list(seen)
