import { COMMIT_SHA } from '../../io/modelSource';
import { useStudio } from '../../store';
import { formatBytes } from '../common';

/**
 * The Hub download cache: what it keeps (model, commit, size, last use), deleting one model or all, and the
 * browser's storage: how much this site uses of what it may, and whether the browser keeps it under pressure.
 * Listed when opened, since listing reads the cache's index in the worker.
 */
export function CacheManager({ disabled }: { disabled: boolean }) {
  const models = useStudio((s) => s.cachedModels);
  const storage = useStudio((s) => s.storage);
  const refresh = useStudio((s) => s.refreshCache);
  const remove = useStudio((s) => s.deleteCached);
  const persist = useStudio((s) => s.persistStorage);
  return (
    <details className="model-cache" onToggle={(event) => (event.currentTarget.open ? void refresh() : undefined)}>
      <summary>Downloaded models</summary>
      {models === null ? (
        <p className="model-muted">Reading the download cache…</p>
      ) : models.length === 0 ? (
        <p className="model-muted">No Hub model is kept in this browser.</p>
      ) : (
        <ul className="model-cache-list">
          {models.map((model) => (
            <li key={model.key}>
              <div>
                <strong title={model.endpoint}>{model.repo}</strong>{' '}
                <code title={model.revision}>{COMMIT_SHA.test(model.revision) ? model.revision.slice(0, 8) : model.revision}</code>
                <div className="model-muted">
                  {formatBytes(model.bytes)} · last used{' '}
                  {model.lastUsed ? new Date(model.lastUsed).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' }) : 'before dates were kept'}
                </div>
              </div>
              <button type="button" disabled={disabled} aria-label={`Delete ${model.repo} from the cache`} onClick={() => void remove(model.key)}>
                Delete
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="model-source-row">
        <button type="button" disabled={disabled || !models?.length} onClick={() => void remove(null)}>
          Delete all
        </button>
        <span className="model-muted" data-testid="storage-estimate">
          {storage.usage !== null && storage.quota !== null
            ? `This site uses ${formatBytes(storage.usage)} of the ${formatBytes(storage.quota)} the browser allows it.`
            : 'The browser does not report its storage.'}{' '}
          {storage.persisted === true
            ? 'Kept even when the disk runs low.'
            : storage.persisted === false
              ? 'The browser may clear it when the disk runs low.'
              : ''}
        </span>
        {storage.persisted === false && (
          <button type="button" onClick={() => void persist()}>
            Keep downloads
          </button>
        )}
      </div>
    </details>
  );
}
