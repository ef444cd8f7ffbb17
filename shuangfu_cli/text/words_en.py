"""The words users read, in English (``--lang en``): the same sections, keys and parameters
as the Chinese catalogue (:mod:`.words_zh`), but for the Chinese-only documents."""

from __future__ import annotations

WORDS: dict[str, dict[str, str]] = {
    "state": {
        "valid": "valid",
        "invalid": "invalid",
        "unreadable": "unreadable",
        "missing": "missing",
        "duplicate": "duplicate",
        "other_period": "other quarter",
    },
    "state_book": {
        "valid": "valid (counted)",
        "invalid": "invalid (not counted)",
        "unreadable": "unreadable (not counted)",
        "missing": "missing",
        "duplicate": "duplicate (not counted)",
        "other_period": "other quarter (not counted)",
    },
    "terminal": {
        "error": "error",
        "warning": "warning",
        "explained": "explained",
        "file": "File",
        "cover": "(cover)",
        "valid": "VALID",
        "invalid": "INVALID",
        "unreadable": "UNREADABLE",
        "verdict": "{errors}, {warnings} to confirm, {explained} explained",
        "summary": "{n}: {valid} valid, {invalid} invalid, {unreadable} unreadable",
        "hint": "Hint: a warning that is true is answered in the 审核说明 sheet (code and cell).",
        "code": "Code",
        "name": "Indicator",
        "unit": "Unit",
        "kind": "Kind",
        "flow": "cumulative",
        "stock": "period end",
        "target": "2020 target",
        "definition": "Definition",
        "not_above": "Not above",
        "not_below": "Not below",
        "max": "Plausible maximum (above it: an error)",
        "written": "Template written: {path}",
        "sep": ": ",
        "and": ", ",
    },
    "rollup_table": {
        "status_title": "{period} submissions (totals cover {n})",
        "town": "Town",
        "status": "Status",
        "errors": "Errors",
        "warnings": "Warnings",
        "files": "Files",
        "targets_title": "2020 targets (time progress {tp})",
        "indicator": "Indicator",
        "target": "Target",
        "actual": "Actual",
        "completion": "Completion",
        "incomplete": " ({n} towns not counted)",
        "counted_share": "Counted shares",
        "counted_completion": "Counted completion",
        "progress": "Progress",
        "behind": "behind",
        "ahead": "on track",
        "lagging": "Towns behind",
        "ignored": "Files not counted",
        "skipped": "Files skipped (not returns)",
        "shares": "Town shares not adding up to the district target",
        "doubted": "To confirm",
        "doubts": "Figures to confirm (plausibility warnings of counted towns, not "
        "explained; confirm them with the towns before the bulletin goes out)",
        "written": "Written: {path}",
        "reading": "Reading returns",
        "increment": "Added this quarter",
        "change": "Change since last quarter",
        "points": "{v} pts",
        "compared": "Added this quarter: {n} compared with {prev}{partial}",
        "partial": "; district figures are over these towns only",
        "first_quarter": "Added this quarter: a first quarter, the figures since 1 January",
        "not_compared": "Towns not compared",
        "notes": "Notes",
        "town_changes": "Added this quarter, by town",
        "mean_change": "Mean completion, change (pts)",
        "sep": ": ",
    },
    "annotate": {
        "title": "Review of the return",
        "file": "File",
        "town": "Town",
        "period": "Period",
        "verdict": "Verdict",
        "valid": "accepted",
        "invalid": "not accepted: correct it and send it again",
        "counts": "{e} error(s), {w} warning(s) to verify, {x} explained",
        "error": "error",
        "warning": "warning (to verify)",
        "explained": "warning (explained)",
        "do_error": "Correct it in your return and send the return again.",
        "do_warning": "Check it; if the figure is right, explain why in the 审核说明 sheet.",
        "do_explained": "Explained in 审核说明: nothing to do.",
        "no_cell": "—",
        "changed": "the file was changed or replaced after its check: no copy made; check it again",
        "lost": "what was checked was not kept: no copy made; check it again",
    },
    "trend_table": {
        "states": "Returns by quarter",
        "town": "Town",
        "targets": "Targets (actual, completion; where towns are not counted, in "
        "brackets the counted towns' completion of their own shares; 'behind' "
        "when under time progress)",
        "of_counted": " (counted towns {c:.1%})",
        "indicator": "Indicator",
        "tp": "{period} (time {tp:.0%})",
        "behind": "behind",
        "counted": "Towns counted",
        "increments": "Added this quarter (district, over the towns counted in both quarters)",
        "of": "{v} ({n} towns)",
        "falls": "Cumulative figures lower than the quarter before",
        "doubts": "Figures to confirm (out of line with the quarter before or the peers; "
        "not explained)",
        "notes": "Notes",
        "coverage": " (coverage)",
    },
    "finding_state": {
        "error": "error",
        "warning": "warning",
        "explained": "explained",
        "note": "note",
    },
    "stdout": {
        "unwritable": "standard output could not be written ({why}): results not shown; files "
        "already written are complete"
    },
    "usage": {
        "config": "reference file problem: {error}",
        "write": "cannot write {path}: {error}",
        "write_tmp": "cannot write {path}: writing to the temporary folder {folder} failed "
        "({error}); TMPDIR can name another",
        "period": "'{value}' is not a quarter such as 2020Q3",
        "no_files": "no spreadsheet (.xlsx, .xls, .ods) found in what was given",
        "all_skipped": "every file given was skipped (the reasons are above): there is no "
        "return to check",
        "no_quarters": "no return says which quarter it is for: there are no quarters to follow",
        "written": "Written: {path}",
        "year": "the reference data is for {year}",
        "town_or_all": "give either --town NAME or --all",
        "unknown_town": "unknown town '{town}'; known: {known}",
        "no_folder": "folder {folder} does not exist",
        "kept": "{path} exists and was left alone (--force replaces it)",
        "unknown_code": "unknown indicator code: {code} (shuangfu indicators lists them all)",
        "near_code": "unknown indicator code: {code}; did you mean {tips}?",
        "near_town": "unknown town '{town}'; did you mean {tips}?",
        "date": "'{value}' is not a date such as 2020-10-10",
        "annotated": "feedback workbooks written to {folder}: {n}",
        "as_return_xlsx": "the district's return is written in the return template: the name "
        "must end in .xlsx: {path}",
        "suffix": "'{name}' has the wrong extension: this writes {what}, so the name must end "
        "in {expected}",
        "as_return_empty": "no town's return is valid: the district's return {path} was not "
        "written",
        "as_return_left_out": "the district's return {path} holds {n} towns' figures; not "
        "counted: {towns}",
        "jobs_lowered": "--jobs {jobs} is more than this machine allows: reading with "
        "{allowed} ({why})",
        "jobs_cpus": "{cpus} CPUs available",
        "jobs_memory": "about {memory} MB of memory left, {mb} MB per worker at most "
        "(--max-memory)",
        "not_annotated": "{file}: no feedback workbook could be made ({reason})",
    },
    "path_kind": {"file": "file", "directory": "folder", "path": "file or folder"},
    "write_error": {
        "ENOSPC": "no space left on the device",
        "EFBIG": "file larger than allowed (ulimit -f)",
        "EDQUOT": "disk quota exceeded",
        "EACCES": "permission denied",
        "EPERM": "permission denied",
        "EROFS": "read-only file system",
    },
    "town_note": {
        "missing": "{town}: no return for the period",
        "duplicate": "{town}: several returns ({files}), none counted",
        "other_period": "{town}: only returns of another period ({files}), not counted",
    },
    "read_failure": {
        "memory": "the file's structure is abnormal: reading it needs more than the "
        "{mb} MB allowed, so it cannot be read safely; ",
        "timeout": "reading it took more than {s:g} s: the file's structure is abnormal "
        "and it cannot be read safely; ",
        "crashed": "the file's structure is abnormal and the reader could not handle "
        "it, so it cannot be read safely; ",
    },
    "fill_hint": {
        "count": "type 0 where there is none",
        "money": "type 0 where there is none",
        "choice": "pick it from the list",
        "date": "type it as 2020-09-01",
        "text": "fill it in",
    },
    "fall_hint": {
        "quarter_only": "this quarter's own figure, not the total since 1 January",
        "dropped_digit": "a digit dropped",
        "swapped": "two digits swapped",
        "extra_digit": "a digit typed twice",
        "yuan": "the wrong unit",
    },
    "named_where": {"file": "its file name", "folder": "its folder's name"},
    "unit": {
        "人": "persons",
        "人次": "person-times",
        "户": "households",
        "个": "units",
        "期": "sessions",
        "万元": "10,000 yuan",
    },
}

#: entries that are several lines or cells (a header row, a list of notes)
LINES: dict[str, dict[str, tuple[str, ...]]] = {
    "annotate": {
        "head": ("No.", "Kind", "Sheet", "Cell", "Code", "Problem", "What to do"),
        "notes": (
            "Notes:",
            "1. This is a copy of your return with each problem cell coloured and "
            "commented (red: error; yellow: warning to verify; green: explained). "
            "Click a cell reference to go to it.",
            "2. Make the corrections in your own return, not in this copy.",
            "3. A warning whose figure is right is answered by a row in 审核说明: the "
            "code, the sheet and cell (or the workshop, village, class or indicator) "
            "and the reason.",
        ),
    },
    "csv": {
        "header": (
            "file",
            "town",
            "period",
            "status",
            "severity",
            "code",
            "sheet",
            "cell",
            "indicator",
            "message",
        )
    },
}
