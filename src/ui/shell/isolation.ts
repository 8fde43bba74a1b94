/**
 * Cross-origin isolation where the host does not send it (tools/isolation.ts): tfjs-wasm runs threaded only in an
 * isolated page. Such a page registers `public/isolation-sw.js`, which adds the two headers to every same-origin
 * response, and reloads once under it. A browser without service workers, an insecure context (plain http to
 * another machine), or a reload that still is not isolated leaves the studio on one thread; the header badge
 * then says "1 thread".
 */

export interface IsolationState {
  isolated: boolean;
  /** Whether the browser has service workers and the page is a secure context (https or localhost). */
  canRegister: boolean;
  /** Whether this tab already reloaded once for isolation. */
  reloaded: boolean;
}

export type IsolationStep = 'none' | 'register-and-reload';

export function isolationStep({ isolated, canRegister, reloaded }: IsolationState): IsolationStep {
  return isolated || !canRegister || reloaded ? 'none' : 'register-and-reload';
}

const RELOADED_KEY = 'bert-studio:isolation-reload';
const SERVICE_WORKER = 'isolation-sw.js';

export async function isolateWithServiceWorker(): Promise<void> {
  const step = isolationStep({
    isolated: window.crossOriginIsolated,
    canRegister: 'serviceWorker' in navigator && window.isSecureContext,
    reloaded: sessionStorage.getItem(RELOADED_KEY) !== null,
  });
  if (step === 'none') return;
  try {
    await navigator.serviceWorker.register(new URL(SERVICE_WORKER, document.baseURI));
    await navigator.serviceWorker.ready;
  } catch (err) {
    console.warn('Cross-origin isolation by service worker failed; tfjs-wasm runs on one thread.', err);
    return;
  }
  sessionStorage.setItem(RELOADED_KEY, '1');
  window.location.reload();
}
