"""Reading returns: a file's bytes and format (:mod:`.source`), cheap looks into its XML
(:mod:`.scan`), and its values found by their labels (:mod:`.reader`, the lists in
:mod:`.lists`)."""

from .cells import Cell, ListRowData, ReadReturn
from .grid import cell_ref
from .reader import read_return
from .source import UnreadableError

__all__ = ["Cell", "ListRowData", "ReadReturn", "UnreadableError", "cell_ref", "read_return"]
