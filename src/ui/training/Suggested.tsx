import { useStudio } from '../../store';
import type { SuggestedKey } from '../../train/suggest';
import { formatSmall, Tooltip } from '../common';
import { isActive } from './run';

const RULE =
  'Learning rate, epochs, warmup and freezing are fitted to the loaded model and data: BERT-base gets the guide’s 3e-5 and 3–4 epochs; ' +
  'models of hidden size ≤ 512 get the higher rates of Turc et al. 2019 (1e-4–3e-4) and enough epochs for several hundred steps; ' +
  'base and larger models freeze their lower half on under 1,000 rows, smaller models train every layer.';

const show = (key: SuggestedKey, value: number | string): string =>
  typeof value === 'string' ? value : key === 'learningRate' ? formatSmall(value) : String(value);

/**
 * Says whether an argument holds the value suggested for this model (with why), or offers the suggestion
 * back once the user has set their own.
 */
export function Suggested({ arg }: { arg: SuggestedKey }) {
  const suggestion = useStudio((s) => s.suggestion);
  const chosen = useStudio((s) => s.chosen.includes(arg));
  const value = useStudio((s) => s.args[arg]);
  const restoreSuggested = useStudio((s) => s.restoreSuggested);
  const running = useStudio((s) => isActive(s.runState));
  if (!suggestion) return null;
  const suggested = suggestion.args[arg];
  const why = (
    <>
      {suggestion.why[arg]} {RULE}
    </>
  );
  if (!chosen || value === suggested) {
    return (
      <p className="training-suggested" data-testid={`suggested-${arg}`}>
        Suggested for this model
        <Tooltip text={why} label={`Why this ${arg === 'freeze' ? 'freezing' : 'value'} is suggested`} />
      </p>
    );
  }
  return (
    <p className="training-suggested changed" data-testid={`suggested-${arg}`}>
      Suggested for this model: {show(arg, suggested)}{' '}
      <button type="button" className="link-button" onClick={() => restoreSuggested(arg)} disabled={running}>
        Use it
      </button>
      <Tooltip text={why} label={`Why ${show(arg, suggested)} is suggested`} />
    </p>
  );
}
