import { useMemo } from 'react';
import type { QualityIssue } from '../../data/quality';
import { useStudio } from '../../store';
import type { DataSummary } from '../../worker/protocol';
import { formatCount } from '../common';
import { cellText, issueExamples } from './dataView';

/** The data-quality report: each issue with its rows, and one-click exclusion. */
export function QualityReport({ data, disabled }: { data: DataSummary; disabled: boolean }) {
  const excludedRows = useStudio((s) => s.excludedRows);
  const excludeFlagged = useStudio((s) => s.excludeFlagged);
  const includeAllRows = useStudio((s) => s.includeAllRows);
  const excluded = useMemo(() => new Set(excludedRows), [excludedRows]);
  const { issues, summary } = data.quality;
  const flaggable = issues.some((issue) => issue.rows.some((row) => !excluded.has(row)));
  return (
    <div className="data-quality">
      <div className="data-quality-head">
        <h3>Data quality</h3>
        <span className="data-muted">
          {formatCount(summary.flaggedRows)} of {formatCount(summary.rowCount)} rows flagged · {formatCount(data.numExcluded)} excluded
        </span>
      </div>
      <p className="data-note">
        Check labels and outliers before training: BERT fits a small dataset almost perfectly, so it learns mislabeled,
        contradictory and odd rows far more faithfully than simpler models do. Consistent labels matter most.
      </p>
      <div className="data-row">
        <button type="button" className="primary" disabled={disabled || !flaggable} onClick={() => void excludeFlagged()}>
          Exclude flagged rows
        </button>
        <button type="button" disabled={disabled || excludedRows.length === 0} onClick={() => void includeAllRows()}>
          Include all rows
        </button>
      </div>
      {issues.length === 0 ? (
        <p className="data-ok">No issues found.</p>
      ) : (
        <ul className="data-issues">
          {issues.map((issue, i) => (
            <IssueItem key={`${issue.kind}-${i}`} issue={issue} data={data} excluded={excluded} disabled={disabled} />
          ))}
        </ul>
      )}
    </div>
  );
}

function IssueItem({ issue, data, excluded, disabled }: { issue: QualityIssue; data: DataSummary; excluded: Set<number>; disabled: boolean }) {
  const excludeFlagged = useStudio((s) => s.excludeFlagged);
  const examples = issueExamples(issue, data.preview);
  const remaining = issue.rows.filter((row) => !excluded.has(row)).length;
  const shown = [data.columns.text, data.columns.textPair, data.columns.label].filter((c): c is string => Boolean(c));
  return (
    <li className={`data-issue ${issue.severity}`}>
      <div className="data-issue-head">
        <span className={`data-severity ${issue.severity}`}>{issue.severity}</span>
        <span className="data-issue-message">{issue.message}</span>
        {issue.rows.length > 0 &&
          (remaining > 0 ? (
            <button type="button" className="small" disabled={disabled} onClick={() => void excludeFlagged([issue.kind])}>
              Exclude {rowCount(remaining)}
            </button>
          ) : (
            <span className="data-excluded">{rowCount(issue.rows.length)} excluded</span>
          ))}
      </div>
      {examples.length > 0 && (
        <details>
          <summary>Examples</summary>
          <ul className="data-examples">
            {examples.map((example) => (
              <li key={example.row} className={excluded.has(example.row) ? 'excluded' : undefined}>
                <span className="data-rownum">row {example.row + 1}</span>
                {example.cells ? (
                  shown.map((column) => (
                    <span key={column} className="data-example-cell">
                      <span className="data-muted">{column}:</span> {cellText(example.cells?.[column]) || <em>(empty)</em>}
                    </span>
                  ))
                ) : (
                  <span className="data-muted">beyond the preview</span>
                )}
              </li>
            ))}
            {issue.rows.length > examples.length && !issue.groups && (
              <li className="data-muted">and {formatCount(issue.rows.length - examples.length)} more</li>
            )}
          </ul>
        </details>
      )}
    </li>
  );
}

function rowCount(n: number): string {
  return `${formatCount(n)} ${n === 1 ? 'row' : 'rows'}`;
}
