// The study's two models: PyTorch's parameter counts and names, and outputs equal to PyTorch's
// for the same weights (test/fixtures/{generator,classifier}.safetensors).
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  Adam,
  F,
  loadSafetensors,
  manualSeed,
  noGrad,
  ones,
  randn,
  saveSafetensors,
  tensor,
  tidy,
  zeros,
  type Tensor,
} from "../../src/torch/index.js";
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
    const c = new Classifier({
      inputShape: [128, 128],
      channels: [16, 32, 64, 128, 256],
      numClasses: 10,
      dropout: 0,
      head: "flatten",
    });
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

test(
  "the channels-last classifier (the default) equals the row-major one: outputs, gradients, statistics, Adam " +
    "steps",
  () => {
    tidy(() => {
      // Max pooling routes a gradient to one input of each window: where two are equal to float
      // precision, two float32 paths may pick differently (as PyTorch may across thread counts).
      // Fixed weights and a small input keep such near-ties out of this comparison.
      manualSeed(7);
      const config = {
        inputShape: [64, 64] as const,
        channels: [16, 32, 64, 128, 256],
        numClasses: 10,
        dropout: 0,
        head: "flatten" as const,
      };
      const fast = new Classifier(config);
      const plain = new Classifier(config).toMemoryFormat("contiguous");
      plain.loadStateDict(fast.stateDict());
      const file = join(mkdtempSync(join(tmpdir(), "genrelab-cl-")), "c.safetensors");
      saveSafetensors(file, fast.stateDict());
      for (const [name, t] of loadSafetensors(file).tensors)
        assertClose(t, plain.stateDict().get(name)!, `saved ${name}`, 0, 0);
      const x = randn([4, 1, 64, 64]).mul(3).add(1);
      const labels = tensor([0, 3, 9, 1], [4], "int64");
      const first = (m: Classifier): Tensor =>
        (m.blocks.children()[0] as unknown as { conv: { forward(x: Tensor): Tensor } }).conv.forward(x);
      assert.ok(
        first(fast).isContiguous("channelsLast") && !first(fast).isContiguous(),
        "even the one-channel first layer runs channels-last",
      );
      assert.ok(first(plain).isContiguous());
      const opts = [fast, plain].map((m) => new Adam(m.parameters(), { lr: 1e-3 }));
      for (let step = 1; step <= 2; step++) {
        const [a, b] = [fast, plain].map((m, i) => {
          m.train();
          opts[i]!.zeroGrad();
          const y = m.forward(x);
          F.crossEntropy(y, labels).backward();
          return y;
        }) as [Tensor, Tensor];
        assertClose(a, b, `training output, step ${step}`, 1e-5, 1e-4);
        const pg = plain.namedParameters();
        fast
          .namedParameters()
          .forEach(([name, p], i) =>
            assertClose(p.grad!, pg[i]![1].grad!, `gradient of ${name}, step ${step}`, 1e-5, 1e-4),
          );
        const pb = plain.namedBuffers();
        fast.namedBuffers().forEach(([name, t], i) => assertClose(t, pb[i]![1], `${name}, step ${step}`, 1e-6, 1e-4));
        opts.forEach((o) => o.step());
        if (step === 1) {
          // Adam's first step is ±lr·sign(gradient): where a gradient is float noise around 0 (a conv
          // bias before batch norm, dead units) any two paths step differently, so compare where it
          // is not, then share the weights again so that step 2 compares the paths, not that noise.
          fast.namedParameters().forEach(([name, p], i) => {
            const [q, g] = [pg[i]![1], pg[i]![1].grad!];
            const sure = g.abs().gt(1e-5).to("float32");
            assertClose(p.mul(sure), q.mul(sure), `${name} after an Adam step`, 1e-6, 1e-4);
          });
          plain.loadStateDict(fast.stateDict());
          [fast, plain].forEach((m) => m.eval());
          assertClose(fast.forward(x), plain.forward(x), "eval output", 1e-5, 1e-4);
        }
      }
    });
  },
);

