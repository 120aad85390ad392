/**
 * The dashboard's build: `vite build --config web/vite.config.ts` writes web/dist/ (index.html and
 * hashed files under assets/), which `sitrep serve` serves at `/`. Everything the page needs is in
 * the build (the app, MapLibre and its worker, uPlot, the Natural Earth boundaries made by
 * scripts/build-web-geo.mjs): it works with no network at all.
 *
 * The server's Content-Security-Policy allows no inline script, so nothing here may emit any: Vite
 * writes the entry as `<script type="module" src>`, the module-preload polyfill is off (it would be
 * inlined), and styles live in CSS files.
 *
 * `vite --config web/vite.config.ts` serves the app for development with the API proxied to a
 * running `sitrep serve` (SITREP_API, default http://127.0.0.1:8080).
 */
import { fileURLToPath } from 'node:url';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const api = process.env['SITREP_API'] ?? 'http://127.0.0.1:8080';
const API_PATHS = ['/health', '/events', '/events.geojson', '/export.csv', '/stats', '/facets', '/articles', '/openapi.json', '/docs'];

export default defineConfig({
  root,
  base: '/',
  logLevel: 'warn',
  plugins: [preact({ devToolsEnabled: false, prefreshEnabled: false })],
  worker: { format: 'es' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    // The map library alone is about 1 MB; the page is served locally, not over a slow link.
    chunkSizeWarningLimit: 2000,
    reportCompressedSize: false,
    modulePreload: { polyfill: false },
    // Geo JSON files are fetched as URLs, never inlined as data: URIs.
    assetsInlineLimit: 0,
    sourcemap: false,
  },
  server: {
    proxy: Object.fromEntries(API_PATHS.map((p) => [p, { target: api, changeOrigin: false }])),
  },
});
