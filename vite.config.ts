// Builds the dashboard front end (web/) into dist/web, served by `genrelab serve`.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

export default defineConfig({
  root: fileURLToPath(new URL("./web", import.meta.url)),
  base: "./",
  // vega (the charts, ~800 kB) is its own chunk, loaded by the pages that draw charts.
  build: {
    outDir: fileURLToPath(new URL("./dist/web", import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1000,
  },
  logLevel: "warn",
});
