import { EngineError, type CommandName, type EngineCommands, type EngineEvent, type Request, type WorkerMessage } from './protocol';

/** The part of `Worker` the client needs, so tests can pass a fake. */
export interface WorkerLike {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<WorkerMessage>) => void): void;
  addEventListener(type: 'error', listener: (event: ErrorEvent) => void): void;
  terminate(): void;
}

export type EventListener = (event: EngineEvent) => void;

/** Typed request/reply calls to the engine worker, plus a stream of its events. */
export class EngineClient {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private readonly listeners = new Set<EventListener>();

  constructor(private readonly worker: WorkerLike) {
    worker.addEventListener('message', (event: MessageEvent<WorkerMessage>) => this.receive(event.data));
    worker.addEventListener('error', (event: ErrorEvent) => {
      const error = new Error(`The engine worker crashed: ${event.message}`);
      for (const { reject } of this.pending.values()) reject(error);
      this.pending.clear();
      this.emit({ type: 'crashed', message: error.message });
    });
  }

  call<K extends CommandName>(
    command: K,
    params: EngineCommands[K]['params'],
    transfer: Transferable[] = [],
  ): Promise<EngineCommands[K]['result']> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.worker.postMessage({ id, command, params } as Request, transfer);
    });
  }

  onEvent(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  terminate(): void {
    this.worker.terminate();
    for (const { reject } of this.pending.values()) reject(new Error('The engine worker was terminated.'));
    this.pending.clear();
  }

  private receive(message: WorkerMessage): void {
    if (message.kind === 'event') {
      this.emit(message.event);
      return;
    }
    const pending = this.pending.get(message.id);
    if (!pending) return;
    this.pending.delete(message.id);
    if (message.ok) pending.resolve(message.result);
    else pending.reject(new EngineError(message.error));
  }

  private emit(event: EngineEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}

/** Starts the engine worker (a module worker bundled by Vite). */
export function startEngineWorker(): EngineClient {
  const worker = new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module', name: 'bert-studio-engine' });
  return new EngineClient(worker);
}
