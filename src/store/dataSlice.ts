import type { IssueKind } from '../data/quality';
import type { ColumnChoice, DataFile, DataSummary, Task } from '../worker/protocol';
import { engine } from './engine';
import type { Slice } from './types';

/** The files of the dataset, kept for reloads (a new task or column choice re-reads them in the worker). */
export interface DataFiles {
  train: DataFile;
  validation?: DataFile;
}

export interface DataSlice {
  task: Task;
  dataFiles: DataFiles | null;
  /** Column overrides; unset fields are auto-detected. */
  columnChoice: ColumnChoice;
  regression: boolean;
  /** Training-file rows left out of training (e.g. flagged by the quality report). */
  excludedRows: number[];
  data: DataSummary | null;
  setTask(task: Task): Promise<void>;
  loadData(files: DataFiles): Promise<void>;
  /** Opens new files: forgets the previous file's column overrides and excluded rows, optionally switching task. */
  openData(files: DataFiles, task?: Task): Promise<void>;
  setColumns(choice: ColumnChoice): Promise<void>;
  setRegression(regression: boolean): Promise<void>;
  /** Excludes the rows of every quality issue of these kinds (all kinds when omitted). */
  excludeFlagged(kinds?: IssueKind[]): Promise<void>;
  includeAllRows(): Promise<void>;
}

export const createDataSlice: Slice<DataSlice> = (set, get) => {
  const reload = async (patch: Partial<Pick<DataSlice, 'task' | 'columnChoice' | 'regression' | 'excludedRows'>>) => {
    set(patch);
    const files = get().dataFiles;
    if (files) await get().loadData(files);
  };
  return {
    task: 'classify',
    dataFiles: null,
    columnChoice: {},
    regression: false,
    excludedRows: [],
    data: null,

    async loadData(files) {
      const { task, columnChoice, regression, excludedRows } = get();
      set({ dataFiles: files });
      const summary = await get().runTask('Reading data', () =>
        engine().call('loadData', {
          task,
          train: files.train,
          validation: files.validation,
          columns: columnChoice,
          regression,
          excludeRows: excludedRows,
          seed: get().args.seed,
          valSplit: get().args.valSplit,
        }),
      );
      if (!summary) return;
      set({ data: summary });
      get().resetLrFinder();
      get().resetBaseline();
    },

    async openData(files, task) {
      set({ task: task ?? get().task, columnChoice: {}, regression: false, excludedRows: [], data: null });
      await get().loadData(files);
    },

    setTask: (task) => reload({ task, columnChoice: {}, excludedRows: [] }),
    setColumns: (columnChoice) => reload({ columnChoice }),
    setRegression: (regression) => reload({ regression }),

    async excludeFlagged(kinds) {
      const data = get().data;
      if (!data) return;
      const rows = new Set(get().excludedRows);
      for (const issue of data.quality.issues) {
        if (!kinds || kinds.includes(issue.kind)) issue.rows.forEach((row) => rows.add(row));
      }
      await reload({ excludedRows: [...rows].sort((a, b) => a - b) });
    },

    includeAllRows: () => reload({ excludedRows: [] }),
  };
};
