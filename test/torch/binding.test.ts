// The hand-kept lists of tensor methods agree: a method `interface Tensor` (tensor.ts) declares one by one is
// on a real tensor, and every method tensor-methods.ts forwards to the addon is an addon export. (That every
// forwarded method is declared, the compiler checks: tensor-methods.ts.)
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { native } from "../../src/torch/binding.js";
import { FORWARDED_METHODS, tensor } from "../../src/torch/index.js";

const source = readFileSync(fileURLToPath(new URL("../../../src/torch/tensor.ts", import.meta.url)), "utf8");

/** Names of the methods `interface Tensor` declares (lines `name(…): …` or `name<T>(…)`). */
function declaredMethods(): string[] {
  const body = /export interface Tensor [^{]*\{([\s\S]*?)\n\}/.exec(source);
  assert.ok(body, "tensor.ts declares interface Tensor");
  return [
    ...new Set([...body[1]!.matchAll(/^\s{2}([a-zA-Z][a-zA-Z0-9]*)\s*(?:<[^>]*>)?\(/gm)].map((m) => m[1]!)),
  ].sort();
}

test("interface Tensor, the methods tensor-methods.ts forwards and the addon's exports agree", () => {
  const missing = FORWARDED_METHODS.filter((name) => typeof native[name] !== "function");
  assert.deepEqual(missing, [], "forwarded to the addon but not exported by it");
  const t = tensor([1, 2, 3]) as unknown as Record<string, unknown>;
  const declared = declaredMethods();
  assert.ok(declared.length > 30, `${declared.length} methods declared`);
  assert.deepEqual(
    declared.filter((name) => typeof t[name] !== "function"),
    [],
    "declared but not on a tensor",
  );
});
