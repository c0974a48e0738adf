// Ops and their gradients against values computed by PyTorch 1.13 (test/fixtures/ops.safetensors).
import { test } from "node:test";
import assert from "node:assert/strict";
import { F, hannWindow, nn, tensor, tidy, type Tensor } from "../../src/torch/index.js";
import { assertClose, get, loadFixture } from "../helpers.js";

const fx = loadFixture("ops.safetensors");
const input = (k: string): Tensor => {
  const t = get(fx, k).clone();
  t.requiresGrad = true;
  return t;
};

/** Forward with fresh leaves, compare, then backward of sum(y * gout) and compare gradients. */
function checkOp(prefix: string, names: string[], op: (...xs: Tensor[]) => Tensor): void {
  tidy(() => {
    const xs = names.map((n) => input(`${prefix}.${n}`));
    const y = op(...xs);
    assertClose(y, get(fx, `${prefix}.y`), `${prefix} forward`);
    y.mul(get(fx, `${prefix}.gout`))
      .sum()
      .backward();
    names.forEach((n, i) => assertClose(xs[i]!.grad!, get(fx, `${prefix}.grad.${n}`), `${prefix} grad ${n}`));
  });
}

test("linear forward and gradients match PyTorch", () => {
  checkOp("linear", ["x", "w", "b"], (x, w, b) => F.linear(x, w, b));
});

test("conv1d forward and gradients match PyTorch", () => {
  checkOp("conv1d", ["x", "w", "b"], (x, w, b) => F.conv1d(x, w, b, { stride: 10 }));
});

test("conv2d forward and gradients match PyTorch", () => {
  checkOp("conv2d", ["x", "w", "b"], (x, w, b) => F.conv2d(x, w, b, { padding: 1 }));
});

test("max_pool2d forward and gradient match PyTorch", () => {
  checkOp("maxpool2d", ["x"], (x) => F.maxPool2d(x, 2));
});

test("batch_norm in training mode matches PyTorch, including running statistics", () => {
  tidy(() => {
    const rm = get(fx, "bn.rm").clone();
    const rv = get(fx, "bn.rv").clone();
    checkOp("bn", ["x", "w", "b"], (x, w, b) =>
      F.batchNorm(x, { weight: w, bias: b, runningMean: rm, runningVar: rv, training: true }),
    );
    assertClose(rm, get(fx, "bn.rm_after"), "running_mean");
    assertClose(rv, get(fx, "bn.rv_after"), "running_var");
  });
});

test("synchronised batch norm over one rank matches PyTorch's batch norm, gradients and running statistics", () => {
  tidy(() => {
    const rm = get(fx, "bn.rm").clone();
    const rv = get(fx, "bn.rv").clone();
    const alone = { sumAcrossRanks: (t: Tensor) => t.mul(1) };
    checkOp("bn", ["x", "w", "b"], (x, w, b) =>
      F.syncBatchNorm(x, { weight: w, bias: b, runningMean: rm, runningVar: rv, training: true }, alone),
    );
    assertClose(rm, get(fx, "bn.rm_after"), "running_mean");
    assertClose(rv, get(fx, "bn.rv_after"), "running_var");
  });
});

test("bidirectional 2-layer GRU matches nn.GRU, forward and gradients", () => {
  tidy(() => {
    const gru = new nn.GRU(5, 6, { numLayers: 2, bidirectional: true, batchFirst: true });
    const params = new Map([...fx].filter(([k]) => k.startsWith("gru.param.")).map(([k, v]) => [k.slice(10), v]));
    gru.loadStateDict(params);
    const x = input("gru.x");
    const [out, hn] = gru.forward(x);
    assertClose(out, get(fx, "gru.out"), "gru output");
    assertClose(hn, get(fx, "gru.hn"), "gru h_n");
    out.mul(get(fx, "gru.gout")).sum().backward();
    assertClose(x.grad!, get(fx, "gru.grad.x"), "gru grad x");
    const named = new Map(gru.namedParameters());
    assertClose(named.get("weight_ih_l0")!.grad!, get(fx, "gru.grad.weight_ih_l0"), "gru grad weight_ih_l0");
    assertClose(
      named.get("weight_hh_l1_reverse")!.grad!,
      get(fx, "gru.grad.weight_hh_l1_reverse"),
      "gru grad weight_hh_l1_reverse",
    );
  });
});

test("LSTM matches nn.LSTM", () => {
  tidy(() => {
    const lstm = new nn.LSTM(5, 4, { batchFirst: true });
    lstm.loadStateDict(new Map([...fx].filter(([k]) => k.startsWith("lstm.param.")).map(([k, v]) => [k.slice(11), v])));
    const [out, hn, cn] = lstm.forward(get(fx, "lstm.x"));
    assertClose(out, get(fx, "lstm.out"), "lstm output");
    assertClose(hn, get(fx, "lstm.hn"), "lstm h_n");
    assertClose(cn, get(fx, "lstm.cn"), "lstm c_n");
  });
});

test("cross_entropy, log_softmax and softmax match PyTorch", () => {
  tidy(() => {
    const logits = input("ce.logits");
    const loss = F.crossEntropy(logits, get(fx, "ce.target"));
    assertClose(loss, get(fx, "ce.loss"), "cross_entropy");
    assertClose(F.logSoftmax(logits, 1), get(fx, "ce.logsoftmax"), "log_softmax");
    assertClose(F.softmax(logits, 1), get(fx, "ce.softmax"), "softmax");
    loss.backward();
    assertClose(logits.grad!, get(fx, "ce.grad.logits"), "cross_entropy grad");
  });
});

test("mse_loss and its gradient match PyTorch", () => {
  tidy(() => {
    const a = input("mse.a");
    const loss = F.mseLoss(a, get(fx, "mse.t"));
    assertClose(loss, get(fx, "mse.loss"), "mse");
    loss.backward();
    assertClose(a.grad!, get(fx, "mse.grad.a"), "mse grad");
  });
});

test("stft matches torch.stft (centered, reflect padding, Hann window)", () => {
  tidy(() => {
    const y = F.stft(get(fx, "stft.x"), 256, { hopLength: 64, window: hannWindow(256) });
    assertClose(y, get(fx, "stft.y"), "stft", 1e-3, 1e-4);
    assert.deepEqual(y.shape, [2, 129, 32, 2]);
  });
});

test(
  "clipGradNorm matches torch.nn.utils.clip_grad_norm_: the total norm, the scaled gradients, a parameter without " +
    "one skipped",
  () => {
    tidy(() => {
      const params = ["p0", "p1"].map((n) => input(`clip.${n}`));
      params.forEach((p, i) =>
        p
          .mul(get(fx, `clip.g${i}`))
          .sum()
          .backward(),
      );
      const noGrad = tensor([1, 2]);
      noGrad.requiresGrad = true;
      const norm = F.clipGradNorm([...params, noGrad], 1.5);
      assert.ok(Math.abs(norm - get(fx, "clip.norm").item()) < 1e-4, `norm ${norm}`);
      params.forEach((p, i) => assertClose(p.grad!, get(fx, `clip.g${i}_after`), `clipped grad ${i}`));
    });
  },
);
