// The study's two models: PyTorch's parameter counts and names, and outputs equal to PyTorch's
// for the same weights (test/fixtures/{generator,classifier}.safetensors).
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Adam, F, loadSafetensors, randn, saveSafetensors, tensor, tidy, type Tensor } from "../../src/torch/index.js";
import { Generator, studyGenerator } from "../../src/models/generator.js";
import { Classifier } from "../../src/models/classifier.js";
import { assertClose, get, loadFixture } from "../helpers.js";

const params = (fx: Map<string, Tensor>): Map<string, Tensor> =>
  new Map([...fx].filter(([k]) => k.startsWith("param.")).map(([k, v]) => [k.slice(6), v]));

test("the study's generator has 1,020,456 parameters under PyTorch's names", () => {
  const g = new Generator();
  assert.equal(g.numParameters(), 1_020_456);
  assert.deepEqual([...g.stateDict().keys()].sort(), [...params(loadFixture("generator.safetensors")).keys()].sort());
});

test("the study's classifier has 434,282 parameters under PyTorch's names", () => {
  const c = new Classifier();
  assert.equal(c.numParameters(), 434_282);
  assert.deepEqual([...c.stateDict().keys()].sort(), [...params(loadFixture("classifier.safetensors")).keys()].sort());
});

test("generator forward pass and one Adam step match PyTorch within 1e-4", () => {
  tidy(() => {
    const fx = loadFixture("generator.safetensors");
    const g = new Generator();
    g.loadStateDict(params(fx));
    const y = g.forward(get(fx, "x"));
    assertClose(y, get(fx, "y"), "generator output", 1e-4, 1e-4);
    const opt = new Adam(g.parameters(), { lr: 1e-3 });
    const loss = F.mseLoss(y, get(fx, "target"));
    assertClose(loss, get(fx, "loss"), "loss", 1e-6, 1e-4);
    loss.backward();
    opt.step();
    assertClose(g.forward(get(fx, "x")), get(fx, "y_after_step"), "output after one step", 1e-4, 1e-4);
  });
});

test("classifier matches PyTorch in eval mode, in training mode (batch statistics) and after one Adam step", () => {
  tidy(() => {
    const fx = loadFixture("classifier.safetensors");
    const c = new Classifier({ inputShape: [128, 128], channels: [16, 32, 64, 128, 256], numClasses: 10, dropout: 0, head: "flatten" });
    c.loadStateDict(params(fx));
    c.eval();
    assertClose(c.forward(get(fx, "x")), get(fx, "y_eval"), "eval output", 1e-4, 1e-4);
    c.train();
    const y = c.forward(get(fx, "x"));
    assertClose(y, get(fx, "y_train"), "train output", 1e-4, 1e-4);
    const opt = new Adam(c.parameters(), { lr: 1e-4 });
    const loss = F.crossEntropy(y, get(fx, "labels"));
    assertClose(loss, get(fx, "loss"), "loss", 1e-6, 1e-4);
    loss.backward();
    opt.step();
    c.eval();
    assertClose(c.forward(get(fx, "x")), get(fx, "y_eval_after_step"), "eval output after one step", 1e-4, 1e-4);
  });
});

test("eval mode runs channels-last and equals the row-major path; training stays row-major; weights save and train on", () => {
  tidy(() => {
    const config = { inputShape: [128, 96] as const, channels: [16, 32, 64, 128, 256], numClasses: 10, dropout: 0, head: "flatten" as const };
    const fast = new Classifier(config);
    const plain = new Classifier(config);
    plain.evalFormat = "contiguous";
    plain.loadStateDict(fast.stateDict());
    const x = randn([4, 1, 128, 96]);
    const labels = tensor([0, 3, 9, 3], [4], "int64");
    const first = (m: Classifier): Tensor => (m.blocks.children()[0] as unknown as { conv: { forward(x: Tensor): Tensor } }).conv.forward(x);
    const opts = [fast, plain].map((m) => new Adam(m.parameters(), { lr: 1e-3 }));
    for (let step = 0; step < 2; step++) {
      [fast, plain].forEach((m, i) => {
        m.train();
        assert.ok(first(m).isContiguous(), "training runs row-major");
        opts[i].zeroGrad();
        F.crossEntropy(m.forward(x), labels).backward();
        opts[i].step();
        m.eval();
      });
      assert.ok(first(fast).isContiguous("channelsLast") && !first(fast).isContiguous(), "eval runs channels-last, even the one-channel first layer");
      assertClose(fast.forward(x), plain.forward(x), `eval output after step ${step + 1}`, 1e-5, 1e-4);
    }
    const file = join(mkdtempSync(join(tmpdir(), "genrelab-cl-")), "c.safetensors");
    saveSafetensors(file, fast.stateDict());
    for (const [name, t] of loadSafetensors(file).tensors) assertClose(t, plain.stateDict().get(name)!, `saved ${name}`, 1e-6, 1e-4);
  });
});

test("models reject inputs of the wrong shape with a clear message", () => {
  tidy(() => {
    assert.throws(() => new Generator().forward(F.relu(get(loadFixture("generator.safetensors"), "target"))), /expected input \[batch, 9000\], got \[2,1000\]/);
    assert.throws(() => new Classifier({ inputShape: [16, 16], channels: [8, 8, 8, 8, 8], numClasses: 10, dropout: 0, head: "flatten" }), /too small for 5 pooling layers/);
  });
});

test("the generator's one-step reverse direction equals the full bidirectional layer (GRU and LSTM), values and gradients", () => {
  for (const cell of ["gru", "lstm"] as const) {
    tidy(() => {
      const g = new Generator({ ...studyGenerator, cell, convChannels: 8, hiddenSize: 16 });
      const x = randn([3, 9000]).mul(0.1);
      const fast = g.forward(x);
      const frames = g.conv.forward(x.unsqueeze(1)).relu().transpose(1, 2);
      const full = g.fc.forward(g.rnn.forward(frames)[0].select(1, frames.shape[1] - 1));
      assertClose(fast, full, `${cell} output`, 1e-6, 1e-5);
      const weights = g.rnn.parameters();
      fast.sum().backward();
      const fastGrads = weights.map((w) => w.grad!.clone());
      g.zeroGrad();
      full.sum().backward();
      weights.forEach((w, i) => assertClose(fastGrads[i], w.grad!, `${cell} gradient ${i}`, 1e-6, 1e-4));
    });
  }
});
