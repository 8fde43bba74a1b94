import { useMemo } from 'react';
import { useStudio } from '../../store';
import type { DataSummary } from '../../worker/protocol';
import { cellText } from './dataView';

const ROWS = 8;

/** The first rows of the file, with the picked columns marked and excluded rows struck through. */
export function DataPreview({ data }: { data: DataSummary }) {
  const excludedRows = useStudio((s) => s.excludedRows);
  const excluded = useMemo(() => new Set(excludedRows), [excludedRows]);
  const role = (column: string): string | null => {
    if (column === data.columns.text) return 'text';
    if (column === data.columns.textPair) return 'pair';
    if (column === data.columns.label) return 'label';
    return null;
  };
  return (
    <div className="data-table-wrap">
      <table className="data-table">
        <caption className="visually-hidden">First rows of {data.fileName}</caption>
        <thead>
          <tr>
            <th scope="col">#</th>
            {data.allColumns.map((column) => (
              <th key={column} scope="col">
                {column}
                {role(column) && <span className={`data-role ${role(column)}`}>{role(column)}</span>}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {data.preview.slice(0, ROWS).map((row, i) => (
            <tr key={i} className={excluded.has(i) ? 'excluded' : undefined} title={excluded.has(i) ? 'Excluded from training' : undefined}>
              <td className="data-rownum">{i + 1}</td>
              {data.allColumns.map((column) => (
                <td key={column}>{cellText(row[column])}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
