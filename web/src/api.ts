// Typed calls to the genrelab server's JSON API.
export interface RunListing { name: string; data: string | null; date: string; status: string; testAccuracy: number | null; fidelity: number | null }
export interface Clip { name: string; genre: string; wav: string; seed: string; real: string | null; predicted: string | null }
export interface RunDetails extends RunListing {
  metrics: Record<string, Record<string, number>[]>;
  confusion: Record<string, number[][]>;
  clips: Clip[];
  figures: string[];
  report: string | null;
}
export interface Checkpoint { kind: "classifier" | "generator"; run: string; path: string; genre: string | null }
export interface Classification {
  genre: string; probability: number; seconds: number;
  probabilities: { genre: string; probability: number }[];
  windows: { startSeconds: number; genre: string; probability: number }[];
}

async function json<T>(res: Response): Promise<T> {
  const body = await res.json().catch(() => ({ error: `HTTP ${res.status}` }));
  if (!res.ok) throw new Error((body as { error?: string }).error ?? `HTTP ${res.status}`);
  return body as T;
}

export const getRuns = () => fetch("/api/runs").then((r) => json<RunListing[]>(r));
export const getRun = (name: string) => fetch(`/api/runs/${encodeURIComponent(name)}`).then((r) => json<RunDetails>(r));
export const getCheckpoints = () => fetch("/api/checkpoints").then((r) => json<Checkpoint[]>(r));
export const getGenres = () => fetch("/api/genres").then((r) => json<string[]>(r));
export const fileUrl = (run: string, path: string) => `/files/${encodeURIComponent(run)}/${path.split("/").map(encodeURIComponent).join("/")}`;

export function classify(run: string, checkpoint: string, file: File): Promise<Classification> {
  const form = new FormData();
  form.append("run", run); // fields before the file: the server reads them with it
  form.append("checkpoint", checkpoint);
  form.append("file", file);
  return fetch("/api/classify", { method: "POST", body: form }).then((r) => json<Classification>(r));
}

export function generate(body: { run: string; checkpoint: string; genre: string; seconds: number; temperature?: number; seed: number }) {
  return fetch("/api/generate", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) })
    .then((r) => json<{ genre: string; wav: string; seed: string; real: string | null; seedFile: string; seedOffsetSeconds: number }>(r));
}
