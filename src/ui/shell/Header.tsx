import { useStudio } from '../../store';
import type { BackendName } from '../../worker/protocol';
import { Tooltip } from '../common';
import { BACKEND_OPTIONS, backendBadge } from './backend';
import './shell.css';

/** Title, the backend badge (with the adapter) and the backend switcher. */
export function Header() {
  const backend = useStudio((s) => s.backend);
  const busy = useStudio((s) => s.busy);
  const runState = useStudio((s) => s.runState);
  const switchBackend = useStudio((s) => s.switchBackend);
  const training = runState === 'training' || runState === 'paused' || runState === 'stopping';
  return (
    <header className="shell-header">
      <div className="shell-brand">
        <span className="shell-logo" aria-hidden="true">
          B
        </span>
        <div>
          <h1>BERT Studio</h1>
          <p>Fine-tune BERT models on your own GPU, in the browser. Nothing leaves this machine.</p>
        </div>
      </div>
      <div className="shell-backend">
        <span className="shell-badge" title="The tfjs backend and the adapter it runs on" aria-live="polite">
          {backendBadge(backend)}
        </span>
        <label className="shell-switch">
          <span>Backend</span>
          <select
            aria-label="Backend"
            value={backend?.backend ?? ''}
            disabled={busy !== null || training}
            onChange={(event) => void switchBackend(event.target.value as BackendName)}
          >
            {backend === null && <option value="">…</option>}
            {BACKEND_OPTIONS.map((option) => (
              <option key={option.name} value={option.name}>
                {option.label}
              </option>
            ))}
          </select>
        </label>
        <Tooltip
          label="About backends"
          text={
            <>
              {BACKEND_OPTIONS.map((option) => (
                <span key={option.name} className="shell-tip-line">
                  <b>{option.label}</b>: {option.description}
                </span>
              ))}
              <span className="shell-tip-line">
                On machines without a GPU, WebGPU runs in software (SwiftShader) and the CPU wasm backend is much faster.
                Switching restarts the engine; a loaded Hub or local model is reloaded.
              </span>
            </>
          }
        />
      </div>
    </header>
  );
}
