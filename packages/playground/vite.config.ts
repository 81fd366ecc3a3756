import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The playground bundles claimc from its TypeScript sources (the `@claimc/source` export condition), so it
// builds without `tsc -b` first; the demo tenant is the CLI's plain-data module, aliased rather than copied.
export default defineConfig({
  base: './',
  plugins: [
    {
      // the built page allows no connection at all; the dev server needs its hot-reload socket and inline client
      name: 'claimc-dev-csp',
      apply: 'serve',
      transformIndexHtml: (html) => html.replace(/\s*<meta http-equiv="Content-Security-Policy"[^>]*>/, ''),
    },
  ],
  resolve: {
    conditions: ['@claimc/source', 'module', 'browser', 'development|production'],
    alias: { 'claimc-demo-tenant': fileURLToPath(new URL('../cli/src/demo/tenant.ts', import.meta.url)) },
  },
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    reportCompressedSize: false,
    rollupOptions: {
      // zod's explanatory comments next to its @__PURE__ markers are harmless; Rollup only drops them
      onwarn(warning, warn) {
        if (warning.code !== 'INVALID_ANNOTATION') warn(warning);
      },
    },
  },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
});
