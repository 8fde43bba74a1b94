import { useEffect, useMemo, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useStudio } from '../../store';
import { DataExamplePicker } from '../attention/DataExamplePicker';
import { Panel, ProgressBar } from '../common';
import { countMasks, currentHead, exampleContext, insertMask, MASK } from './playground';
import { PredictionView } from './PredictionView';
import './playground.css';

const BUSY_LABEL = 'Predicting';

/** Try the model on any text: class probabilities, fill-mask candidates for a masked-LM head, or a question's answer in a context. */
export function PlaygroundPanel() {
  const text = useStudio((s) => s.playgroundText);
  const setText = useStudio((s) => s.setPlaygroundText);
  const context = useStudio((s) => s.playgroundContext);
  const setContext = useStudio((s) => s.setPlaygroundContext);
  const predict = useStudio((s) => s.predict);
  const predictions = useStudio((s) => s.predictions);
  const model = useStudio((s) => s.model);
  const task = useStudio((s) => s.task);
  const data = useStudio((s) => s.data);
  const runState = useStudio((s) => s.runState);
  const steps = useStudio((s) => s.steps.length);
  const busy = useStudio((s) => s.busy);
  const textBox = useRef<HTMLTextAreaElement>(null);
  // Where the caret goes once an inserted [MASK] has reached the text box.
  const [caret, setCaret] = useState<number | null>(null);

  const head = useMemo(() => currentHead({ model, task, data, runState, steps }), [model, task, data, runState, steps]);
  const prediction = predictions?.[0] ?? null;
  const mlm = head.kind === 'mlm';
  const qa = head.kind === 'qa';
  const predicting = busy === BUSY_LABEL;
  const canPredict = model !== null && busy === null && text.trim() !== '';

  useEffect(() => {
    if (caret === null || !textBox.current) return;
    textBox.current.focus();
    textBox.current.setSelectionRange(caret, caret);
  }, [caret, text]);

  const submit = (event?: FormEvent): void => {
    event?.preventDefault();
    if (canPredict) void predict(qa);
  };
  const keyDown = (event: KeyboardEvent<HTMLTextAreaElement>): void => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) submit(event);
  };
  const addMask = (): void => {
    const box = textBox.current;
    const next = insertMask(text, box?.selectionStart ?? text.length, box?.selectionEnd ?? text.length);
    setText(next.text);
    setCaret(next.caret);
  };

  return (
    <Panel title="Playground" className="playground-panel" subtitle="Try the model on your own text.">
      <aside className="playground-head" aria-label="Model head">
        <span className="playground-head-name">{head.name}</span>
        <span className="playground-head-description">{head.description}</span>
      </aside>
      <form className="playground-form" onSubmit={submit}>
        <label className="playground-text">
          <span>{mlm ? 'Fill-mask text' : qa ? 'Question' : 'Text to classify'}</span>
          <textarea
            ref={textBox}
            rows={3}
            value={text}
            spellCheck={false}
            onChange={(event) => {
              setText(event.target.value);
              setCaret(null);
            }}
            onKeyDown={keyDown}
          />
        </label>
        {qa && (
          <label className="playground-text">
            <span>Context</span>
            <textarea rows={5} value={context} spellCheck={false} onChange={(event) => setContext(event.target.value)} onKeyDown={keyDown} />
          </label>
        )}
        {mlm && countMasks(text) === 0 && (
          <p className="playground-note">Add {MASK} where a word should be predicted (select a word and press Insert {MASK}).</p>
        )}
        <div className="playground-actions">
          <button type="submit" className="primary" disabled={!canPredict}>
            {predicting ? 'Predicting…' : 'Predict'}
          </button>
          {mlm && (
            <button type="button" onClick={addMask}>
              Insert {MASK}
            </button>
          )}
          <DataExamplePicker
            label="Example text from the data"
            onPick={(example) => {
              setText(example);
              setCaret(null);
              // A question from QA data comes with its own context.
              const context = qa ? exampleContext(data, example) : undefined;
              if (context !== undefined) setContext(context);
            }}
          />
          <span className="playground-hint">Ctrl+Enter predicts</span>
        </div>
      </form>
      {predicting && <ProgressBar label={BUSY_LABEL} />}
      {prediction && <PredictionView prediction={prediction} head={head} stale={prediction.text !== text || (qa && prediction.pair !== context)} />}
    </Panel>
  );
}
