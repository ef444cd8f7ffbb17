"""A sheet's values as a grid, with its labels indexed once (label -> positions)."""

from __future__ import annotations

from shuangfu_cli.form.values import NORM_CACHE, norm, norm_title
from shuangfu_cli.reading.located import Cell

_REFS: dict[tuple[int, int], str] = {}


def cell_ref(row: int, col: int) -> str:
    """A1-style reference of 0-based (row, col). Kept here so that validating a return does
    not import openpyxl (a third of the start-up time). The form's cells recur: cached."""
    ref = _REFS.get((row, col))
    if ref is None:
        letters, n = "", col + 1
        while n:
            n, rem = divmod(n - 1, 26)
            letters = chr(65 + rem) + letters
        ref = f"{letters}{row + 1}"
        if len(_REFS) < 100_000:
            _REFS[(row, col)] = ref
    return ref


class Grid:
    """A sheet's values as a grid, with its labels indexed once (label -> positions)."""

    def __init__(self, name: str, rows: list[list]):
        self.name = name
        self.rows = rows
        self._labels: dict[str, list[tuple[int, int]]] = {}
        self._titles: dict[str, list[tuple[int, int]]] | None = None
        labels, cache = self._labels, NORM_CACHE
        for r, line in enumerate(rows):
            for c, v in enumerate(line):
                if type(v) is str and v:
                    key = cache.get(v) or norm(v)
                    where = labels.get(key)
                    if where is None:
                        labels[key] = [(r, c)]
                    else:
                        where.append((r, c))

    def get(self, r: int, c: int):
        try:
            return self.rows[r][c]
        except IndexError:
            return None

    def cell(self, r: int, c: int) -> Cell:
        try:
            raw = self.rows[r][c]
        except IndexError:
            raw = None
        return Cell(self.name, cell_ref(r, c), raw)

    def row_labels(self, rows: range, col: int) -> dict[str, int]:
        """Normalised text -> the first of `rows` holding it in column `col` (what find(label,
        rows=rows, col=col) gives, for all labels of a block at once)."""
        out: dict[str, int] = {}
        cache = NORM_CACHE
        for r in rows:
            line = self.rows[r]
            v = line[col] if col < len(line) else None
            if type(v) is str and v:
                key = cache.get(v) or norm(v)
                if key not in out:
                    out[key] = r
        return out

    def find(self, label: str, *, title=False, rows=None, col=None) -> tuple[int, int] | None:
        """The first position (row by row) whose text is `label`, within `rows` and `col`."""
        if title:
            if self._titles is None:
                self._titles = {}
                for key, where in self._labels.items():
                    self._titles.setdefault(norm_title(key), []).extend(where)
                for where in self._titles.values():
                    where.sort()
            hits = self._titles.get(norm_title(label), ())
        else:
            hits = self._labels.get(norm(label), ())
        for r, c in hits:
            if (rows is None or r in rows) and (col is None or c == col):
                return r, c
        return None
