/**
 * The pretrained-vs-random fine-tuning comparison: per-run records from the CLI's metrics.json, and the
 * summary the model card renders (mean validation accuracy per initialisation over the same seeds).
 */

export type Init = 'pretrained' | 'random';

export interface ComparisonRun {
  init: Init;
  seed: number;
  accuracy: number;
  macro_f1: number;
  best_step: number;
  command: string;
}

export interface Comparison {
  task: string;
  recipe: string;
  runs: ComparisonRun[];
  mean_accuracy: Record<Init, number>;
  /** Mean pretrained accuracy minus mean random accuracy, in percentage points. */
  difference_points: number;
  verdict: string;
}

/** The fields of metrics.json (written by the CLI's train) that the comparison reads. */
interface TrainMetrics {
  best?: { step: number; classification?: { accuracy: number; macroF1: number } };
}

export function runFromMetrics(metrics: unknown, init: Init, seed: number, command: string): ComparisonRun {
  const best = (metrics as TrainMetrics | null)?.best;
  if (!best?.classification) throw new Error(`the ${init} run with seed ${seed} recorded no classification evaluation`);
  return {
    init,
    seed,
    accuracy: best.classification.accuracy,
    macro_f1: best.classification.macroF1,
    best_step: best.step,
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
  return {
    task,
    recipe,
    runs,
    mean_accuracy,
    difference_points,
    verdict: `${outcome} Pretrained wins ${wins} of ${pretrained.length} seeds.`,
  };
}
