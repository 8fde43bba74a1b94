/**
 * The linear baseline beside a run (src/train/baseline): fitted on the loaded data's training split and scored
 * on its validation split, the split BERT trains and evaluates on. It fits in slices on the worker's thread
 * beside the run, once per loaded dataset (the split is the same for every run on it), and is cancelled when
 * the run is stopped or the data replaced.
 */
import { encodeLabel } from '../../data/labels';
import type { PreparedData } from '../../data/prepare';
import type { Progress } from '../../progress';
import { fitBaseline, type BaselineInput, type BaselineReport } from './fitBaseline';

/** Where the linear baseline of the loaded data stands. */
export type BaselineStatus =
  | { state: 'running'; progress: Progress }
  | { state: 'done'; report: BaselineReport }
  | { state: 'cancelled' }
  | { state: 'failed'; message: string };

interface Fit {
  data: PreparedData;
  controller: AbortController;
  result: Promise<BaselineReport>;
  report?: BaselineReport;
}

export class BaselineRunner {
  private fit: Fit | null = null;

  constructor(private readonly emit: (status: BaselineStatus) => void) {}

  /** The baseline of `data`: the fit already done or under way for it, or a new one. */
  run(data: PreparedData): Promise<BaselineReport> {
    if (this.fit?.data === data) return this.fit.result;
    this.cancel();
    const controller = new AbortController();
    const result = this.fitInBackground(data, controller);
    this.fit = { data, controller, result };
    return result;
  }

  private async fitInBackground(data: PreparedData, controller: AbortController): Promise<BaselineReport> {
    // Only the current fit speaks: a cancelled one may still report once before it notices.
    const current = (): Fit | null => (this.fit?.controller === controller ? this.fit : null);
    const emit = (status: BaselineStatus): void => {
      if (current()) this.emit(status);
    };
    await Promise.resolve(); // run() records this fit before its first report
    emit({ state: 'running', progress: { stage: 'baseline', item: 'features', loaded: 0, total: data.split.train.length } });
    try {
      const report = await fitBaseline(baselineInput(data), { signal: controller.signal, onProgress: (progress) => emit({ state: 'running', progress }) });
      const fit = current();
      if (fit) fit.report = report;
      emit({ state: 'done', report });
      return report;
    } catch (err) {
      emit({ state: 'failed', message: err instanceof Error ? err.message : String(err) });
      if (current()) this.fit = null;
      throw err;
    }
  }

  /** Stops a fit under way (a finished baseline is kept: it stays valid for the data). */
  cancel(): void {
    const fit = this.fit;
    if (!fit || fit.report) return;
    this.emit({ state: 'cancelled' });
    this.fit = null;
    fit.controller.abort(new Error('The linear baseline was cancelled.'));
  }

  /** Drops the baseline, finished or not: the data it was fitted on is gone. */
  forget(): void {
    this.cancel();
    this.fit = null;
  }

  /** The finished baseline of `data`, if there is one. */
  reportFor(data: PreparedData): BaselineReport | undefined {
    return this.fit?.data === data ? this.fit.report : undefined;
  }
}

/** The split's texts (a pair joined by a line break) and targets: class ids or regression values. */
export function baselineInput(data: Pick<PreparedData, 'train' | 'validation' | 'columns' | 'labels' | 'split'>): BaselineInput {
  const { labels, columns } = data;
  if (!labels) throw new Error('The linear baseline needs labels: it is for classification and regression.');
  const part = (dataset: PreparedData['train'], rows: readonly number[], where: string) => ({
    texts: rows.map((row) => {
      const cells = dataset.rows[row];
      const pair = columns.textPair === undefined ? null : cells[columns.textPair];
      return pair === null || pair === undefined ? String(cells[columns.text] ?? '') : `${cells[columns.text] ?? ''}\n${pair}`;
    }),
    targets: rows.map((row) => encodeLabel(dataset.rows[row][columns.label!] ?? null, labels, row, where)),
  });
  return {
    task: labels.kind === 'categorical' ? { kind: 'classification', labels: labels.id2label } : { kind: 'regression' },
    train: part(data.train, data.split.train, 'training'),
    validation: part(data.validation, data.split.validation, 'validation'),
  };
}
