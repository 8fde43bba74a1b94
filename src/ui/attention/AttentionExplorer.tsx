import { useCallback, useId, useMemo, useRef, useState } from 'react';
import { useStudio } from '../../store';
import type { AttentionMap } from '../../worker/protocol';
import { Tooltip } from '../common';
import { clampChoice, describeChoice, type HeadChoice } from './attentionMath';
import { compareNote, headViewMatrices, heatmapView, modelGrid, prepareAttention, type PreparedAttention, type WeightsView } from './attentionView';
import { AttentionHeatmap } from './AttentionHeatmap';
import type { GridCell } from './gridNavigation';
import { HeadView } from './HeadView';
import { fitCell, labelWidth, mapWidth, zoomedCell } from './cellSize';
import { HeatmapZoom } from './HeatmapZoom';
import { ModelView } from './ModelView';
import { usePalette } from './usePalette';
import { useWidth } from './useWidth';

const WEIGHTS_OPTIONS: { value: WeightsView; label: string; hint: string }[] = [
  { value: 'current', label: 'Current weights', hint: 'the model as trained so far' },
  { value: 'pretrained', label: 'Pretrained weights', hint: 'the checkpoint before fine-tuning' },
  { value: 'compare', label: 'Compare side by side', hint: 'both, and current − pretrained' },
];

const ROLLOUT_HELP =
  'Mean: the average of the layer’s heads. Rollout (Abnar & Zuidema, 2020): each layer’s mean attention plus ' +
  'the residual connection, 0.5·A + 0.5·I with rows renormalised, multiplied from layer 0 up to this layer — ' +
  'how much each input token flows into each position.';

const HIDE_HELP =
  'Hides the [CLS], [SEP] and [PAD] rows and columns and renormalises each remaining row to sum to 1, so the ' +
  'weights show how attention splits among the words. Rollout is computed over all tokens first.';

/** The compared heatmaps' gap (var(--gap) in the theme), and the narrowest each gets before they stack. */
const HEATMAP_GAP = 12;
const MIN_COMPARED_WIDTH = 240;
/**
 * Past this many tokens a heatmap beside both the model and the head view would have cells too small to label
 * every token: the head view moves below, giving the heatmap the width it took.
 */
const LONG_INPUT = 32;

/** The attention views of one sentence under the current and pretrained weights. */
export function AttentionExplorer({ maps }: { maps: { current: AttentionMap; pretrained: AttentionMap } }) {
  const prepared = useMemo((): PreparedAttention | Error => {
    try {
      return prepareAttention(maps);
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error));
    }
  }, [maps]);
  if (prepared instanceof Error) {
    return (
      <p className="attention-error" role="alert">
        Cannot show this attention: {prepared.message}
      </p>
    );
  }
  return <Views prepared={prepared} />;
}

