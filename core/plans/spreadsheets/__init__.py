"""Plans to and from spreadsheets (.xlsx or .csv), one row per task; in an .xlsx, their
indicators and values in two more sheets.

Import is all-or-nothing: every cell is checked first and every problem is reported with its
row and column; only a clean file is written, in bulk (a handful of statements whatever its
size), with one audit event for the import. Export writes the same columns, so a plan
exported and imported again comes back the same. The columns are described in
``docs/plan-template.md``.
"""
