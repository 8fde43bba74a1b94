/**
 * Cross-origin isolation: with these two headers on the page and its workers the browser grants
 * SharedArrayBuffer, which tfjs-wasm needs to run on more than one thread (without them it computes on one core).
 * `require-corp` lets cross-origin resources load only through CORS or with their own consent; the studio's only
 * cross-origin requests are its Hub downloads, which are CORS fetches the Hub answers. Sent by the dev and
 * preview servers; static hosts that cannot send headers get them from `public/isolation-sw.js` (README).
 */
export const CROSS_ORIGIN_ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
} as const;
