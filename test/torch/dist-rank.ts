// One rank of test/torch/dist.test.ts: joins a group on loopback and runs a scenario, printing JSON.
// Usage: node dist-rank.js <port> <worldSize> <rank> <collectives|die|idle> [timeoutMs]
import { ProcessGroup, tensor, toArray } from "../../src/torch/index.js";

const [port, worldSize, rank, scenario, timeoutMs] = process.argv.slice(2);
const r = Number(rank);
try {
  const pg = new ProcessGroup({
    host: "127.0.0.1",
    bind: "127.0.0.1",
    port: Number(port),
    worldSize: Number(worldSize),
    rank: r,
    timeoutMs: Number(timeoutMs ?? 20_000),
  });
  if (scenario === "collectives") {
    // Three tensors in buckets of 32 bytes: the first two share one (cat and copy back), the third is alone.
    const ts = [
      tensor([1 + r, 2 + r], [2]),
      tensor([10 * r, 1, 2, 3], [2, 2]),
      tensor(
        Array.from({ length: 12 }, (_, i) => i * (r + 1)),
        [3, 4],
      ),
    ];
    pg.allReduce(ts, "sum", 32);
    const avg = tensor([r, 4 * r], [2]);
    pg.allReduce([avg], "avg");
    const max = tensor([r, -r], [2]);
    pg.allReduce([max], "max");
    const b = tensor([r + 0.5, r + 1.5], [2]);
    pg.broadcast([b], 0);
    pg.barrier();
    // A differentiable sum: rank r's loss weighs the sum by [1, r + 1]; each x's gradient is the sum of those weights.
    const x = tensor([r + 1, 2 * r], [2]);
    x.requiresGrad = true;
    const y = pg.sumAcrossRanks(x);
    y.mul(tensor([1, r + 1], [2]))
      .sum()
      .backward();
    // A graph whose group is gone: its backward pass is an error, not a crash.
    const z = pg.sumAcrossRanks(x).sum();
    pg.destroy();
    let afterDestroy = "";
    try {
      z.backward();
    } catch (err) {
      afterDestroy = (err as Error).message.split("\n")[0]!;
    }
    console.log(
      JSON.stringify({
        sum: ts.map((t) => [...toArray(t)]),
        avg: [...toArray(avg)],
        max: [...toArray(max)],
        broadcast: [...toArray(b)],
        differentiable: [...toArray(y)],
        grad: [...toArray(x.grad!)],
        afterDestroy,
      }),
    );
    process.exit(0);
  } else if (scenario === "die") {
    if (r === 1) process.kill(process.pid, "SIGKILL"); // a rank lost mid-training
    const t0 = Date.now();
    pg.allReduce([tensor([1], [1])]);
    console.log(JSON.stringify({ unexpected: "allReduce returned", ms: Date.now() - t0 }));
  }
  pg.destroy();
} catch (err) {
  console.error((err as Error).message);
  process.exit(1);
}
