"""Reading returns: a file's bytes and format (:mod:`.source`), cheap looks into its XML
(:mod:`.scan`), and its values found by their labels (:mod:`.reader`, the lists in
:mod:`.lists`)."""

from shuangfu_cli.reading.grid import cell_ref
from shuangfu_cli.reading.located import Cell, ListRowData, ReadReturn
from shuangfu_cli.reading.reader import read_return
from shuangfu_cli.reading.source import UnreadableError

__all__ = ["Cell", "ListRowData", "ReadReturn", "UnreadableError", "cell_ref", "read_return"]
