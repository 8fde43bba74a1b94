/**
 * The pretrained-vs-random fine-tuning comparison: per-run records from the CLI's metrics.json, and the
 * summary the model card renders (mean validation accuracy per initialisation over the same seeds), with the
 * linear baseline each run fitted on its own split beside them.
 */

export type Init = 'pretrained' | 'random';

export interface ComparisonRun {
  init: Init;
  seed: number;
  accuracy: number;
  macro_f1: number;
  best_step: number;
  /** The linear baseline on the run's split (metrics.json "baseline"), when the run recorded one. */
  baseline_accuracy?: number;
  baseline_macro_f1?: number;
  command: string;
}

export interface Comparison {
  task: string;
  recipe: string;
  runs: ComparisonRun[];
  mean_accuracy: Record<Init, number>;
  /** Mean pretrained accuracy minus mean random accuracy, in percentage points. */
  difference_points: number;
  /** The linear baseline's mean validation accuracy over the seeds' splits, and each initialisation's lead over it in points. */
  baseline?: { mean_accuracy: number; lead_points: Record<Init, number> };
  verdict: string;
}

/** The fields of metrics.json (written by the CLI's train) that the comparison reads. */
interface TrainMetrics {
  best?: { step: number; classification?: { accuracy: number; macroF1: number } };
  baseline?: { accuracy?: number; macroF1?: number };
}

export function runFromMetrics(metrics: unknown, init: Init, seed: number, command: string): ComparisonRun {
  const { best, baseline } = (metrics as TrainMetrics | null) ?? {};
  if (!best?.classification) throw new Error(`the ${init} run with seed ${seed} recorded no classification evaluation`);
  return {
    init,
    seed,
    accuracy: best.classification.accuracy,
    macro_f1: best.classification.macroF1,
    best_step: best.step,
    ...(baseline?.accuracy === undefined ? {} : { baseline_accuracy: baseline.accuracy, baseline_macro_f1: baseline.macroF1 }),
    command,
  };
}

function mean(values: number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

export function summarise(task: string, recipe: string, runs: ComparisonRun[], requiredPoints: number): Comparison {
  const accuracies = (init: Init) => runs.filter((r) => r.init === init).map((r) => r.accuracy);
  const pretrained = accuracies('pretrained');
  const random = accuracies('random');
  if (pretrained.length === 0 || random.length === 0) throw new Error('the comparison needs runs of both initialisations');
  const mean_accuracy = { pretrained: mean(pretrained), random: mean(random) };
  const difference_points = 100 * (mean_accuracy.pretrained - mean_accuracy.random);
  const wins = runs
    .filter((r) => r.init === 'pretrained')
    .filter((p) => runs.some((r) => r.init === 'random' && r.seed === p.seed && p.accuracy > r.accuracy)).length;
  const outcome = difference_points >= requiredPoints
    ? `The pretraining carries over: pretrained initialisation beats random initialisation by ${difference_points.toFixed(1)} points of mean validation accuracy (required: ${requiredPoints}).`
    : `The pretraining does not carry over enough: pretrained minus random is ${difference_points.toFixed(1)} points of mean validation accuracy (required: ${requiredPoints}).`;
  const baseline = baselineSummary(runs, mean_accuracy);
  return {
    task,
    recipe,
    runs,
    mean_accuracy,
    difference_points,
    ...(baseline ? { baseline: baseline.summary } : {}),
    verdict: `${outcome} Pretrained wins ${wins} of ${pretrained.length} seeds.${baseline ? ` ${baseline.sentence}` : ''}`,
  };
}

/** Points with a sign, "+4.1" / "-3.2". */
const points = (value: number): string => `${value >= 0 ? '+' : ''}${value.toFixed(1)}`;

/**
 * The baseline's mean accuracy over the seeds (both runs of a seed share its split, so each seed counts once),
 * or null when a run recorded no baseline.
 */
function baselineSummary(runs: ComparisonRun[], means: Record<Init, number>): { summary: NonNullable<Comparison['baseline']>; sentence: string } | null {
  if (runs.some((r) => r.baseline_accuracy === undefined)) return null;
  const bySeed = new Map(runs.map((r) => [r.seed, r.baseline_accuracy!]));
  const mean_accuracy = mean([...bySeed.values()]);
  const lead_points = { pretrained: 100 * (means.pretrained - mean_accuracy), random: 100 * (means.random - mean_accuracy) };
  const sentence = `The linear baseline (TF-IDF + logistic regression) averages ${mean_accuracy.toFixed(3)} on the same splits: ` +
    `pretrained ${points(lead_points.pretrained)} points from it, random initialisation ${points(lead_points.random)}.`;
  return { summary: { mean_accuracy, lead_points }, sentence };
}
