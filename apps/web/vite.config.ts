import { fileURLToPath } from 'node:url';
import { defineConfig, type ProxyOptions } from 'vite';
import react from '@vitejs/plugin-react';

// Web app for Taza Map. Run from the repository root:
//   npx vite --config apps/web/vite.config.ts          (dev server, proxies the API)
//   npx vite build --config apps/web/vite.config.ts    (-> dist/web)

const webRoot = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const outDir = fileURLToPath(new URL('../../dist/web', import.meta.url));

const API_ORIGIN = 'http://localhost:3000';

// Same-origin paths served by the Nest/Fastify server.
const proxiedPaths = ['/api', '/tiles', '/ogc', '/open311'];
const proxy: Record<string, ProxyOptions> = Object.fromEntries(
  proxiedPaths.map((path) => [
    path,
    // Keep the browser's Host header (changeOrigin: false) and add X-Forwarded-*,
    // so links the server generates (OGC API, Open311) point back through the proxy.
    { target: API_ORIGIN, changeOrigin: false, xfwd: true },
  ]),
);

export default defineConfig({
  root: webRoot,
  base: '/',
  plugins: [react()],
  server: {
    port: 5173,
    proxy,
    // node_modules lives at the repo root, outside `root`; the MapLibre worker is served from there in dev.
    fs: { allow: [repoRoot] },
  },
  preview: {
    port: 4173,
    proxy,
  },
  build: {
    outDir,
    emptyOutDir: true,
    sourcemap: false,
    // MapLibre alone is ~1 MB minified; it gets its own long-cacheable chunk.
    chunkSizeWarningLimit: 1100,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            { name: 'maplibre', test: /[\\/]node_modules[\\/](maplibre-gl|@maplibre|@mapbox)[\\/]/, priority: 20 },
            { name: 'react', test: /[\\/]node_modules[\\/](react|react-dom|scheduler)[\\/]/, priority: 10 },
          ],
        },
        // The MapLibre worker is an ES module emitted as an asset (see src/map/maplibre.ts).
        // Give it a .js extension so any static server sends a JavaScript MIME type
        // (module workers are refused with a wrong MIME type; some servers don't know .mjs).
        assetFileNames: (asset) =>
          asset.names.some((n) => n.endsWith('.mjs'))
            ? 'assets/[name]-[hash].js'
            : 'assets/[name]-[hash][extname]',
      },
    },
  },
});
