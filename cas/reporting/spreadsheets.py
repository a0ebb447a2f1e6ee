"""Write statistics tables as CSV files and as one ODS workbook laid out the way GOV.UK accessible
statistics spreadsheets are: a cover sheet, a contents sheet, a notes sheet, then one table per
sheet with its title in cell A1 and no blank rows or merged cells inside tables."""

import csv
import io
from collections.abc import Sequence

from odf.opendocument import OpenDocumentSpreadsheet
from odf.style import ParagraphProperties, Style, TableColumnProperties, TextProperties
from odf.table import Table as OdsTable
from odf.table import TableCell, TableColumn, TableRow
from odf.text import P

from cas.reporting.statistics import Table


def table_csv(table: Table) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(table.columns)
    writer.writerows(table.rows)
    return buffer.getvalue()


def _cell(value, style=None) -> TableCell:
    if isinstance(value, int) and not isinstance(value, bool):
        cell = (
            TableCell(valuetype="float", value=value, stylename=style)
            if style
            else TableCell(valuetype="float", value=value)
        )
    else:
        cell = TableCell(valuetype="string", stylename=style) if style else TableCell(valuetype="string")
    cell.addElement(P(text=str(value)))
    return cell


def _percentage_cell(value: str) -> TableCell:
    cell = TableCell(valuetype="float", value=value)
    cell.addElement(P(text=value))
    return cell


def workbook(
    tables: Sequence[Table], *, title: str, cover_lines: Sequence[tuple[str, str]], notes: Sequence[str]
) -> bytes:
    doc = OpenDocumentSpreadsheet()
    heading = Style(name="Heading", family="table-cell")
    heading.addElement(TextProperties(fontweight="bold", fontsize="14pt"))
    doc.automaticstyles.addElement(heading)
    header = Style(name="Header", family="table-cell")
    header.addElement(TextProperties(fontweight="bold"))
    header.addElement(ParagraphProperties(textalign="start"))
    doc.automaticstyles.addElement(header)
    wide = Style(name="Wide", family="table-column")
    wide.addElement(TableColumnProperties(columnwidth="6cm"))
    doc.automaticstyles.addElement(wide)

    def sheet(name: str) -> OdsTable:
        table = OdsTable(name=name)
        for _ in range(4):
            table.addElement(TableColumn(stylename=wide))
        doc.spreadsheet.addElement(table)
        return table

    def row(table: OdsTable, values: Sequence, style=None) -> None:
        tr = TableRow()
        for value in values:
            tr.addElement(_cell(value, style))
        table.addElement(tr)

    cover = sheet("Cover")
    row(cover, [title], heading)
    for label, text in cover_lines:
        row(cover, [label], header)
        row(cover, [text])

    contents = sheet("Contents")
    row(contents, ["Contents"], heading)
    row(contents, ["This worksheet contains one table."])
    row(contents, ["Sheet name", "Table title"], header)
    row(contents, ["Notes", "Notes used in this workbook"])
    for table in tables:
        row(contents, [table.name[:31], table.title])

    notes_sheet = sheet("Notes")
    row(notes_sheet, ["Notes"], heading)
    row(notes_sheet, ["This worksheet contains one table."])
    row(notes_sheet, ["Note number", "Note text"], header)
    for number, note in enumerate(notes, start=1):
        row(notes_sheet, [f"Note {number}", note])

    for table in tables:
        ods = sheet(table.name[:31])
        row(ods, [table.title], heading)
        row(ods, [f"This worksheet contains one table. {table.description}"])
        row(ods, list(table.columns), header)
        for values in table.rows:
            tr = TableRow()
            for column, value in zip(table.columns, values, strict=True):
                tr.addElement(_percentage_cell(value) if column == "percentage" else _cell(value))
            ods.addElement(tr)

    buffer = io.BytesIO()
    doc.write(buffer)
    return buffer.getvalue()
