import { describe, expect, it } from 'vitest';
import { runFromMetrics, summarise, type ComparisonRun } from './summary';

const run = (init: 'pretrained' | 'random', seed: number, accuracy: number): ComparisonRun => ({
  init,
  seed,
  accuracy,
  macro_f1: accuracy,
  best_step: 10,
  command: `train --seed ${seed}`,
});

describe('runFromMetrics', () => {
  it('reads the best evaluation of the CLI metrics.json', () => {
    const metrics = { outcome: 'completed', best: { step: 75, classification: { accuracy: 0.8, macroF1: 0.79 } } };
    expect(runFromMetrics(metrics, 'random', 2, 'cmd')).toEqual({
      init: 'random', seed: 2, accuracy: 0.8, macro_f1: 0.79, best_step: 75, command: 'cmd',
    });
  });

  it('reads the linear baseline the run recorded beside it', () => {
    const metrics = { best: { step: 75, classification: { accuracy: 0.8, macroF1: 0.79 } }, baseline: { accuracy: 0.75, macroF1: 0.74 } };
    expect(runFromMetrics(metrics, 'pretrained', 1, 'cmd')).toMatchObject({ accuracy: 0.8, baseline_accuracy: 0.75, baseline_macro_f1: 0.74 });
  });

  it('names the run when it has no classification evaluation', () => {
    expect(() => runFromMetrics({ best: { step: 3, maskedAccuracy: 0.2 } }, 'pretrained', 7, 'cmd')).toThrow(/pretrained run with seed 7/);
    expect(() => runFromMetrics(null, 'random', 1, 'cmd')).toThrow(/random run with seed 1/);
  });
});

describe('summarise', () => {
  it('compares mean accuracies in points and counts the seeds the pretrained model wins', () => {
    const runs = [run('pretrained', 1, 0.8), run('random', 1, 0.7), run('pretrained', 2, 0.7), run('random', 2, 0.72)];
    const c = summarise('task', 'recipe', runs, 5);
    expect(c.mean_accuracy.pretrained).toBeCloseTo(0.75);
    expect(c.mean_accuracy.random).toBeCloseTo(0.71);
    expect(c.difference_points).toBeCloseTo(4);
    expect(c.verdict).toMatch(/does not carry over enough.*4\.0 points/);
    expect(c.verdict).toMatch(/wins 1 of 2 seeds/);
  });

  it('says the pretraining carries over when the margin reaches the requirement', () => {
    const c = summarise('task', 'recipe', [run('pretrained', 1, 0.8), run('random', 1, 0.75)], 5);
    expect(c.difference_points).toBeCloseTo(5);
    expect(c.verdict).toMatch(/^The pretraining carries over: .* by 5\.0 points/);
  });

  it('reports the linear baseline once per seed (both runs share its split) and each initialisation\'s lead over it', () => {
    const withBaseline = (r: ComparisonRun, baseline: number): ComparisonRun => ({ ...r, baseline_accuracy: baseline, baseline_macro_f1: baseline });
    const runs = [
      withBaseline(run('pretrained', 1, 0.8), 0.76),
      withBaseline(run('random', 1, 0.7), 0.76),
      withBaseline(run('pretrained', 2, 0.7), 0.72),
      withBaseline(run('random', 2, 0.72), 0.72),
    ];
    const c = summarise('task', 'recipe', runs, 5);
    expect(c.baseline?.mean_accuracy).toBeCloseTo(0.74);
    expect(c.baseline?.lead_points.pretrained).toBeCloseTo(1);
    expect(c.baseline?.lead_points.random).toBeCloseTo(-3);
    expect(c.verdict).toMatch(/The linear baseline \(TF-IDF \+ logistic regression\) averages 0\.740 on the same splits: pretrained \+1\.0 points from it, random initialisation -3\.0\.$/);
    expect(summarise('task', 'recipe', [run('pretrained', 1, 0.8), run('random', 1, 0.75)], 5)).not.toHaveProperty('baseline');
  });

  it('refuses a comparison without both initialisations', () => {
    expect(() => summarise('task', 'recipe', [run('pretrained', 1, 0.8)], 5)).toThrow(/both initialisations/);
  });
});
