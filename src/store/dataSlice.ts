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
  /**
   * Why the last file opened could not be used, shown beside the drop zone that received it; the dataset before
   * it stays loaded. null once a file loads or the message is dismissed.
   */
  dataError: { message: string; where: string | null } | null;
  setTask(task: Task): Promise<void>;
  /** Loads the files with the current settings; false (the error in `error`) when they cannot be used. */
  loadData(files: DataFiles): Promise<boolean>;
  /** Opens new files: forgets the previous file's column overrides and excluded rows, optionally switching task. */
  openData(files: DataFiles, task?: Task): Promise<void>;
  setColumns(choice: ColumnChoice): Promise<void>;
  setRegression(regression: boolean): Promise<void>;
  /** Excludes the rows of every quality issue of these kinds (all kinds when omitted). */
  excludeFlagged(kinds?: IssueKind[]): Promise<void>;
  includeAllRows(): Promise<void>;
  dismissDataError(): void;
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
    dataError: null,

    async loadData(files) {
      const { task, columnChoice, regression, excludedRows } = get();
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
      if (!summary) return false;
      set({ dataFiles: files, data: summary, dataError: null });
      get().resetLrFinder();
      get().resetBaseline();
      return true;
    },

    async openData(files, task) {
      const { task: previousTask, dataFiles, columnChoice, regression, excludedRows } = get();
      set({ task: task ?? previousTask, columnChoice: {}, regression: false, excludedRows: [], dataError: null });
      if (await get().loadData(files)) return;
      // The worker keeps its dataset when a file fails to load, and so does the page: the settings that go with it
      // come back, and the error moves from the page's banner to the drop zone that received the file.
      const { error, errorWhere } = get();
      set({
        task: previousTask,
        dataFiles,
        columnChoice,
        regression,
        excludedRows,
        error: null,
        errorWhere: null,
        dataError: error ? { message: error, where: errorWhere } : null,
      });
    },

    dismissDataError() {
      set({ dataError: null });
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
