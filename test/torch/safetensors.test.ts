// Safetensors checkpoints: round trip, atomic writes, and loading in PyTorch when it is installed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadSafetensors, nn, randn, saveSafetensors, tensor, tidy, toArray } from "../../src/torch/index.js";
import { assertClose } from "../helpers.js";

test("every dtype and the metadata survive a round trip", () => {
  tidy(() => {
    const dir = mkdtempSync(join(tmpdir(), "genrelab-st-"));
    const path = join(dir, "all.safetensors");
    const tensors = new Map([
      ["f32", randn([3, 4])],
      ["f64", randn([2], "float64")],
      ["i64", tensor([1, -2, 3], [3], "int64")],
      ["i32", tensor(new Int32Array([5, 6]))],
      ["flag", tensor(new Uint8Array([1, 0]), [2], "bool")],
      ["empty", randn([0, 3])],
      ["scalar", randn([])],
    ]);
    saveSafetensors(path, tensors, { format: "pt", note: "hello" });
    const back = loadSafetensors(path);
    assert.deepEqual(back.metadata, { format: "pt", note: "hello" });
    assert.deepEqual([...back.tensors.keys()].sort(), [...tensors.keys()].sort());
    for (const [k, t] of tensors) {
      const u = back.tensors.get(k)!;
      assert.equal(u.dtype, t.dtype, k);
      assert.deepEqual(u.shape, t.shape, k);
      assert.deepEqual(toArray(u), toArray(t), k);
    }
    assert.deepEqual(readdirSync(dir), ["all.safetensors"], "no temporary file is left behind");
  });
});

test("a module's state dict round-trips through a checkpoint", () => {
  tidy(() => {
    const path = join(mkdtempSync(join(tmpdir(), "genrelab-st-")), "m.safetensors");
    const a = new nn.Sequential(new nn.Linear(4, 3), new nn.BatchNorm1d(3));
    saveSafetensors(path, a.stateDict());
    const b = new nn.Sequential(new nn.Linear(4, 3), new nn.BatchNorm1d(3));
    b.loadStateDict(loadSafetensors(path).tensors);
    for (const [k, t] of a.stateDict()) assertClose(b.stateDict().get(k)!, t, k, 0, 0);
    assert.throws(
      () => new nn.Linear(4, 2).loadStateDict(loadSafetensors(path).tensors),
      /missing weight, bias; unexpected .*0\.weight/,
    );
  });
});

const python = "/usr/bin/python3";
const hasTorch = spawnSync(python, ["-c", "import torch"], { stdio: "ignore" }).status === 0;

test("PyTorch loads genrelab's checkpoints with names and values intact", {
  skip: hasTorch ? false : "needs Debian's python3-torch (dev only)",
}, () => {
  tidy(() => {
    const path = join(mkdtempSync(join(tmpdir(), "genrelab-st-")), "gru.safetensors");
    const gru = new nn.GRU(3, 4, { bidirectional: true, batchFirst: true });
    saveSafetensors(path, gru.stateDict());
    // A safetensors reader in a few lines of Python (Debian has no python3-safetensors).
    const script = `
import json, struct, sys, torch
raw = open(sys.argv[1], "rb").read()
n = struct.unpack("<Q", raw[:8])[0]
header = json.loads(raw[8:8 + n])
def tensor(v):
    start, end = v["data_offsets"]
    return torch.frombuffer(bytearray(raw[8 + n + start:8 + n + end]), dtype=torch.float32).reshape(v["shape"])
state = {k: tensor(v) for k, v in header.items() if k != "__metadata__"}
gru = torch.nn.GRU(3, 4, bidirectional=True, batch_first=True)
gru.load_state_dict(state)
x = torch.ones(1, 2, 3)
print(json.dumps(gru(x)[0].flatten().tolist()))`;
    const r = spawnSync(python, ["-c", script, path], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    const expected = JSON.parse(r.stdout) as number[];
    const [out] = gru.forward(randn([1, 2, 3]).mul(0).add(1));
    assertClose(out.flatten(), tensor(expected), "PyTorch output on genrelab weights");
  });
});
