// The one engine worker the page talks to. Kept outside the store's state: it is a handle, not data.
import { startEngineWorker, type EngineClient } from '../worker/client';
import type { EngineEvent } from '../worker/protocol';

let client: EngineClient | null = null;
let listener: ((event: EngineEvent) => void) | null = null;

/** The running worker, started on first use; events go to the listener set by `onEngineEvent`. */
export function engine(): EngineClient {
  if (!client) {
    client = startEngineWorker();
    client.onEvent((event) => listener?.(event));
  }
  return client;
}

export function onEngineEvent(handler: (event: EngineEvent) => void): void {
  listener = handler;
}

/** Ends the worker (e.g. to switch backends: tfjs keeps tensors on the backend that made them). */
export function restartEngine(): void {
  client?.terminate();
  client = null;
}
