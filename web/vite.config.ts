import { defineConfig } from 'vite';

/**
 * The browser app, built into web/dist and served by the API from the same origin (no CORS).
 * Vite 8 compiles TSX itself (Oxc), with React's automatic JSX runtime; no plugin is needed for a
 * production build.
 */
export default defineConfig({
  root: __dirname,
  base: '/',
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1200,
    rollupOptions: {
      // Mantine marks its modules "use client" for React Server Components; a client bundle has no use for it.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  logLevel: 'warn',
});
