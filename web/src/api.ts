// Typed calls to the genrelab server's JSON API; the types are the server's own (src/server/api.ts).
import type {
  CheckpointListing,
  ClassifiedFile,
  GenerateBody,
  GeneratedClipUrls,
  RunDetails,
  RunListing,
  ServedClip,
} from "../../src/server/api.js";

export type {
  CheckpointListing as Checkpoint,
  ClassifiedFile,
  RunClip as Clip,
  RunDetails,
  RunListing,
} from "../../src/server/api.js";
async function json<T>(res: Response): Promise<T> {
  const body = await res.json().catch(() => ({ error: `HTTP ${res.status}` }));
  if (!res.ok) throw new Error((body as { error?: string }).error ?? `HTTP ${res.status}`);
  return body as T;
}

export const getRuns = () => fetch("/api/runs").then((r) => json<RunListing[]>(r));
export const getRun = (name: string) => fetch(`/api/runs/${encodeURIComponent(name)}`).then((r) => json<RunDetails>(r));
export const getCheckpoints = () => fetch("/api/checkpoints").then((r) => json<CheckpointListing[]>(r));
export const getSeeds = (run: string, genre: string) =>
  fetch(`/api/runs/${encodeURIComponent(run)}/seeds?genre=${encodeURIComponent(genre)}`).then((r) =>
    json<{ id: string }[]>(r),
  );
export const getServed = (run: string) =>
  fetch(`/api/runs/${encodeURIComponent(run)}/served`).then((r) => json<ServedClip[]>(r));
export const fileUrl = (run: string, path: string) =>
  `/files/${encodeURIComponent(run)}/${path.split("/").map(encodeURIComponent).join("/")}`;

export function classify(run: string, checkpoint: string, file: File): Promise<ClassifiedFile> {
  const form = new FormData();
  form.append("run", run); // fields before the file: the server reads them with it
  form.append("checkpoint", checkpoint);
  form.append("file", file);
  return fetch("/api/classify", { method: "POST", body: form }).then((r) => json<ClassifiedFile>(r));
}

export function generate(body: GenerateBody) {
  return fetch("/api/generate", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  }).then((r) => json<GeneratedClipUrls>(r));
}
