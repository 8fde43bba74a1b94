import type { ReactNode } from 'react';
import './common.css';

export interface Stat {
  label: string;
  value: ReactNode;
}

/** Label/value pairs in a compact grid, as a description list. */
export function StatList({ items, label }: { items: Stat[]; label?: string }) {
  return (
    <dl className="stats" aria-label={label}>
      {items.map((item) => (
        <div key={item.label} className="stat">
          <dt>{item.label}</dt>
          <dd>{item.value}</dd>
        </div>
      ))}
    </dl>
  );
}
