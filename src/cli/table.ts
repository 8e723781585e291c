/**
 * A small table printer for the CLI's human output: a header row of column names and the cells padded to
 * the widest value of their column. Empty cells print as `-`, so columns stay readable with `awk`.
 */

/** One column: its header and how to read its cell from a row. */
export interface TableColumn<Row> {
  header: string;
  cell(row: Row): string | number | undefined;
  /** Right-aligned (numbers, amounts). */
  alignRight?: boolean;
}

const gap = '  ';

/** The table as text, one line per row after the header, each line ending in a newline. */
export function formatTable<Row>(columns: ReadonlyArray<TableColumn<Row>>, rows: ReadonlyArray<Row>): string {
  const cells = rows.map((row) => columns.map((column) => cellText(column.cell(row))));
  const widths = columns.map((column, index) => Math.max(column.header.length, ...cells.map((line) => line[index].length)));
  const render = (values: string[]) =>
    values
      .map((value, index) => (columns[index].alignRight ? value.padStart(widths[index]) : index === values.length - 1 ? value : value.padEnd(widths[index])))
      .join(gap)
      .trimEnd();
  return [render(columns.map((column) => column.header.toUpperCase())), ...cells.map(render)].map((line) => `${line}\n`).join('');
}

function cellText(value: string | number | undefined): string {
  if (value === undefined || value === '') return '-';
  // A newline or tab inside a cell would break the columns.
  return String(value).replace(/[\t\r\n]+/g, ' ');
}

/** A list for people: the table, or a line saying there is nothing (instead of a lone header). */
export function formatList<Row>(columns: ReadonlyArray<TableColumn<Row>>, rows: ReadonlyArray<Row>, nothing: string): string {
  return rows.length === 0 ? `${nothing}\n` : formatTable(columns, rows);
}
