// Recurrent layers on ATen's fused kernels (the same at::gru / at::lstm PyTorch's nn.GRU calls).
#include <algorithm>
#include <cmath>
#include <cstring>

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

// exp(x) for float, branch-free so that the gate loop vectorises (SSE2 is enough): x = n·ln2 + r with
// |r| ≤ ln2/2, a degree-6 polynomial for exp(r) (relative error < 2e-7), 2^n from the exponent bits.
static inline float ExpF(float x) {
  x = std::min(88.f, std::max(-87.f, x));
  const float n = (x * 1.44269504f + 12582912.f) - 12582912.f;  // round to nearest
  const float r = (x - n * 0.693145752f) - n * 1.42860677e-6f;
  float p = 1.3888889e-3f;
  p = p * r + 8.3333333e-3f;
  p = p * r + 4.1666667e-2f;
  p = p * r + 1.6666667e-1f;
  p = p * r + 0.5f;
  p = p * r + 1.f;
  p = p * r + 1.f;
  const int32_t bits = (static_cast<int32_t>(n) + 127) << 23;
  float scale;
  std::memcpy(&scale, &bits, sizeof scale);
  return p * scale;
}
static inline float SigmoidF(float x) { return 1.f / (1.f + ExpF(-x)); }
// tanh via exp(-2|x|), keeping the sign: no cancellation near 0 beyond float rounding of 1 − e.
static inline float TanhF(float x) {
  const float e = ExpF(-2.f * std::fabs(x));
  return std::copysign((1.f - e) / (1.f + e), x);
}

// One GRU step's gates for one row, PyTorch's order (r, z, n): gi = W_i x + b_i, gh = W_h h + b_h;
// n = tanh(gi_n + r·gh_n), h ← (1 − z)·n + z·h.
static void GruGates(const float* gi, const float* gh, float* h, int64_t H) {
#pragma omp simd
  for (int64_t j = 0; j < H; j++) {
    const float r = SigmoidF(gi[j] + gh[j]), z = SigmoidF(gi[H + j] + gh[H + j]);
    const float n = TanhF(gi[2 * H + j] + r * gh[2 * H + j]);
    h[j] = (1.f - z) * n + z * h[j];
  }
}

// gruLastState(input [B, T, I] batch-first, w_ih, w_hh, b_ih, b_hh) -> the last hidden state [B, H] of
// one GRU direction from a zero state, without autograd. For inference: the input projections of all
// steps are one GEMM, and each step is one small GEMM into a reused buffer plus the gates in one loop,
// where at::gru spends most of a batch-1 step on dispatch and temporaries (~1.7x faster at batch 1).
static Napi::Value GruLastState(const Napi::CallbackInfo& info) {
  at::NoGradGuard noGrad;
  at::Tensor x = T(info, 0), wih = T(info, 1), whh = T(info, 2), bih = T(info, 3), bhh = T(info, 4);
  const int64_t H = whh.size(1);
  if (x.dim() != 3 || x.scalar_type() != at::kFloat || wih.dim() != 2 || wih.size(0) != 3 * H ||
      wih.size(1) != x.size(2) || whh.size(0) != 3 * H || bih.numel() != 3 * H || bhh.numel() != 3 * H) {
    throw Napi::TypeError::New(
        info.Env(), "gruLastState: expected float input [B, T, I] and GRU weights [3H, I], [3H, H], [3H], [3H]");
  }
  const int64_t B = x.size(0), T = x.size(1);
  at::Tensor gi = at::addmm(bih, x.reshape({B * T, x.size(2)}), wih.t()).contiguous();  // [B*T, 3H]
  at::Tensor h = at::zeros({B, H}, x.options());
  at::Tensor gh = at::empty({B, 3 * H}, x.options());
  at::Tensor whhT = whh.t();
  const float* pgi = gi.data_ptr<float>();
  float* ph = h.data_ptr<float>();
  const float* pgh = gh.data_ptr<float>();
  for (int64_t t = 0; t < T; t++) {
    at::addmm_out(gh, bhh, h, whhT);
    for (int64_t b = 0; b < B; b++) GruGates(pgi + (b * T + t) * 3 * H, pgh + b * 3 * H, ph + b * H, H);
  }
  return Wrap(info, h);
}

void InitRNN(Napi::Env env, Napi::Object e) {
  GL_EXPORT(e, "gruLastState", GruLastState);
  GL_EXPORT(e, "gru", Gru);
  GL_EXPORT(e, "lstm", Lstm);
}

}  // namespace gl
