// The real engine worker, driven from the harness page: e2e tests start it, send protocol commands and read
// back the events it streamed, each stamped with the time it reached the page.
import { startEngineWorker, type EngineClient } from '../../src/worker/client';
import type { CommandName, EngineCommands, EngineEvent, ModelSpec } from '../../src/worker/protocol';

export type EventOf<T extends EngineEvent['type']> = Extract<EngineEvent, { type: T }>;

/** The files a checkpoint folder needs; the fixtures' golden.* files are the reference's, not the model's. */
const MODEL_FILES = ['config.json', 'model.safetensors', 'vocab.txt', 'tokenizer_config.json'];

let client: EngineClient | null = null;
const received: { at: number; event: EngineEvent }[] = [];
const waiters = new Set<() => void>();

/** Starts a fresh engine worker (ending any earlier one) and forgets earlier events. */
export function open(): void {
  client?.terminate();
  received.length = 0;
  client = startEngineWorker();
  client.onEvent((event) => {
    received.push({ at: performance.now(), event });
    for (const wake of waiters) wake();
  });
}

export function close(): void {
  client?.terminate();
  client = null;
}

export function call<K extends CommandName>(
  command: K,
  params: EngineCommands[K]['params'],
  transfer: Transferable[] = [],
): Promise<EngineCommands[K]['result']> {
  if (!client) throw new Error('open() the engine first');
  return client.call(command, params, transfer);
}

/** A golden fixture checkpoint (tools/reference/fixtures/NAME) fetched from the dev server and loaded as a dropped folder. */
export async function loadFixture(name: string): Promise<EngineCommands['loadModel']['result']> {
  const files: Record<string, Blob> = {};
  for (const file of MODEL_FILES) {
    const response = await fetch(`/tools/reference/fixtures/${name}/${file}`);
    if (!response.ok) throw new Error(`fixture ${name}/${file}: HTTP ${response.status}`);
    files[file] = await response.blob();
  }
  const model: ModelSpec = { kind: 'local', files };
  return call('loadModel', { model });
}

/** Every event of `type` received so far, oldest first. */
export function events<T extends EngineEvent['type']>(type: T): EventOf<T>[] {
  return received.filter(({ event }) => event.type === type).map(({ event }) => event as EventOf<T>);
}

/** The page time (performance.now) at which each event of `type` arrived. */
export function arrivals(type: EngineEvent['type']): number[] {
  return received.filter(({ event }) => event.type === type).map(({ at }) => at);
}

/** The first event of `type` (already received or still to come) that `accept` takes. */
export function waitFor<T extends EngineEvent['type']>(
  type: T,
  accept: (event: EventOf<T>) => boolean = () => true,
  timeoutMs = 120_000,
): Promise<EventOf<T>> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const found = events(type).find(accept);
      if (!found) return false;
      finish();
      resolve(found);
      return true;
    };
    const timer = setTimeout(() => {
      finish();
      reject(new Error(`no matching "${type}" event within ${timeoutMs} ms (last: ${JSON.stringify(received.at(-1)?.event)})`));
    }, timeoutMs);
    const finish = () => {
      clearTimeout(timer);
      waiters.delete(check);
    };
    if (!check()) waiters.add(check);
  });
}

/** The training run's end: the `done` or `failed` state event. */
export function finished(timeoutMs?: number): Promise<EventOf<'state'>> {
  return waitFor('state', (event) => event.state === 'done' || event.state === 'failed', timeoutMs);
}

let ticker: { timer: number; last: number; maxGapMs: number; ticks: number } | null = null;

/**
 * Starts a setTimeout(0) loop on the page and records the longest gap between its ticks: if anything blocked
 * the page's main thread, the gap shows it.
 */
export function startTicker(): void {
  stopTicker();
  const state = { timer: 0, last: performance.now(), maxGapMs: 0, ticks: 0 };
  const tick = () => {
    const now = performance.now();
    state.maxGapMs = Math.max(state.maxGapMs, now - state.last);
    state.last = now;
    state.ticks += 1;
    state.timer = window.setTimeout(tick, 0);
  };
  tick();
  ticker = state;
}

export function stopTicker(): { maxGapMs: number; ticks: number } {
  if (!ticker) return { maxGapMs: 0, ticks: 0 };
  window.clearTimeout(ticker.timer);
  const { maxGapMs, ticks } = ticker;
  ticker = null;
  return { maxGapMs, ticks };
}

/**
 * save_pretrained and from_pretrained in one: the current model exported (its files, config.json,
 * tokenizer_config.json and the safetensors header's tensor shapes), predictions for `examples`, then the export
 * opened again as a dropped folder and the same predictions from it.
 */
export async function exportAndReopen(examples: { text: string; pair?: string }[]) {
  const { files } = await call('export', null);
  const json = (name: string) => JSON.parse(new TextDecoder().decode(files[name])) as Record<string, unknown>;
  const weights = files['model.safetensors'];
  const headerLength = Number(new DataView(weights.buffer, weights.byteOffset).getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(weights.subarray(8, 8 + headerLength))) as Record<string, { shape: number[] }>;
  const before = await call('predict', { examples });
  const blobs = Object.fromEntries(Object.entries(files).map(([name, bytes]) => [name, new Blob([bytes as Uint8Array<ArrayBuffer>])]));
  const reopened = await call('loadModel', { model: { kind: 'local', files: blobs } });
  const after = await call('predict', { examples });
  return {
    files: Object.keys(files),
    config: json('config.json'),
    tokenizer: json('tokenizer_config.json'),
    shapes: Object.fromEntries(Object.entries(header).filter(([name]) => name !== '__metadata__').map(([name, { shape }]) => [name, shape])),
    reopened: reopened.summary,
    before,
    after,
  };
}
