// Lines over 120 characters in the tracked source: the formatter keeps code within it but leaves strings and
// comments as written. Prints file:line for each and exits 1 if there is any.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

const LIMIT = 120;
const SOURCE = /\.(ts|js|cjs|mjs|cc|h|css|html|gyp|py)$|(^|\/)Makefile$/;

const listed = ["ls-files", "-z", "--cached", "--others", "--exclude-standard"];
const files = execFileSync("git", listed, { encoding: "utf8" })
  .split("\0")
  .filter((f) => SOURCE.test(f) && !f.startsWith("test/fixtures/"));
let long = 0;
for (const file of files) {
  readFileSync(file, "utf8")
    .split("\n")
    .forEach((line, i) => {
      const n = [...line].length; // characters, not UTF-16 units: "→" is one
      if (n > LIMIT) {
        console.error(`${file}:${i + 1}: ${n} characters (at most ${LIMIT})`);
        long++;
      }
    });
}
if (long) process.exit(1);
