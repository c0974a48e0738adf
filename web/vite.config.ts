// Builds the dashboard front end (web/) into dist/web, served by `genrelab serve`.
import { defineConfig } from "vite";

export default defineConfig({
  root: "web",
  base: "./",
  build: { outDir: "../dist/web", emptyOutDir: true },
  logLevel: "warn",
});
