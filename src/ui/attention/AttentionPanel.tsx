import { useState, type FormEvent } from 'react';
import { useStudio } from '../../store';
import { Panel, ProgressBar } from '../common';
import { AttentionExplorer } from './AttentionExplorer';
import { DataExamplePicker } from './DataExamplePicker';
import './attention.css';

const BUSY_LABEL = 'Computing attention';

/** Attention explorer: which tokens each layer and head attend to, before and after fine-tuning. */
export function AttentionPanel() {
  const text = useStudio((s) => s.attentionText);
  const setText = useStudio((s) => s.setAttentionText);
  const computeAttention = useStudio((s) => s.computeAttention);
  const attention = useStudio((s) => s.attention);
  const model = useStudio((s) => s.model);
  const busy = useStudio((s) => s.busy);
  // The sentence the shown maps were computed for, to flag them as stale once the text changes.
  const [shownFor, setShownFor] = useState<string | null>(null);

  const computing = busy === BUSY_LABEL;
  const canShow = model !== null && busy === null && text.trim() !== '';
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (!canShow) return;
    setShownFor(text);
    void computeAttention();
  };

  return (
    <Panel
      title="Attention"
      className="wide attention-panel"
      subtitle="Which tokens each layer and head looks at, for the current and the pretrained weights."
    >
      <form className="attention-form" onSubmit={submit}>
        <label className="attention-sentence">
          <span>Sentence</span>
          <input type="text" value={text} onChange={(event) => setText(event.target.value)} spellCheck={false} />
        </label>
        <DataExamplePicker label="Example sentence from the data" onPick={setText} />
        <button type="submit" className="primary" disabled={!canShow}>
          {computing ? 'Computing…' : 'Show attention'}
        </button>
      </form>
      {computing && <ProgressBar label={BUSY_LABEL} text="Running the current and the pretrained model…" />}
      {!model && <p className="attention-note">Load a model to explore its attention.</p>}
      {model && !attention && !computing && (
        <p className="attention-note">Type a sentence (or pick one from the data) and press Show attention.</p>
      )}
      {attention && shownFor !== null && shownFor !== text && !computing && (
        <p className="attention-note">These maps are for an earlier sentence: press Show attention to update them.</p>
      )}
      {attention && (
        <div aria-busy={computing}>
          <AttentionExplorer maps={attention} />
        </div>
      )}
    </Panel>
  );
}
