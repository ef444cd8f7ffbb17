"""The reference's targets, bounds and policy thresholds as linear edits, and whether they can
all hold at once.

For each town (and for the district) the variables are the form's figures; the edits are what
a return must meet and what its targets ask: each figure at least 0 and at most its bound
(indicators.yaml's max), a total the sum of its parts, a figure not above (or below) another,
the per-village thresholds summed over the town's villages (4 leaders per poor village: the
poor villages' stock at least 4 times their number; 3 households per leader: households at
least 3 times the stock), and each target a lower bound. The rules alone are a system too: one
village row, one class row, against the form's column bounds.

Bounds are propagated over the edits until nothing changes (interval constraint propagation);
each bound remembers the edits it came from, so an infeasible variable names the edits that
contradict each other. `banff_text` writes the same edits in Statistics Canada's Banff syntax
(`verifyedits`; benchmarks/reference_check.py runs both).
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: how far apart two bounds must be to be different (the figures are counts and 万元 with 4
#: decimals)
EPS = 1e-6


@dataclass(frozen=True)
class Source:
    """Where an edit comes from, as the checker says it: its kind (share, target, bound,
    form, policy), its key into the reader's locations and its words."""

    kind: str
    key: str
    zh: str
    en: str


@dataclass(frozen=True)
class Edit:
    """sum(coef * var) >= rhs (op '>='), or == rhs (op '=')."""

    terms: tuple[tuple[str, float], ...]
    op: str
    rhs: float
    source: Source


@dataclass
class Bound:
    value: float
    why: frozenset[int] = frozenset()  # the edits it follows from


@dataclass
class System:
    """The edits of one unit (a town, the district, or the rules alone)."""

    name: str
    edits: list[Edit] = field(default_factory=list)

    def at_least(self, var: str, n: float, source: Source) -> None:
        self.edits.append(Edit(((var, 1.0),), ">=", n, source))

    def at_most(self, var: str, n: float, source: Source) -> None:
        self.edits.append(Edit(((var, -1.0),), ">=", -n, source))

    def not_above(self, a: str, b: str, source: Source, factor: float = 1.0) -> None:
        """factor * a <= b"""
        self.edits.append(Edit(((b, 1.0), (a, -factor)), ">=", 0.0, source))

    def sum_of(self, total: str, parts: tuple[str, ...], source: Source) -> None:
        terms = ((total, 1.0), *((p, -1.0) for p in parts))
        self.edits.append(Edit(terms, "=", 0.0, source))

    def variables(self) -> list[str]:
        seen: dict[str, None] = {}
        for e in self.edits:
            for v, _ in e.terms:
                seen.setdefault(v)
        return list(seen)


@dataclass
class Conflict:
    """A variable whose lower bound is above its upper bound: the edits behind each."""

    var: str
    low: Bound
    high: Bound


@dataclass
class Outcome:
    low: dict[str, Bound]
    high: dict[str, Bound]
    conflicts: list[Conflict]


def _rows(e: Edit) -> list[tuple[tuple[tuple[str, float], ...], float]]:
    """The edit as one or two '>=' rows."""
    if e.op == "=":
        return [(e.terms, e.rhs), (tuple((v, -c) for v, c in e.terms), -e.rhs)]
    return [(e.terms, e.rhs)]


def propagate(system: System, rounds: int = 50) -> Outcome:
    """Every variable's implied bounds (from 0 and no upper bound), and the variables where
    they cross."""
    inf = float("inf")
    low = {v: Bound(0.0) for v in system.variables()}
    high = {v: Bound(inf) for v in system.variables()}
    rows = [(i, terms, rhs) for i, e in enumerate(system.edits) for terms, rhs in _rows(e)]
    for _ in range(rounds):
        changed = False
        for i, terms, rhs in rows:
            # sum(c*x) >= rhs: c_j*x_j >= rhs - max(sum of the others)
            for j, (vj, cj) in enumerate(terms):
                rest, why = 0.0, {i}
                for k, (vk, ck) in enumerate(terms):
                    if k == j:
                        continue
                    b = high[vk] if ck > 0 else low[vk]
                    rest += ck * b.value
                    why |= b.why
                if rest == inf or rest != rest:  # unbounded: nothing follows
                    continue
                limit = (rhs - rest) / cj
                if cj > 0 and limit > low[vj].value + EPS:
                    low[vj], changed = Bound(limit, frozenset(why)), True
                elif cj < 0 and limit < high[vj].value - EPS:
                    high[vj], changed = Bound(limit, frozenset(why)), True
        conflicts = [
            Conflict(v, low[v], high[v]) for v in low if low[v].value > high[v].value + EPS
        ]
        if conflicts or not changed:
            return Outcome(low, high, conflicts)
    return Outcome(low, high, [])


def banff_text(system: System) -> str:
    """The edits in Banff's syntax (`verifyedits(edits=...)`): one per ';'."""
    out = []
    for e in system.edits:
        lhs = " + ".join(f"{c:g} * {v}" for v, c in e.terms).replace("+ -", "- ")
        out.append(f"{lhs} {'=' if e.op == '=' else '>='} {e.rhs:g};")
    return " ".join(out)
