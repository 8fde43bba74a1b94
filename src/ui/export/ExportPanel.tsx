import { useState } from 'react';
import { useStudio } from '../../store';
import { downloadBytes } from '../../store/exportSlice';
import { CopyButton, formatBytes, Panel } from '../common';
import { folderName, peftSnippet, pythonSnippet, webSnippet } from './snippet';
import './export.css';

/** What each exported file is for, in the order people look for them. */
const FILE_NOTES: Record<string, string> = {
  'model.safetensors': 'weights',
  'config.json': 'architecture, labels',
  'vocab.txt': 'WordPiece vocabulary',
  'tokenizer_config.json': 'tokenizer settings',
  'special_tokens_map.json': 'special tokens',
  'training_args.json': 'the run’s settings',
  'metrics.json': 'the run’s metrics',
  'tokenizer.json': 'the tokenizer, as transformers.js reads it',
  'onnx/model.onnx': 'ONNX model, float32',
  'onnx/model_quantized.onnx': 'ONNX model, int8 weights (transformers.js dtype "q8")',
  'adapter_config.json': 'PEFT’s LoRA settings and target modules',
  'adapter_model.safetensors': 'the adapters and the trained head',
};

export function ExportPanel() {
  const model = useStudio((s) => s.model);
  const busy = useStudio((s) => s.busy);
  const runState = useStudio((s) => s.runState);
  const task = useStudio((s) => s.task);
  const regression = useStudio((s) => s.data?.regression ?? false);
  const exportZip = useStudio((s) => s.exportZip);
  const exportModel = useStudio((s) => s.exportModel);
  const exportForWeb = useStudio((s) => s.exportForWeb);
  const exportAdapter = useStudio((s) => s.exportAdapter);
  const importZip = useStudio((s) => s.importZip);
  const hasData = useStudio((s) => s.data !== null);
  const recipeZip = useStudio((s) => s.recipeZip);
  const exportRecipe = useStudio((s) => s.exportRecipe);
  const [quantized, setQuantized] = useState(true);
  const running = runState === 'training' || runState === 'stopping';
  const canExport = model !== null && busy === null && !running;
  const web = exportZip?.format === 'web';
  const adapter = exportZip?.format === 'peft';
  const folder = exportZip ? folderName(exportZip.name) : 'bert-studio-model';
  const code = web
    ? webSnippet(task, folder, regression)
    : adapter && model ? peftSnippet(task, folder, model.source, Object.keys(model.id2label ?? {}).length || 1) : pythonSnippet(task, folder, regression);
  return (
    <Panel title="Export" subtitle="Download the model as a Hugging Face folder that transformers loads as is, or as ONNX for transformers.js.">
      <div className="export-row">
        <button type="button" className="primary" disabled={!canExport} onClick={() => void exportModel()}>
          Export model
        </button>
        <span className="export-muted">
          {running ? 'Pause or stop training to export.' : runState === 'paused' ? 'The weights as they are now, mid-run, with tokenizer and config, zipped.' : 'The current weights, tokenizer and config, zipped.'}
        </span>
      </div>
      <div className="export-row">
        <button type="button" disabled={!canExport} onClick={() => void exportForWeb(quantized)}>
          Export for the web
        </button>
        <label className="export-muted">
          <input type="checkbox" checked={quantized} onChange={(event) => setQuantized(event.target.checked)} /> with an int8 copy
        </label>
        <span className="export-muted">ONNX for transformers.js, in the browser or Node.</span>
      </div>
      {model?.lora && (
        <div className="export-row">
          <button type="button" disabled={!canExport} onClick={() => void exportAdapter()}>
            Export LoRA adapter
          </button>
          <span className="export-muted">
            The r={model.lora.rank} adapters and the head alone, in PEFT’s layout, for PeftModel.from_pretrained on {model.source}. Export model
            merges them into the weights.
          </span>
        </div>
      )}

      {exportZip && (
        <div className="export-result">
          <div className="export-row">
            <span>
              Saved <strong>{exportZip.name}</strong> ({formatBytes(exportZip.bytes.length)})
            </span>
          </div>
          <ul className="export-files" aria-label="Exported files">
            {exportZip.files.map((file) => (
              <li key={file}>
                <code>{file}</code>
                {FILE_NOTES[file] && <span className="export-muted">{FILE_NOTES[file]}</span>}
              </li>
            ))}
          </ul>
          <div className="export-row">
            <button type="button" onClick={() => downloadBytes(exportZip.bytes, exportZip.name)}>
              Download again
            </button>
            {!web && !adapter && (
              <button type="button" disabled={busy !== null || running} onClick={() => void importZip(new Blob([exportZip.bytes as Uint8Array<ArrayBuffer>]), exportZip.name)}>
                Open exported zip as model
              </button>
            )}
          </div>
        </div>
      )}

      <div className="export-code">
        <div className="export-row">
          <span className="export-muted">{web ? 'Run it with transformers.js: unzip, then' : 'Load it in Python: unzip, then'}</span>
          <CopyButton text={code} label={web ? 'Copy JavaScript code' : 'Copy Python code'} />
        </div>
        <pre aria-label={web ? 'JavaScript code' : 'Python code'}>
          <code>
            {code.trimEnd().split('\n').map((line, i) => (
              <span key={i} className="export-line">
                {line}
              </span>
            ))}
          </code>
        </pre>
      </div>

      <div className="export-row">
        <button type="button" disabled={!model || !hasData || busy !== null || running} onClick={() => void exportRecipe()}>
          Train at scale
        </button>
        <span className="export-muted">
          {hasData
            ? 'The run the Training panel would start, as a folder for the Hugging Face Trainer on many GPUs and nodes: train.py, its settings, this split, the checkpoint, a DeepSpeed config.'
            : 'Load a dataset to take its run to many GPUs.'}
        </span>
      </div>
      {recipeZip && (
        <p className="export-muted export-recipe">
          Saved <strong>{recipeZip.name}</strong> ({formatBytes(recipeZip.size)}, {recipeZip.files.length} files): unzip, then{' '}
          <code>accelerate launch train.py</code>; its README.md has the rest.
        </p>
      )}
    </Panel>
  );
}
