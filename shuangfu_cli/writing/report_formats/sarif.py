"""SARIF 2.1.0 (GitHub code scanning, Visual Studio's SARIF viewer, ...), built with the
sarif-pydantic models.

- Rules: every check of the registry (:data:`shuangfu_cli.form.findings.CATALOG`), its code as id,
  its message template as description, its severity as default level.
- Results: each finding, at its level (an explained warning is a warning with an in-source
  suppression: the town's 审核说明 explains it); the file as the artifact location, the sheet
  and cell as a logical location (``附件2 培训!C7``) and at the head of the message.
- A spreadsheet has no text lines, but code scanning shows an alert only at a line: the region
  is line 1 of the file. partialFingerprints (file, sheet, cell, code) keep an alert the same
  from one run to the next without the uploader hashing a binary file.
"""

from __future__ import annotations

import hashlib
from pathlib import Path, PurePath
from typing import TextIO
from urllib.parse import quote

from sarif_pydantic import (
    ArtifactLocation,
    Invocation,
    Level,
    Location,
    LogicalLocation,
    Message,
    PhysicalLocation,
    Region,
    ReportingConfiguration,
    ReportingDescriptor,
    Result,
    Sarif,
    Tool,
    ToolDriver,
)
from sarif_pydantic import (
    Run as SarifRun,
)
from sarif_pydantic.sarif import Notification, Suppression

from shuangfu_cli import __version__
from shuangfu_cli.form.findings import CATALOG, return_codes
from shuangfu_cli.text.sanitize import for_terminal
from shuangfu_cli.writing.report_formats.report_rows import STATUS_WORDS, Run, located, template

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"


def write(run: Run, stream: TextIO) -> None:
    codes = return_codes()
    index = {code: i for i, code in enumerate(codes)}
    rules = [
        ReportingDescriptor(
            id=code,
            short_description=Message(text=template(code, run.lang)),
            default_configuration=ReportingConfiguration(level=CATALOG[code].severity),
        )
        for code in codes
    ]
    results = []
    for item in located(run):
        f, report = item.finding, item.report
        location = Location(
            physical_location=PhysicalLocation(
                artifact_location=_artifact(report.file), region=Region(start_line=1)
            ),
            logical_locations=[
                LogicalLocation(name=f.cell, fully_qualified_name=item.where, kind="element")
            ]
            if item.where
            else None,
        )
        key = "\0".join((report.file, f.sheet or "", f.cell or "", f.code, f.subject or ""))
        results.append(
            Result(
                rule_id=f.code,
                rule_index=index[f.code],
                level=Level(f.severity),
                message=Message(text=for_terminal(item.text())),
                locations=[location],
                # (sarif-pydantic 0.6 names this field wrongly: given as the spec spells it)
                suppressions=[Suppression(kind="inSource")] if f.explained else None,
                partial_fingerprints={
                    "shuangfuFinding/v1": hashlib.sha256(key.encode()).hexdigest()[:32]
                },
                properties=_properties(run, report, f),
            )
        )
    notes = [
        Notification(message=Message(text=for_terminal(text)), level="note")
        for text in run.note_texts()
    ]
    # toolExecutionNotifications is not among sarif-pydantic's fields: given by its SARIF name
    invocation = Invocation(execution_successful=True, toolExecutionNotifications=notes or None)
    log = Sarif(
        schema_uri=SCHEMA,
        version="2.1.0",
        runs=[
            SarifRun(
                tool=Tool(
                    driver=ToolDriver(
                        name="shuangfu",
                        version=__version__,
                        semantic_version=__version__,
                        rules=rules,
                    )
                ),
                invocations=[invocation],
                results=results,
                original_uri_base_ids={SRCROOT: ArtifactLocation(uri=Path.cwd().as_uri() + "/")},
            )
        ],
    )
    stream.write(log.model_dump_json(by_alias=True, exclude_none=True, indent=2))
    stream.write("\n")


def _artifact(file: str) -> ArtifactLocation:
    """The file as a URI: relative to where the command ran (SRCROOT), or absolute."""
    path = PurePath(file)
    if path.is_absolute():
        return ArtifactLocation(uri=Path(file).as_uri())
    return ArtifactLocation(uri=quote(path.as_posix()), uri_base_id=SRCROOT)


def _properties(run: Run, report, f) -> dict:
    props = {
        "town": report.town,
        "period": report.period,
        "status": STATUS_WORDS[run.lang][report.status],
        "sheet": f.sheet,
        "cell": f.cell,
        "indicator": f.indicator,
    }
    return {k: for_terminal(v) for k, v in props.items() if v}
