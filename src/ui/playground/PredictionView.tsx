import type { Prediction } from '../../worker/protocol';
import { formatPercent } from '../common';
import { answerSegments, fillMasks, highlightSegments, rankedProbabilities, regressionValue, type HeadInfo } from './playground';
import { ScoreBars } from './ScoreBars';

/** Classes beyond this many are summarised in a line, not drawn. */
const MAX_CLASSES_SHOWN = 10;

export interface PredictionViewProps {
  prediction: Prediction;
  head: HeadInfo;
  /** The text box no longer holds the text this prediction is for. */
  stale: boolean;
}

/** One prediction: class probabilities, a regression value, fill-mask candidates for each [MASK], entities or an answer. */
export function PredictionView({ prediction, head, stale }: PredictionViewProps) {
  const classes = rankedProbabilities(prediction, head.labels);
  const value = regressionValue(prediction);
  const masks = prediction.fillMask ?? [];
  const entities = prediction.entities;
  const { answer } = prediction;
  const nothing = classes.length === 0 && value === undefined && masks.length === 0 && entities === undefined && answer === undefined;

  return (
    <section className="playground-result" aria-label="Prediction">
      {stale && <p className="playground-note">Result for an earlier text: “{prediction.text}”. Press Predict to update it.</p>}
      {classes.length > 0 && (
        <div className="playground-block">
          <h3 className="playground-block-title">
            Predicted class: <strong>{classes[0].label}</strong>
          </h3>
          <ScoreBars
            label="Class probabilities"
            bars={classes.slice(0, MAX_CLASSES_SHOWN).map((c) => ({ label: c.label, value: c.probability, top: c.top }))}
          />
          {classes.length > MAX_CLASSES_SHOWN && (
            <p className="playground-note">and {classes.length - MAX_CLASSES_SHOWN} less likely classes</p>
          )}
        </div>
      )}
      {value !== undefined && (
        <p className="playground-block playground-value">
          Predicted value: <output>{value.toPrecision(4)}</output>
        </p>
      )}
      {entities && (
        <div className="playground-block">
          <h3 className="playground-block-title">{entities.length === 0 ? 'No entities found' : `Entities: ${entities.length}`}</h3>
          <p className="playground-filled" aria-label="Text with predicted entities">
            {highlightSegments(prediction.text, entities).map((segment, i) =>
              segment.label === undefined ? (
                segment.text
              ) : (
                <mark key={i} className="playground-entity" data-entity={segment.label} title={segment.label}>
                  {segment.text}
                  <span className="playground-entity-label">{segment.label}</span>
                </mark>
              ),
            )}
          </p>
        </div>
      )}
      {answer !== undefined && (
        <div className="playground-block">
          <h3 className="playground-block-title">
            {answer === null ? (
              'No answer in the context'
            ) : (
              <>
                Answer: <strong>{answer.text}</strong> <span className="playground-muted">({formatPercent(answer.score)})</span>
              </>
            )}
          </h3>
          <p className="playground-filled" aria-label="Context with the predicted answer">
            {answerSegments(prediction.pair ?? '', answer).map((segment, i) =>
              segment.label === undefined ? (
                segment.text
              ) : (
                <mark key={i} className="playground-entity" title={answer ? `probability ${formatPercent(answer.score)}` : undefined}>
                  {segment.text}
                </mark>
              ),
            )}
          </p>
        </div>
      )}
      {masks.length > 0 && (
        <div className="playground-block">
          <h3 className="playground-block-title">Filled in</h3>
          <p className="playground-filled">{fillMasks(prediction.text, masks)}</p>
          <div className="playground-masks">
            {masks.map((mask, m) => (
              <div key={mask.position} className="playground-mask">
                <h4 className="playground-mask-title">
                  Mask {m + 1} <span className="playground-muted">(token {mask.position})</span>
                </h4>
                <ScoreBars
                  label={`Candidates for mask ${m + 1}`}
                  mono
                  bars={mask.candidates.map((c, i) => ({ label: c.token, value: c.score, top: i === 0 }))}
                />
              </div>
            ))}
          </div>
        </div>
      )}
      {nothing && (
        <p className="playground-note">
          {head.kind === 'mlm'
            ? 'No [MASK] in the text, so the masked-LM head had nothing to predict: put [MASK] where a word should go.'
            : 'The model has no task head yet, so there is nothing to predict: train it for a task first.'}
        </p>
      )}
    </section>
  );
}
