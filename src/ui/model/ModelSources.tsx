import { useState, type FormEvent } from 'react';
import { useStudio } from '../../store';
import { DEFAULT_MODEL, SUPPORTED_FAMILIES } from '../../worker/protocol';
import { DropZone } from '../common';
import { endpointProblem, hubIdProblem } from './hub';
import { isZip, modelFiles } from './localFiles';

/** The ways to load a model: the bundled one, a Hub id, a local folder or files, or a zip. */
export function ModelSources({ disabled }: { disabled: boolean }) {
  const loadModel = useStudio((s) => s.loadModel);
  const importZip = useStudio((s) => s.importZip);
  const runTask = useStudio((s) => s.runTask);
  const hubEndpoint = useStudio((s) => s.hubEndpoint);
  const setHubEndpoint = useStudio((s) => s.setHubEndpoint);
  const hubToken = useStudio((s) => s.hubToken);
  const keepHubToken = useStudio((s) => s.keepHubToken);
  const setHubToken = useStudio((s) => s.setHubToken);
  const [repo, setRepo] = useState('');
  const [revision, setRevision] = useState('main');
  const [touched, setTouched] = useState(false);
  const repoProblem = hubIdProblem(repo);
  const urlProblem = endpointProblem(hubEndpoint);

  const submitHub = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (repoProblem || urlProblem) return;
    const token = hubToken.trim() || undefined;
    void loadModel({ kind: 'hub', repo: repo.trim(), endpoint: hubEndpoint.trim(), revision: revision.trim() || 'main', token });
  };

  const openFiles = async (files: File[]) => {
    const zip = files.find(isZip);
    if (zip) {
      await importZip(zip, zip.name);
      return;
    }
    const picked = await runTask('Reading model files', async () => modelFiles(files));
    if (picked) await loadModel({ kind: 'local', files: picked });
  };

  return (
    <div className="model-sources">
      <div className="model-source-row">
        <button type="button" disabled={disabled} onClick={() => void loadModel({ kind: 'bundled', name: DEFAULT_MODEL })}>
          Load bundled model
        </button>
        <span className="model-muted">{DEFAULT_MODEL}: a tiny uncased English BERT pretrained in this repository, ready offline.</span>
      </div>

      <form className="model-hub" onSubmit={submitHub} noValidate>
        <label htmlFor="model-hub-id">Hugging Face model id</label>
        <div className="model-source-row">
          <input
            id="model-hub-id"
            type="text"
            placeholder="google-bert/bert-base-uncased"
            value={repo}
            spellCheck={false}
            autoComplete="off"
            aria-invalid={touched && repoProblem !== null}
            aria-describedby="model-hub-problem"
            onChange={(event) => setRepo(event.target.value)}
          />
          <button type="submit" className="primary" disabled={disabled}>
            Load from Hub
          </button>
        </div>
        <p id="model-hub-problem" className="model-problem" aria-live="polite">
          {touched && (repoProblem ?? urlProblem)}
        </p>
        <p className="model-muted" data-testid="model-families">
          Loads {SUPPORTED_FAMILIES.map((family) => `${family.name} (${family.modelType})`).join(', ')} checkpoints with
          safetensors weights; any other <code>model_type</code> is refused before the weights download.
        </p>
        <details className="model-advanced">
          <summary>Advanced: endpoint and revision</summary>
          <label>
            Hub endpoint
            <input
              type="url"
              value={hubEndpoint}
              spellCheck={false}
              aria-invalid={urlProblem !== null}
              onChange={(event) => setHubEndpoint(event.target.value)}
            />
          </label>
          <label>
            Revision
            <input type="text" value={revision} spellCheck={false} onChange={(event) => setRevision(event.target.value)} />
          </label>
          <label>
            Access token (gated or private models)
            <input
              type="password"
              value={hubToken}
              placeholder="hf_…"
              autoComplete="off"
              spellCheck={false}
              onChange={(event) => setHubToken(event.target.value, keepHubToken)}
            />
          </label>
          <label className="model-token-keep">
            <input type="checkbox" checked={keepHubToken} onChange={(event) => setHubToken(hubToken, event.target.checked)} />
            Keep it for this tab's session
          </label>
          <p className="model-muted">
            The token is held in this tab's memory and sent only to the endpoint above, as the Authorization header of
            its requests; it is never written into an export, a saved run, the log or a URL.
          </p>
          <p className="model-muted">
            Files come from <code>{'{endpoint}/{id}/resolve/{revision}/'}</code> and are cached in the browser. Use a
            mirror's address here; without a network connection only cached models load.
          </p>
        </details>
      </form>

      <DropZone label="Choose model folder" directory disabled={disabled} onFiles={(files) => void openFiles(files)}>
        <strong>Local model</strong>: pick a folder, or drop its files or a zip here (config.json, vocab.txt or
        tokenizer.json, model.safetensors or its shards with model.safetensors.index.json).
      </DropZone>
      <label className="button model-zip">
        Open model zip…
        <input
          type="file"
          accept=".zip,application/zip"
          className="visually-hidden"
          aria-label="Open model zip"
          disabled={disabled}
          onChange={(event) => {
            const files = [...(event.target.files ?? [])];
            event.target.value = '';
            if (files.length > 0) void openFiles(files);
          }}
        />
      </label>
    </div>
  );
}
