import type { ModelSummary } from '../../worker/protocol';

const SECTIONS: { key: keyof ModelSummary['loadReport']; title: string; note: string }[] = [
  { key: 'missing', title: 'Missing', note: 'not in the checkpoint' },
  { key: 'initialised', title: 'Newly initialised', note: 'trained from scratch' },
  { key: 'unexpected', title: 'Unexpected', note: 'in the checkpoint but unused' },
  { key: 'tied', title: 'Tied', note: 'shared with another weight' },
];

/** What from_pretrained would print: which tensors matched, and which were missing, new or unused. */
export function LoadReport({ report }: { report: ModelSummary['loadReport'] }) {
  const problems = SECTIONS.filter((section) => report[section.key].length > 0);
  if (problems.length === 0) {
    return <p className="model-report ok">Load report: every tensor of the checkpoint matched the model.</p>;
  }
  return (
    <details className="model-report">
      <summary>
        Load report:{' '}
        {problems.map((section) => `${report[section.key].length} ${section.title.toLowerCase()}`).join(', ')}
      </summary>
      {problems.map((section) => (
        <div key={section.key}>
          <h4>
            {section.title} <span className="model-muted">({section.note})</span>
          </h4>
          <ul>
            {report[section.key].map((name) => (
              <li key={name}>
                <code>{name}</code>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </details>
  );
}
