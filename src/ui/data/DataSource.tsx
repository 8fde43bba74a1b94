import { useStudio } from '../../store';
import type { DataFile, Task } from '../../worker/protocol';
import { DropZone } from '../common';
import { taskForFile } from './dataView';
import { fetchSample, SAMPLES, type Sample } from './samples';

const ACCEPT = '.csv,.tsv,.jsonl,.json,.txt,.conll,.iob,.bio,text/csv,text/tab-separated-values,text/plain,application/json';

const TASKS: { task: Task; label: string; note: string }[] = [
  { task: 'classify', label: 'Classification', note: 'a label (or a number) per text' },
  { task: 'mlm', label: 'Masked LM', note: 'unlabeled domain text, to adapt the model before fine-tuning' },
  { task: 'ner', label: 'Token classification', note: 'a tag per word (NER): CoNLL token/tag lines, or JSONL with entity spans' },
  { task: 'qa', label: 'Question answering', note: 'an answer span in a context: SQuAD v1/v2 JSON, or JSONL rows of question, context and answers' },
];

/** The picked file itself: the worker reads it, so its bytes are never read or copied on the page. */
const dataFile = (file: File): DataFile => ({ fileName: file.name, text: file });

/** Task choice and where the data comes from: a dropped or picked file, a validation file, or a sample. */
export function DataSource({ disabled }: { disabled: boolean }) {
  const task = useStudio((s) => s.task);
  const dataFiles = useStudio((s) => s.dataFiles);
  const setTask = useStudio((s) => s.setTask);
  const openData = useStudio((s) => s.openData);
  const loadData = useStudio((s) => s.loadData);
  const runTask = useStudio((s) => s.runTask);
  const dataError = useStudio((s) => s.dataError);
  const dismissDataError = useStudio((s) => s.dismissDataError);

  const openTrain = async (files: File[]) => {
    const train = dataFile(files[0]);
    await openData({ train }, taskForFile(train.fileName, task));
  };
  const openValidation = async (files: File[]) => {
    if (!dataFiles) return;
    await loadData({ train: dataFiles.train, validation: dataFile(files[0]) });
  };
  const openSample = async (sample: Sample) => {
    const train = await runTask('Fetching sample', () => fetchSample(sample));
    if (train) await openData({ train }, sample.task);
  };

  return (
    <div className="data-source">
      <fieldset className="data-task" disabled={disabled}>
        <legend>Task</legend>
        {TASKS.map((option) => (
          <label key={option.task} className={task === option.task ? 'data-task-option checked' : 'data-task-option'}>
            <input
              type="radio"
              name="data-task"
              value={option.task}
              checked={task === option.task}
              onChange={() => void setTask(option.task)}
            />
            <span>
              <strong>{option.label}</strong>
              <small>{option.note}</small>
            </span>
          </label>
        ))}
      </fieldset>

      <DropZone label="Choose data file" accept={ACCEPT} disabled={disabled} onFiles={(files) => void openTrain(files)}>
        <strong>Training data</strong>: drop a CSV, TSV, JSONL or TXT file here. Columns are detected; you can change
        them below.
      </DropZone>
      {dataError && (
        <div className="data-error" role="alert">
          <p>
            <strong>This file could not be used</strong>
            {dataFiles ? ` (${dataFiles.train.fileName} stays loaded)` : ''}: {dataError.message}
            {dataError.where && <span className="data-muted"> Where: {dataError.where}</span>}
          </p>
          <button type="button" className="small" onClick={dismissDataError}>
            Dismiss
          </button>
        </div>
      )}

      <div className="data-row">
        <span className="data-muted">Try a sample:</span>
        {SAMPLES.map((sample) => (
          <button key={sample.id} type="button" disabled={disabled} title={sample.description} onClick={() => void openSample(sample)}>
            {sample.label} sample
          </button>
        ))}
      </div>

      <div className="data-row">
        <label className={dataFiles && !disabled ? 'button small' : 'button small disabled'}>
          {dataFiles?.validation ? 'Replace validation file…' : 'Add validation file…'}
          <input
            type="file"
            accept={ACCEPT}
            className="visually-hidden"
            aria-label="Choose validation file"
            disabled={!dataFiles || disabled}
            onChange={(event) => {
              const files = [...(event.target.files ?? [])];
              event.target.value = '';
              if (files.length > 0) void openValidation(files);
            }}
          />
        </label>
        {dataFiles?.validation ? (
          <>
            <span className="data-muted">Validation: {dataFiles.validation.fileName}</span>
            <button
              type="button"
              className="small"
              disabled={disabled}
              onClick={() => void loadData({ train: dataFiles.train })}
            >
              Remove validation file
            </button>
          </>
        ) : (
          <span className="data-muted">Optional; otherwise a seeded share of the training rows is held out.</span>
        )}
      </div>
    </div>
  );
}
