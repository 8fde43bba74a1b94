import { useStudio } from '../../store';
import { formatCount, Panel, ProgressBar, StatList } from '../common';
import { CacheManager } from './CacheManager';
import { LoadReport } from './LoadReport';
import { MemoryEstimate } from './MemoryEstimate';
import { ModelSources } from './ModelSources';
import { RecentRuns } from '../runs/RecentRuns';
import './model.css';

/** Busy labels of the store's actions that load a model. */
const LOADING = new Set(['Starting the engine', 'Loading model', 'Opening zip', 'Reading model files']);

/** The LoRA adapters the weights carry, and opening a PEFT adapter onto the loaded model. */
function AdapterLine({ disabled }: { disabled: boolean }) {
  const lora = useStudio((s) => s.model?.lora ?? null);
  const loadAdapter = useStudio((s) => s.loadAdapter);
  return (
    <div className="model-adapter">
      {lora && (
        <span>
          <span className="model-muted">LoRA adapters</span> r={lora.rank}, α={lora.alpha} on {lora.targets.join(', ')}
        </span>
      )}
      <label className="model-adapter-open">
        <span className="model-adapter-link">Open a LoRA adapter…</span>
        <input
          type="file"
          multiple
          accept=".json,.safetensors"
          aria-label="Open a LoRA adapter: adapter_config.json and adapter_model.safetensors"
          disabled={disabled}
          onChange={(event) => {
            const files = [...(event.target.files ?? [])];
            event.target.value = '';
            if (files.length > 0) void loadAdapter(files);
          }}
        />
      </label>
    </div>
  );
}

export function ModelPanel() {
  const model = useStudio((s) => s.model);
  const busy = useStudio((s) => s.busy);
  const progress = useStudio((s) => s.progress);
  const batch = useStudio((s) => s.args.batchSize);
  const seqLen = useStudio((s) => s.args.maxLength);
  const task = useStudio((s) => s.task);
  const backend = useStudio((s) => s.backend?.backend ?? null);
  const peers = useStudio((s) => s.backend?.peers ?? 0);
  const checkpointing = useStudio((s) => s.args.gradientCheckpointing);
  const runState = useStudio((s) => s.runState);
  const cancelLoad = useStudio((s) => s.cancelModelLoad);
  const cancelled = useStudio((s) => s.loadCancelled);
  const loading = busy !== null && LOADING.has(busy);
  const training = runState === 'training' || runState === 'paused' || runState === 'stopping';
  return (
    <Panel title="Model" subtitle="A pretrained BERT to fine-tune: bundled, from the Hub, or from your disk.">
      {loading && (
        <div className="model-loading">
          <ProgressBar label="Model loading" progress={progress} text={progress ? undefined : `${busy}…`} />
          {busy === 'Loading model' && (
            <button type="button" onClick={cancelLoad} disabled={cancelled}>
              {cancelled ? 'Cancelling…' : 'Cancel'}
            </button>
          )}
        </div>
      )}
      {model ? (
        <>
          <div className="model-name">
            <span className="model-muted">Loaded</span> <strong>{model.source}</strong>
            {model.architectures.length > 0 && <span className="model-muted"> · {model.architectures.join(', ')}</span>}
          </div>
          <StatList
            label="Architecture"
            items={[
              { label: 'Layers', value: model.numLayers },
              { label: 'Hidden', value: model.hiddenSize },
              { label: 'Heads', value: model.numHeads },
              { label: 'Intermediate', value: model.intermediateSize },
              { label: 'Vocabulary', value: formatCount(model.vocabSize) },
              { label: 'Max positions', value: model.maxPositions },
              { label: 'Parameters', value: formatCount(model.numParams) },
            ]}
          />
          <LoadReport report={model.loadReport} />
          <AdapterLine disabled={busy !== null || training} />
          <MemoryEstimate model={model} batch={batch} seqLen={seqLen} task={task} backend={backend} peers={peers} gradientCheckpointing={checkpointing} />
        </>
      ) : (
        !loading && <p className="model-muted">No model loaded yet.</p>
      )}
      <ModelSources disabled={busy !== null || training} />
      <CacheManager disabled={busy !== null} />
      <RecentRuns disabled={busy !== null || training} />
    </Panel>
  );
}
