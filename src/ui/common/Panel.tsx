import { useId, type ReactNode } from 'react';
import './common.css';

export interface PanelProps {
  title: string;
  /** One line under the title saying what the panel is for. */
  subtitle?: ReactNode;
  /** Controls placed at the right of the title bar (e.g. a help tooltip or a reset button). */
  actions?: ReactNode;
  /** Grid area or extra class of the card, e.g. "wide" to span two columns. */
  className?: string;
  children: ReactNode;
}

/** A titled card: a <section> named by its heading, so tests and screen readers find it as a region. */
export function Panel({ title, subtitle, actions, className, children }: PanelProps) {
  const headingId = useId();
  return (
    <section className={['panel', className].filter(Boolean).join(' ')} aria-labelledby={headingId}>
      <header className="panel-header">
        <div>
          <h2 id={headingId} className="panel-title">
            {title}
          </h2>
          {subtitle && <p className="panel-subtitle">{subtitle}</p>}
        </div>
        {actions && <div className="panel-actions">{actions}</div>}
      </header>
      <div className="panel-body">{children}</div>
    </section>
  );
}
