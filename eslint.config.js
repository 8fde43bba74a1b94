import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

/**
 * The floors of src/, bottom first (README, Architecture): a folder imports from its own floor and those below,
 * never from one above. progress.ts, under every floor, is shared by all.
 */
const FLOORS = ['kernels', 'tokenizer', 'io', 'data', 'model', 'train', 'worker', 'store', 'ui'];

/** Floors without tfjs: the page may use them, and the engine's floors build on them. */
const WITHOUT_TFJS = ['tokenizer', 'io', 'data'];

/**
 * The page (ui/, store/) never loads the engine: no tfjs, nothing of kernels/ or model/, and of train/, io/ and
 * worker/ only these modules, which are free of tfjs and which the page runs itself (the training form's defaults,
 * checks and suggestions, the freeze map, the learning-rate finder's reading, the memory estimate; a dropped zip
 * unpacked in its own worker; the Hub id check; the protocol and its client). Engine types and constants reach
 * the page through worker/protocol.ts.
 */
const PAGE_MAY_USE = {
  kernels: [],
  model: [],
  train: ['defaults', 'ema', 'errors', 'freeze', 'groups', 'lr', 'lrFinder', 'memory', 'metrics', 'suggest'],
  io: ['modelSource', 'unzipInWorker', 'zip'],
  worker: ['client', 'protocol'],
};

/** What the page's tests may use besides: tfjs-free test helpers. */
const PAGE_TESTS_MAY_USE = { ...PAGE_MAY_USE, train: [...PAGE_MAY_USE.train, 'testing'] };

/** Folder depths below src/ that files sit at (src/ui/App.tsx is 1, src/ui/training/fields.ts is 2). */
const DEPTHS = [1, 2, 3];

const up = (depth) => '\\.\\./'.repeat(depth);

/** An import, from a file `depth` folders below src/, of one of `folders` (relative, as the code writes it). */
function into(depth, folders) {
  return `^${up(depth)}(${folders.join('|')})(/|$)`;
}

/** An import of a module of `folder` other than `allowed`. */
function outside(depth, folder, allowed) {
  return allowed.length === 0 ? `^${up(depth)}${folder}(/|$)` : `^${up(depth)}${folder}/(?!(${allowed.join('|')})$)`;
}

function upperFloors(floor) {
  return FLOORS.slice(FLOORS.indexOf(floor) + 1);
}

const NO_TFJS = { group: ['@tensorflow/*'], message: 'This module stays free of tfjs (see eslint.config.js).' };

/** The import rule for files of `floor` at `depth`: no upper floor; for the page, only what it may use. */
function importRule(floor, depth, { page } = {}) {
  const patterns = [];
  const above = upperFloors(floor);
  if (above.length > 0) {
    patterns.push({ regex: into(depth, above), message: `${floor}/ sits below ${above.join(', ')}: a lower floor never imports an upper one.` });
  }
  if (page) {
    patterns.push({ ...NO_TFJS, message: 'The page never loads tfjs: the engine runs it in its worker (src/worker).' });
    for (const [folder, allowed] of Object.entries(page)) {
      patterns.push({
        regex: outside(depth, folder, allowed),
        message: `The page never loads the engine: take engine types and constants from worker/protocol; of ${folder}/ it may use ${allowed.join(', ') || 'nothing'} (PAGE_MAY_USE, eslint.config.js).`,
      });
    }
  }
  if (WITHOUT_TFJS.includes(floor)) patterns.push(NO_TFJS);
  return ['error', { patterns }];
}

function filesAt(floor, depth) {
  return [`src/${floor}/${'*/'.repeat(depth - 1)}*.{ts,tsx}`];
}

// Tests may reach up: a kernel is checked through the model that uses it (the page's tests keep the page's rule).
const floorRules = FLOORS.flatMap((floor) =>
  DEPTHS.map((depth) => ({
    files: filesAt(floor, depth),
    ignores: ['**/*.test.{ts,tsx}'],
    rules: { 'no-restricted-imports': importRule(floor, depth, { page: ['ui', 'store'].includes(floor) ? PAGE_MAY_USE : undefined }) },
  })),
);

const pageTestRules = ['ui', 'store'].flatMap((floor) =>
  DEPTHS.map((depth) => ({
    files: filesAt(floor, depth).map((glob) => glob.replace('*.{ts,tsx}', '*.test.{ts,tsx}')),
    rules: { 'no-restricted-imports': importRule(floor, depth, { page: PAGE_TESTS_MAY_USE }) },
  })),
);

/**
 * The train/ modules the page may use stay as the page needs them: without tfjs, and built only on each other, on
 * model/task.ts (a type), model/loraTargets.ts and on the floors without tfjs.
 */
const pageTrainRule = {
  files: PAGE_MAY_USE.train.map((name) => `src/train/${name}.ts`),
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          ...importRule('train', 1)[1].patterns,
          { ...NO_TFJS, message: 'The page uses this module (PAGE_MAY_USE, eslint.config.js): it stays free of tfjs.' },
          {
            regex: `^(\\./(?!(${PAGE_MAY_USE.train.join('|')})$)|\\.\\./(kernels|model/(?!(task|loraTargets)$)))`,
            message: 'The page uses this module (PAGE_MAY_USE, eslint.config.js): it builds only on modules the page may use.',
          },
        ],
      },
    ],
  },
};

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'test-results', 'playwright-report', 'tools/pretrain/work'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx,js,mjs}'],
    languageOptions: { globals: { ...globals.browser, ...globals.node, ...globals.worker } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  ...floorRules,
  ...pageTestRules,
  pageTrainRule,
);
