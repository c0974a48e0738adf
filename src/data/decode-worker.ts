// One decoding process of the pool (decode-pool.ts): decodes each file it is sent into the cache and
// answers with the entry's hash or the file's problem. It exits when its parent goes away.
import { setNumThreads } from "../torch/index.js";
import { AudioCache } from "./cache.js";

interface Job {
  i: number;
  path: string;
}

const [dir, rate] = process.argv.slice(2);
setNumThreads(1); // one process per core: libtorch's own threads would only contend
const cache = new AudioCache(dir!, Number(rate));
process.on("disconnect", () => process.exit(0));
process.on("message", (job: Job) => {
  cache.loadEntry(job.path).then(
    ({ hash }) => process.send?.({ i: job.i, hash }),
    (err: unknown) => process.send?.({ i: job.i, error: err instanceof Error ? err.message : String(err) }),
  );
});