test("channels-last batch norm in training mode is as exact as the row-major kernel (against float64)", () => {
  tidy(() => {
    // The size of a real first-layer batch: 32 × 128 × 196 values per channel, where summing in float
    // one row after another (libtorch 1.13's NHWC kernel) is off by ~1e-3.
    const x = randn([32, 4, 128, 196]).mul(2).add(0.5);
    const g = randn([32, 4, 128, 196]);
    const run = (input: Tensor, dtype: "float32" | "float64") => {
      const xx = input.to(dtype).detach();
      xx.requiresGrad = true;
      const [w, b] = [tensor([0.5, 1.5, -1, 2], [4]).to(dtype), tensor([0, 1, -0.3, 2], [4]).to(dtype)];
      w.requiresGrad = true;
      b.requiresGrad = true;
      const [rm, rv] = [zeros([4], dtype), ones([4], dtype)];
      const y = F.batchNorm(xx, { weight: w, bias: b, runningMean: rm, runningVar: rv, training: true, momentum: 0.2 });
      y.backward(g.to(dtype).contiguous(input.isContiguous() ? "contiguous" : "channelsLast"));
      return { y, gx: xx.grad!, gw: w.grad!, gb: b.grad!, rm, rv };
    };
    const exact = run(x, "float64");
    const nhwc = run(x.contiguous("channelsLast"), "float32");
    assert.ok(nhwc.y.isContiguous("channelsLast") && !nhwc.y.isContiguous() && nhwc.gx.isContiguous("channelsLast"));
    for (const k of ["y", "gx", "rm", "rv"] as const) assertClose(nhwc[k].to("float64"), exact[k], k, 1e-5, 1e-5);
    for (const k of ["gw", "gb"] as const) assertClose(nhwc[k].to("float64"), exact[k], k, 1e-3, 1e-6);
  });
});

test("models reject inputs of the wrong shape with a clear message", () => {
  tidy(() => {
    assert.throws(
      () => new Generator().forward(F.relu(get(loadFixture("generator.safetensors"), "target"))),
      /expected input \[batch, 9000\], got \[2,1000\]/,
    );
    assert.throws(
      () =>
        new Classifier({
          inputShape: [16, 16],
          channels: [8, 8, 8, 8, 8],
          numClasses: 10,
          dropout: 0,
          head: "flatten",
        }),
      /too small for 5 pooling layers/,
    );
  });
});

test(
  "the generator's one-step reverse direction equals the full bidirectional layer (GRU and LSTM), values and " +
    "gradients",
  () => {
    for (const cell of ["gru", "lstm"] as const) {
      tidy(() => {
        const g = new Generator({ ...studyGenerator, cell, convChannels: 8, hiddenSize: 16 });
        const x = randn([3, 9000]).mul(0.1);
        const fast = g.forward(x);
        const frames = g.conv.forward(x.unsqueeze(1)).relu().transpose(1, 2);
        const full = g.fc!.forward(g.rnn.forward(frames)[0].select(1, frames.size(1) - 1));
        assertClose(fast, full, `${cell} output`, 1e-6, 1e-5);
        const weights = g.rnn.parameters();
        fast.sum().backward();
        const fastGrads = weights.map((w) => w.grad!.clone());
        g.zeroGrad();
        full.sum().backward();
        weights.forEach((w, i) => assertClose(fastGrads[i]!, w.grad!, `${cell} gradient ${i}`, 1e-6, 1e-4));
      });
    }
  },
);

test("inference (no autograd) runs the GRU through gruLastState: equal to the full layer and to PyTorch", () => {
  tidy(() => {
    const fx = loadFixture("generator.safetensors");
    const g = new Generator();
    g.loadStateDict(params(fx));
    assertClose(
      noGrad(() => g.forward(get(fx, "x"))),
      get(fx, "y"),
      "generator output without autograd",
      1e-4,
      1e-4,
    );
    const small = new Generator({ ...studyGenerator, convChannels: 8, hiddenSize: 16 });
    const x = randn([5, 9000]).mul(0.3);
    assertClose(
      noGrad(() => small.forward(x)),
      small.forward(x),
      "batch of 5",
      1e-6,
      1e-5,
    );
    const frames = randn([2, 7, 8]);
    const [wih, whh, bih, bhh] = small.rnn.directionParams(0, false) as [Tensor, Tensor, Tensor, Tensor];
    const full = F.gru(frames, zeros([1, 2, 16]), [wih, whh, bih, bhh], {
      hasBiases: true,
      numLayers: 1,
      dropout: 0,
      training: false,
      bidirectional: false,
      batchFirst: true,
    })[1];
    assertClose(F.gruLastState(frames, [wih, whh, bih, bhh]), full.select(0, 0), "gruLastState vs at::gru", 1e-6, 1e-5);
    assert.throws(
      () => F.gruLastState(frames, [whh, wih, bih, bhh]),
      /gruLastState: expected float input \[B, T, I\] and GRU weights/,
    );
  });
});
