// Pipeline stages with completion markers: a stage whose marker exists (and whose outputs check out)
// is skipped, so a run resumes where it stopped. Markers are written atomically after the outputs.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { writeJsonAtomic } from "../util/fs.js";

export interface StageMarker<T> {
  stage: string;
  seconds: number;
  finishedAt: string;
  result: T;
}

export class Stages {
  readonly timings: Record<string, number> = {};
  constructor(
    readonly dir: string,
    readonly log: (line: string) => void,
  ) {}

  #marker(name: string): string {
    return join(this.dir, `${name}.json`);
  }

  /**
   * Runs `fn` unless the stage is complete (`valid` checks its outputs are still there). The stage's
   * time counts from `since` (ms) when work for it began before `fn`.
   */
  /** Whether `run` would skip the stage: its marker is there and its outputs check out. */
  done(name: string, valid: () => boolean = () => true): boolean {
    return existsSync(this.#marker(name)) && valid();
  }

  async run<T>(name: string, fn: () => Promise<T> | T, valid: () => boolean = () => true, since?: number): Promise<T> {
    const path = this.#marker(name);
    if (this.done(name, valid)) {
      const m = JSON.parse(readFileSync(path, "utf8")) as StageMarker<T>;
      this.timings[name] = m.seconds;
      this.log(`${name}: done already (${m.seconds.toFixed(1)} s), skipped`);
      return m.result;
    }
    const t0 = since ?? Date.now();
    const result = await fn();
    const seconds = (Date.now() - t0) / 1000;
    this.timings[name] = seconds;
    const marker: StageMarker<T> = { stage: name, seconds, finishedAt: new Date().toISOString(), result };
    writeJsonAtomic(path, marker);
    return result;
  }
}
