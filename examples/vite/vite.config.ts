import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// Two pages, each an entry of the build: the app, and the popup's callback page (its redirectUri).
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  build: {
    // Vite 8's name; Vite 7 and before call it rollupOptions.
    rolldownOptions: {
      input: {
        main: fileURLToPath(new URL('index.html', import.meta.url)),
        callback: fileURLToPath(new URL('callback.html', import.meta.url)),
      },
    },
  },
});
