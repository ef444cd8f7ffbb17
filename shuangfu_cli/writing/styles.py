"""Cell styles shared by the template and the rollup workbook (one look for both)."""

from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side

_THIN = Side(style="thin", color="808080")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
INPUT_FILL = PatternFill("solid", fgColor="FFF9E0")  # cells a town types in
TOTAL_FILL = PatternFill("solid", fgColor="E8E8E8")  # computed totals
HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
BAD_FILL = PatternFill("solid", fgColor="FCE4E4")  # not counted, behind 序时进度
UNLOCKED = Protection(locked=False)
#: an amount in 万元 as the forms and tables show it: to the hundred yuan, and to the yuan where
#: the figure has it (500.00, 4.10, 2.125, 0.4375), never four zeros (500.0000)
MONEY_FORMAT = "#,##0.00##"
TITLE_FONT = Font(name="宋体", size=16, bold=True)
BOLD = Font(name="宋体", bold=True)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
WRAP = Alignment(vertical="center", wrap_text=True)
