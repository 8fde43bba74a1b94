import { useStudio } from '../../store';
import './shell.css';

/** The last error, in plain words, until dismissed. */
export function ErrorBanner() {
  const error = useStudio((s) => s.error);
  const dismissError = useStudio((s) => s.dismissError);
  if (!error) return null;
  return (
    <div className="shell-banner error" role="alert">
      <div>
        <strong>Something went wrong.</strong> {error}
      </div>
      <button type="button" onClick={dismissError}>
        Dismiss
      </button>
    </div>
  );
}
