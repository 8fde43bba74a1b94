import { useStudio } from '../../store';
import './shell.css';

/** The last error, in plain words, until dismissed. */
export function ErrorBanner() {
  const error = useStudio((s) => s.error);
  const where = useStudio((s) => s.errorWhere);
  const dismissError = useStudio((s) => s.dismissError);
  if (!error) return null;
  return (
    <div className="shell-banner error" role="alert">
      <div>
        <strong>Something went wrong.</strong> {error}
        {where && <div className="shell-banner-where">Where: {where}</div>}
      </div>
      <button type="button" onClick={dismissError}>
        Dismiss
      </button>
    </div>
  );
}
