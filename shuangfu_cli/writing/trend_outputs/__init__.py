"""The outputs of ``shuangfu trend``, one module each: :mod:`.json_doc` (``--format json``),
:mod:`.csv_table` (``--format csv``, the tidy table), :mod:`.text` (the tables printed in a
terminal) and :mod:`.book` (``-o FILE.xlsx``, with a line chart per target)."""
