import { defineConfig } from "vite";

/**
 * The browser app: agent console and customer portal. `npm run build` writes it to dist/client,
 * which the server serves (index.html for the page routes, assets/ as static files).
 */
export default defineConfig({
  root: import.meta.dirname,
  base: "/",
  publicDir: false,
  build: {
    outDir: "../dist/client",
    emptyOutDir: true,
    // No source maps: they would hand every visitor the client's whole source (and the server
    // refuses to serve any .map anyway). Debug with the dev server, which maps on the fly.
    sourcemap: false,
  },
  server: {
    // `npx vite --config client/vite.config.ts` next to `npm start` on port 3000.
    proxy: {
      "/api": "http://localhost:3000",
      "/socket.io": { target: "ws://localhost:3000", ws: true },
    },
  },
});
