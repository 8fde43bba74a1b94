/// <reference lib="webworker" />
// Unzips off the page's main thread: a model zip holds up to gigabytes to inflate.
import { answerUnzip, type UnzipRequest } from './zip';

const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.addEventListener('message', (event: MessageEvent<UnzipRequest>) => {
  void answerUnzip(event.data, (reply) => scope.postMessage(reply));
});
