import { useMemo, useState } from 'react';
import { useStudio } from '../../store';
import type { EvalMetrics } from '../../worker/protocol';
import { formatPercent, Panel, StatList } from '../common';
import { isActive } from '../training/run';
import { BaselineComparison } from './BaselineComparison';
import { ConfusionMatrix } from './ConfusionMatrix';
import { classNames, classRows, entityRows, headline, mistakeCount, notLearned, type MistakeFilter } from './evaluation';
import { Mistakes } from './Mistakes';
import './evaluation.css';

/** Scores on the validation set: headline numbers, the confusion matrix, per-class metrics and the mistakes. */
export function EvaluationPanel() {
  const evaluation = useStudio((s) => s.latestEval);
  const labels = useStudio((s) => s.data?.labels);
  const canEvaluate = useStudio((s) => s.model !== null && s.data !== null && s.busy === null && !isActive(s.runState));
  const evaluating = useStudio((s) => s.busy === 'Evaluating');
  const evaluateNow = useStudio((s) => s.evaluateNow);

  const action = (
    <button type="button" disabled={!canEvaluate} onClick={() => void evaluateNow()}>
      {evaluating ? 'Evaluating…' : 'Evaluate now'}
    </button>
  );
  return (
    <Panel title="Evaluation" subtitle="How the model does on the validation set." actions={action}>
      {evaluation ? (
        <Report evaluation={evaluation} labels={labels} />
      ) : (
        <>
          <p className="evaluation-muted">
            No evaluation yet. Training evaluates on its own schedule; “Evaluate now” scores the current weights (not while a run is active).
          </p>
          <BaselineComparison evaluation={null} />
        </>
      )}
    </Panel>
  );
}

function Report({ evaluation, labels }: { evaluation: EvalMetrics; labels: string[] | undefined }) {
  // The picked cell belongs to one evaluation; a new one starts unfiltered.
  const [picked, setPicked] = useState<{ evaluation: EvalMetrics; filter: MistakeFilter } | null>(null);
  const filter = picked?.evaluation === evaluation ? picked.filter : null;
  const report = evaluation.classification;
  const names = useMemo(() => (report ? classNames(report.perClass.length, labels) : []), [report, labels]);
  return (
    <>
      <div className="evaluation-headline">
        <StatList label="Headline metrics" items={headline(evaluation)} />
        <span className="evaluation-muted">
          {evaluation.step > 0 ? `After step ${evaluation.step}` : 'Current weights'}
          {evaluation.isBest && evaluation.step > 0 ? ' · best so far' : ''}
        </span>
      </div>
      <NotLearned evaluation={evaluation} names={names} />
      <BaselineComparison evaluation={evaluation} />
      {evaluation.entities && <ClassTable rows={entityRows(evaluation.entities)} kind="Entity type" />}
      {report && (
        <>
          <ConfusionMatrix
            confusion={report.confusion}
            names={names}
            selected={filter}
            onSelect={evaluation.misclassified ? (next) => setPicked(next ? { evaluation, filter: next } : null) : undefined}
          />
          <ClassTable rows={classRows(report, names)} kind="Class" />
          {evaluation.misclassified && (
            <Mistakes mistakes={evaluation.misclassified} total={mistakeCount(report.confusion)} filter={filter} onClearFilter={() => setPicked(null)} />
          )}
        </>
      )}
    </>
  );
}

/** Precision, recall, F1 and support per class, or per entity type (entity-level, seqeval's rules). */
function ClassTable({ rows, kind }: { rows: ReturnType<typeof classRows>; kind: 'Class' | 'Entity type' }) {
  return (
    <div className="evaluation-table-wrap">
      <table className="evaluation-table">
        <caption className="visually-hidden">{`Per-${kind.toLowerCase()} precision, recall, F1 and support`}</caption>
        <thead>
          <tr>
            <th scope="col">{kind}</th>
            <th scope="col">Precision</th>
            <th scope="col">Recall</th>
            <th scope="col">F1</th>
            <th scope="col">Support</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.name}>
              <th scope="row">{row.name}</th>
              <td className="num">
                <Bar value={row.precision} />
              </td>
              <td className="num">
                <Bar value={row.recall} />
              </td>
              <td className="num">
                <Bar value={row.f1} />
              </td>
              <td className="num">{row.support}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A number with a thin bar under it, so weak classes stand out at a glance. */
function Bar({ value }: { value: number }) {
  return (
    <span className="evaluation-bar">
      {formatPercent(value)}
      <span aria-hidden="true" style={{ width: `${value * 100}%` }} />
    </span>
  );
}

/** Says so when the numbers show a model that has not learned, and what to try. */
function NotLearned({ evaluation, names }: { evaluation: EvalMetrics; names: readonly string[] }) {
  const problem = notLearned(evaluation, names);
  if (!problem) return null;
  return (
    <div className="evaluation-not-learned" role="status">
      <p>
        <strong>{problem}</strong>
      </p>
      <ul>
        <li>Find a learning rate with the learning-rate finder (Training panel); small models take far higher rates than bert-base.</li>
        <li>Train for more epochs: the first epochs of a small model often only move the classifier head.</li>
        <li>Check the labels: the quality report flags conflicting and unbalanced ones.</li>
      </ul>
    </div>
  );
}