function Views({ prepared }: { prepared: PreparedAttention }) {
  const palette = usePalette();
  const [picked, setPicked] = useState<HeadChoice>({ kind: 'head', layer: 0, head: 0 });
  const [weightsView, setWeightsView] = useState<WeightsView>('current');
  const [hideSpecial, setHideSpecial] = useState(false);
  const [allHeads, setAllHeads] = useState(false);
  const [cursor, setCursor] = useState<GridCell | null>(null);
  // The cell size asked for with the zoom buttons; 0 fits the maps to the width they are given.
  const [zoom, setZoom] = useState(0);
  const heatmaps = useRef<HTMLDivElement>(null);
  const width = useWidth(heatmaps);
  const modelViewTitle = useId();
  const headViewTitle = useId();

  const { dims } = prepared;
  const choice = useMemo(() => clampChoice(picked, dims), [picked, dims]);
  const weights = weightsView === 'pretrained' ? 'pretrained' : 'current';
  const compare = weightsView === 'compare';
  const choose = useCallback((next: HeadChoice) => setPicked(next), []);

  const grid = useMemo(() => modelGrid(prepared, weights, hideSpecial), [prepared, weights, hideSpecial]);
  const view = useMemo(() => heatmapView(prepared, choice, hideSpecial), [prepared, choice, hideSpecial]);
  const frozen = useStudio((s) => s.steps.at(-1)?.frozen);
  const fineTuned = useStudio((s) => (s.model?.lineage.length ?? 0) > 0);
  const frozenLayers = useMemo(
    () => (frozen ? new Set(frozen.filter((id) => id.startsWith('layer.')).map((id) => Number(id.slice('layer.'.length)))) : null),
    [frozen],
  );
  const note = useMemo(
    () => (compare ? compareNote(prepared, choice.layer, frozenLayers, fineTuned) : null),
    [compare, prepared, choice.layer, frozenLayers, fineTuned],
  );
  const headMatrices = useMemo(
    () => headViewMatrices(prepared, weights, choice, allHeads, hideSpecial),
    [prepared, weights, choice, allHeads, hideSpecial],
  );
  const headNames = useMemo(
    () => (allHeads ? Array.from({ length: dims.heads }, (_, h) => `Head ${h}`) : [describeChoice(choice)]),
    [allHeads, dims.heads, choice],
  );

  const n = view.tokens.length;
  const labels = useMemo(() => labelWidth(view.tokens), [view.tokens]);
  const fit = fitCell(n, mapWidth(width, compare ? 3 : 1, HEATMAP_GAP, MIN_COMPARED_WIDTH), labels);
  const cell = zoomedCell(fit, zoom);
  const title = describeChoice(choice);
  const sequential = { kind: 'sequential', max: view.max } as const;
  const common = { tokens: view.tokens, palette, cell, labels, cursor, onCursor: setCursor };
  const layout = compare ? ' compare' : n > LONG_INPUT ? ' long' : '';

  return (
    <div className="attention-explorer">
      <div className="attention-toolbar">
        <fieldset className="attention-segmented">
          <legend className="visually-hidden">Weights</legend>
          {WEIGHTS_OPTIONS.map((option) => (
            <label key={option.value} title={option.hint} className={weightsView === option.value ? 'checked' : undefined}>
              <input
                type="radio"
                name="attention-weights"
                value={option.value}
                checked={weightsView === option.value}
                onChange={() => setWeightsView(option.value)}
              />
              {option.label}
            </label>
          ))}
        </fieldset>
        <span className="attention-toggle">
          <label>
            <input type="checkbox" checked={hideSpecial} onChange={(event) => setHideSpecial(event.target.checked)} />
            Hide [CLS], [SEP], [PAD]
          </label>
          <Tooltip text={HIDE_HELP} label="About hiding special tokens" />
        </span>
        <span className="attention-dims">
          {dims.tokens} tokens · {dims.layers} layers × {dims.heads} heads
        </span>
      </div>

      <div className={`attention-views${layout}`}>
        <section className="attention-view attention-view-model" aria-labelledby={modelViewTitle}>
          <h3 id={modelViewTitle} className="attention-view-title">
            Model view{weights === 'pretrained' ? ' (pretrained)' : ''}
            <Tooltip text={ROLLOUT_HELP} label="About mean and rollout" />
          </h3>
          <ModelView grid={grid} heads={dims.heads} choice={choice} onChoose={choose} palette={palette} />
        </section>

        <section className="attention-view attention-view-main" aria-label="Selected head">
          <div className="attention-view-bar">
            <h3 className="attention-view-title">{title}</h3>
            <HeatmapZoom cell={cell} fit={fit} onZoom={setZoom} />
          </div>
          {compare && note && <p className="attention-note">{note}</p>}
          <div className="attention-heatmaps" ref={heatmaps}>
            {compare ? (
              <>
                <AttentionHeatmap {...common} label="Attention heatmap" caption="Current" matrix={view.current} scale={sequential} />
                <AttentionHeatmap {...common} label="Pretrained attention heatmap" caption="Pretrained" matrix={view.pretrained} scale={sequential} />
                <AttentionHeatmap
                  {...common}
                  label="Attention difference heatmap"
                  caption="Current − pretrained"
                  matrix={view.difference}
                  scale={{ kind: 'diverging', max: view.maxDifference }}
                />
              </>
            ) : (
              <AttentionHeatmap
                {...common}
                label="Attention heatmap"
                caption={weights === 'pretrained' ? 'Pretrained weights' : 'Current weights'}
                matrix={weights === 'pretrained' ? view.pretrained : view.current}
                scale={sequential}
              />
            )}
          </div>
        </section>

        <section className="attention-view attention-view-head" aria-labelledby={headViewTitle}>
          <h3 id={headViewTitle} className="attention-view-title">
            Head view
          </h3>
          <label className="attention-toggle">
            <input type="checkbox" checked={allHeads} onChange={(event) => setAllHeads(event.target.checked)} />
            All heads of layer {choice.layer}
          </label>
          <HeadView tokens={view.tokens} matrices={headMatrices} names={headNames} />
        </section>
      </div>
    </div>
  );
}
