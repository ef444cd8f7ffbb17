"""A validated return as the Pydantic model of the schema (`schemas.TownReturn`)."""

from __future__ import annotations

from schemas import TownReturn
from shuangfu_cli.check.one_return import ReturnReport
from shuangfu_cli.form.layout import form_layout


def to_model(report: ReturnReport) -> TownReturn:
    """The return's figures, lists and cover as a `TownReturn`. Raises pydantic's
    ValidationError if a value breaks the schema's types (only possible for a return with
    errors: a valid return always converts)."""
    if report.read is None:
        raise ValueError(f"{report.file} could not be read")
    layout = form_layout()
    data: dict = {"cover": {k: c.value for k, c in report.read.cover.items()}}
    data["cover"]["period"] = report.period or data["cover"].get("period")
    for code, fig in layout.figures.items():
        node = data
        for key in fig.path[:-1]:
            node = node.setdefault(key, {})
        node[fig.path[-1]] = report.values.get(code)
    for name in ("workshops", "villages", "classes", "explanations"):
        rows = report.read.lists.get(name, [])
        data[name] = [{k: c.value for k, c in row.cells.items()} for row in rows]
    return TownReturn.model_validate(data)
