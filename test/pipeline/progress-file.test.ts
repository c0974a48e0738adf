// The progress file a running run writes for the dashboard.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ProgressFile } from "../../src/pipeline/progress-file.js";

test(
  "progress file: a new stage is written at once, steps at most once per interval, with an ETA; cleared at the " +
    "end",
  async () => {
    const path = join(mkdtempSync(join(tmpdir(), "genrelab-progress-")), "stages", "progress.json");
    const file = new ProgressFile(path, 200);
    const read = () => JSON.parse(readFileSync(path, "utf8"));
    file.update("classifier", 0, 100);
    assert.equal(read().stage, "classifier");
    assert.equal(read().etaSeconds, null, "no rate yet");
    file.update("classifier", 1, 100, "loss 2.3");
    assert.equal(read().done, 0, "throttled within the interval");
    await new Promise((ok) => setTimeout(ok, 250));
    file.update("classifier", 10, 100, "loss 2.1");
    const row = read();
    assert.deepEqual([row.done, row.total, row.note], [10, 100, "loss 2.1"]);
    // 10 steps in ~0.25 s: the remaining 90 take ~2.3 s.
    assert.ok(row.etaSeconds > 1 && row.etaSeconds < 4, `eta ${row.etaSeconds}`);
    file.update("generator all", 0, 50);
    assert.equal(read().stage, "generator all", "a new stage is not throttled");
    file.clear();
    assert.equal(existsSync(path), false);
  },
);
