import { Table, type TableProps } from '@mantine/core';

/** A report table whose rows are keyboard rows (useRowList): bordered, striped, a grid named for screen readers. */
export function RowTable({ label, ...props }: TableProps & { label: string }) {
  return <Table striped highlightOnHover withTableBorder tabularNums fz="sm" role="grid" aria-label={label} {...props} />;
}
