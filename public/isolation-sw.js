// For static hosts that cannot send headers: this service worker adds cross-origin isolation (COOP/COEP, as
// tools/isolation.ts sends them from the dev and preview servers) to every same-origin response, so that
// tfjs-wasm can run on every core. The page registers it only when it finds itself not isolated, and reloads
// once under it (src/ui/shell/isolation.ts). Cross-origin requests (Hub downloads) pass untouched: they are
// CORS fetches, which isolation allows as they are.
const ISOLATION = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (new URL(request.url).origin !== self.location.origin) return;
  // A request the browser makes to revalidate its cache only (no network) cannot be answered by fetch() here.
  if (request.cache === 'only-if-cached' && request.mode !== 'same-origin') return;
  event.respondWith(
    fetch(request).then((response) => {
      if (response.type === 'opaque' || response.type === 'opaqueredirect') return response;
      const headers = new Headers(response.headers);
      for (const [name, value] of Object.entries(ISOLATION)) headers.set(name, value);
      return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
    }),
  );
});
