// genrelab's typed libtorch API: tensors, scopes, functional ops, nn modules, optimizers, checkpoints.
export * from "./tensor.js";
export * from "./create.js";
export { FORWARDED_METHODS } from "./tensor-methods.js";
export { tidy, noGrad, isGradEnabled, liveTensors } from "./scope.js";
export * as F from "./functional.js";
export * as nn from "./nn/index.js";
export { Adam, AdamW, type AdamOptions } from "./optim.js";
export { ProcessGroup, defaultBucketBytes, type ProcessGroupOptions, type Reduction } from "./dist.js";
export { saveSafetensors, loadSafetensors, type Metadata, type Loaded } from "./safetensors.js";
export {
  runtimeInfo,
  dieWithParent,
  releaseFreeMemory,
  setNumThreads,
  getNumThreads,
  setNumInteropThreads,
  getNumInteropThreads,
  type RuntimeInfo,
} from "./runtime.js";
