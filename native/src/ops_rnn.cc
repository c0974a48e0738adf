// Recurrent layers on ATen's fused kernels (the same at::gru / at::lstm PyTorch's nn.GRU calls).
#include "common.h"

namespace gl {

// gru(input, hx, params, hasBiases, numLayers, dropout, train, bidirectional, batchFirst) -> [output, hN]
// params in PyTorch's _flat_weights order: per layer and direction w_ih, w_hh, b_ih, b_hh.
static Napi::Value Gru(const Napi::CallbackInfo& info) {
  auto r = at::gru(T(info, 0), T(info, 1), TList(info, 2), Bool(info, 3, true), I64(info, 4), F64(info, 5),
                   Bool(info, 6, false), Bool(info, 7, false), Bool(info, 8, true));
  return WrapList(info, {std::get<0>(r), std::get<1>(r)});
}

// lstm(input, h0, c0, params, hasBiases, numLayers, dropout, train, bidirectional, batchFirst) -> [output, hN, cN]
static Napi::Value Lstm(const Napi::CallbackInfo& info) {
  std::vector<at::Tensor> hx = {T(info, 1), T(info, 2)};
  auto r = at::lstm(T(info, 0), hx, TList(info, 3), Bool(info, 4, true), I64(info, 5), F64(info, 6),
                    Bool(info, 7, false), Bool(info, 8, false), Bool(info, 9, true));
  return WrapList(info, {std::get<0>(r), std::get<1>(r), std::get<2>(r)});
}

void InitRNN(Napi::Env env, Napi::Object e) {
  GL_EXPORT(e, "gru", Gru);
  GL_EXPORT(e, "lstm", Lstm);
}

}  // namespace gl
