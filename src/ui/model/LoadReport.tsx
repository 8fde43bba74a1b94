import type { ModelSummary } from '../../worker/protocol';

/** `expected`: normal for fine-tuning (a new head, tied decoder weights); the others deserve a look. */
const SECTIONS: { key: keyof ModelSummary['loadReport']; title: string; note: string; expected: boolean }[] = [
  { key: 'missing', title: 'Missing', note: 'not in the checkpoint', expected: false },
  { key: 'unexpected', title: 'Unexpected', note: 'in the checkpoint but unused', expected: false },
  { key: 'initialised', title: 'Newly initialised', note: 'trained from scratch', expected: true },
  { key: 'tied', title: 'Tied', note: 'shared with another weight', expected: true },
];

/** What from_pretrained would print: which tensors matched, and which were missing, new or unused. */
export function LoadReport({ report }: { report: ModelSummary['loadReport'] }) {
  const present = SECTIONS.filter((section) => report[section.key].length > 0);
  if (present.length === 0) {
    return <p className="model-report ok">Load report: every tensor of the checkpoint matched the model.</p>;
  }
  const suspicious = present.some((section) => !section.expected);
  return (
    <details className={suspicious ? 'model-report warn' : 'model-report'}>
      <summary>
        Load report: {suspicious ? '' : 'all checkpoint tensors used; '}
        {present.map((section) => `${report[section.key].length} ${section.title.toLowerCase()}`).join(', ')}
      </summary>
      {present.map((section) => (
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
