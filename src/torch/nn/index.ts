export { Module, type StateDict } from "./module.js";
export * from "./layers.js";
export { GRU, LSTM, type RnnConfig } from "./rnn.js";
export { uniform, fanInUniform } from "./init.js";
export { CausalSelfAttention, type AttentionCache } from "./attention.js";
