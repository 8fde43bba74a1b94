import { useStudio } from '../../store';
import { formatCount, Panel, ProgressBar, StatList } from '../common';
import { ColumnMapping } from './ColumnMapping';
import { LabelChart, LengthChart } from './DataCharts';
import { DataPreview } from './DataPreview';
import { DataSource } from './DataSource';
import { QualityReport } from './QualityReport';
import './data.css';

/** Busy labels of the actions that read data. */
const READING = new Set(['Reading file', 'Fetching sample', 'Reading data']);

export function DataPanel() {
  const data = useStudio((s) => s.data);
  const busy = useStudio((s) => s.busy);
  const progress = useStudio((s) => s.progress);
  const model = useStudio((s) => s.model);
  const maxLength = useStudio((s) => s.args.maxLength);
  const runState = useStudio((s) => s.runState);
  const training = runState === 'training' || runState === 'paused' || runState === 'stopping';
  const disabled = busy !== null || training || model === null;
  const reading = busy !== null && READING.has(busy);
  return (
    <Panel title="Data" subtitle="Your examples: a labeled table for classification, or plain text for masked LM.">
      <DataSource disabled={disabled} />
      {reading && <ProgressBar label="Data loading" progress={progress} text={progress ? undefined : `${busy}…`} />}
      {data && (
        <>
          <div className="data-file">
            <strong>{data.fileName}</strong>
            <StatList
              label="Dataset"
              items={[
                { label: 'Rows', value: formatCount(data.numRows) },
                { label: 'Training', value: formatCount(data.numTrain) },
                { label: 'Validation', value: formatCount(data.numValidation) },
                { label: 'Excluded', value: formatCount(data.numExcluded) },
                ...(data.labels ? [{ label: 'Classes', value: data.labels.length }] : []),
                ...(data.regression ? [{ label: 'Target', value: 'number' }] : []),
              ]}
            />
          </div>
          {data.warnings.length > 0 && (
            <ul className="data-warnings">
              {data.warnings.map((warning) => (
                <li key={warning}>{warning}</li>
              ))}
            </ul>
          )}
          <ColumnMapping data={data} disabled={disabled} />
          <DataPreview data={data} />
          <div className="data-charts">
            <LabelChart data={data} />
            <LengthChart data={data} maxLength={maxLength} />
          </div>
          <QualityReport data={data} disabled={disabled} />
        </>
      )}
    </Panel>
  );
}
