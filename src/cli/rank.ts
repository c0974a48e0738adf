// Under `genrelab launch` (or torchrun's variables) every rank trains its share; rank 0 reports and writes,
// the others run quiet.
import type { ProcessGroup } from "../torch/index.js";
import { joinFromEnv } from "../train/distributed.js";

export interface Rank<F> {
  group: ProcessGroup | null;
  /** Rank 0, or the only process: the one that reports and writes. */
  lead: boolean;
  /** The flags as this rank obeys them (quiet unless it leads). */
  f: F;
}

/** This process's place in the group the environment names (joining it), or alone. */
export function asRank<F extends { quiet?: boolean }>(flags: F, group = joinFromEnv()): Rank<F> {
  const lead = !group || group.rank === 0;
  return { group, lead, f: lead ? flags : { ...flags, quiet: true } };
}
