import { useStudio } from '../../store';
import type { ColumnChoice, DataSummary } from '../../worker/protocol';
import { isNumericColumn } from './dataView';

const NONE = '';

/** Which columns are the text, the optional pair and the label; auto-detected, changeable here. */
export function ColumnMapping({ data, disabled }: { data: DataSummary; disabled: boolean }) {
  const choice = useStudio((s) => s.columnChoice);
  const setColumns = useStudio((s) => s.setColumns);
  const setRegression = useStudio((s) => s.setRegression);
  const classify = data.task === 'classify';
  const numericLabel = classify && isNumericColumn(data.preview, data.columns.label);

  // Token classification and question answering read their fields from the file's own layout (CoNLL lines or entity
  // spans; SQuAD's question, context and answers).
  if (data.task === 'ner' || data.task === 'qa') return null;
  const pick = (key: keyof ColumnChoice, value: string) => void setColumns({ ...choice, [key]: value === NONE ? null : value });
  const select = (key: keyof ColumnChoice, label: string, optional: boolean) => (
    <label className="data-column">
      <span>{label}</span>
      <select value={data.columns[key] ?? NONE} disabled={disabled} onChange={(event) => pick(key, event.target.value)}>
        {optional && <option value={NONE}>(none)</option>}
        {data.allColumns.map((column) => (
          <option key={column} value={column}>
            {column}
          </option>
        ))}
      </select>
    </label>
  );

  return (
    <div className="data-columns">
      {select('text', 'Text column', false)}
      {classify && select('textPair', 'Second text column', true)}
      {classify && select('label', 'Label column', false)}
      {(numericLabel || data.regression) && (
        <label className="data-regression">
          <input type="checkbox" checked={data.regression} disabled={disabled} onChange={(event) => void setRegression(event.target.checked)} />
          Regression: predict the label as a number
        </label>
      )}
    </div>
  );
}
