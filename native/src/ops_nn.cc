// Neural-network ops: convolutions, normalisation, pooling, embedding, STFT, gradient clipping.
#include "common.h"

namespace gl {

// conv1d(x, w, b?, stride, padding, dilation, groups)
static Napi::Value Conv1d(const Napi::CallbackInfo& info) {
  return Wrap(info, at::conv1d(T(info, 0), T(info, 1), OptT(info, 2), IntList(info, 3), IntList(info, 4),
                               IntList(info, 5), I64(info, 6)));
}
// conv2d(x, w, b?, stride[2], padding[2], dilation[2], groups)
static Napi::Value Conv2d(const Napi::CallbackInfo& info) {
  return Wrap(info, at::conv2d(T(info, 0), T(info, 1), OptT(info, 2), IntList(info, 3), IntList(info, 4),
                               IntList(info, 5), I64(info, 6)));
}
// batchNorm(x, weight?, bias?, runningMean?, runningVar?, training, momentum, eps)
// In training mode the running statistics are updated in place, as in PyTorch.
static Napi::Value BatchNorm(const Napi::CallbackInfo& info) {
  return Wrap(info, at::batch_norm(T(info, 0), OptT(info, 1), OptT(info, 2), OptT(info, 3), OptT(info, 4),
                                   Bool(info, 5, false), F64(info, 6), F64(info, 7), false));
}
static Napi::Value LayerNorm(const Napi::CallbackInfo& info) {
  return Wrap(info, at::layer_norm(T(info, 0), IntList(info, 1), OptT(info, 2), OptT(info, 3), F64(info, 4)));
}
// maxPool1d/2d(x, kernel, stride, padding, dilation, ceilMode)
static Napi::Value MaxPool1d(const Napi::CallbackInfo& info) {
  return Wrap(info, at::max_pool1d(T(info, 0), IntList(info, 1), IntList(info, 2), IntList(info, 3), IntList(info, 4),
                                   Bool(info, 5, false)));
}
static Napi::Value MaxPool2d(const Napi::CallbackInfo& info) {
  return Wrap(info, at::max_pool2d(T(info, 0), IntList(info, 1), IntList(info, 2), IntList(info, 3), IntList(info, 4),
                                   Bool(info, 5, false)));
}
// avgPool1d/2d(x, kernel, stride, padding, ceilMode, countIncludePad)
static Napi::Value AvgPool1d(const Napi::CallbackInfo& info) {
  return Wrap(info, at::avg_pool1d(T(info, 0), IntList(info, 1), IntList(info, 2), IntList(info, 3),
                                   Bool(info, 4, false), Bool(info, 5, true)));
}
static Napi::Value AvgPool2d(const Napi::CallbackInfo& info) {
  return Wrap(info, at::avg_pool2d(T(info, 0), IntList(info, 1), IntList(info, 2), IntList(info, 3),
                                   Bool(info, 4, false), Bool(info, 5, true)));
}
static Napi::Value AdaptiveAvgPool1d(const Napi::CallbackInfo& info) {
  return Wrap(info, at::adaptive_avg_pool1d(T(info, 0), IntList(info, 1)));
}
static Napi::Value AdaptiveAvgPool2d(const Napi::CallbackInfo& info) {
  return Wrap(info, at::adaptive_avg_pool2d(T(info, 0), IntList(info, 1)));
}
static Napi::Value AdaptiveMaxPool2d(const Napi::CallbackInfo& info) {
  return Wrap(info, std::get<0>(at::adaptive_max_pool2d(T(info, 0), IntList(info, 1))));
}
// embedding(weight, indices, paddingIdx?)
static Napi::Value Embedding(const Napi::CallbackInfo& info) {
  auto pad = OptI64(info, 2);
  return Wrap(info, at::embedding(T(info, 0), T(info, 1), pad ? *pad : -1));
}
// Complex STFT with torch.stft's Python-side centring: pad nFft/2 on both sides before framing.
// Arguments from index 1: nFft, hopLength, winLength, window?, center, padMode, normalized, onesided.
static at::Tensor ComplexStft(const Napi::CallbackInfo& info) {
  at::Tensor x = T(info, 0);
  int64_t nFft = I64(info, 1);
  if (Bool(info, 5, true)) {
    int64_t p = nFft / 2;
    std::vector<int64_t> shape(x.sizes().begin(), x.sizes().end());
    at::Tensor x3 = at::pad(x.reshape({-1, 1, shape.back()}), {p, p}, Str(info, 6, "reflect"), c10::nullopt);
    shape.back() = x3.size(-1);
    x = x3.reshape(shape);
  }
  return at::stft(x, nFft, OptI64(info, 2), OptI64(info, 3), OptT(info, 4), Bool(info, 7, false), Bool(info, 8, true),
                  true);
}

// stft(...) → the complex result as real [..., freq, frames, 2] (torch.view_as_real).
static Napi::Value Stft(const Napi::CallbackInfo& info) { return Wrap(info, at::view_as_real(ComplexStft(info))); }

// spectrogram(..., power) → |STFT|^power [..., freq, frames], as torchaudio.functional.spectrogram.
static Napi::Value Spectrogram(const Napi::CallbackInfo& info) {
  at::Tensor mag = ComplexStft(info).abs();
  double power = F64(info, 9);
  return Wrap(info, power == 1.0 ? mag : mag.pow(power));
}

// istft(x [..., freq, frames, 2], nFft, hopLength?, winLength?, window?, center, normalized, onesided,
// length?) → torch.istft of the complex view of x: the real signal [..., samples].
static Napi::Value Istft(const Napi::CallbackInfo& info) {
  at::Tensor x = at::view_as_complex(T(info, 0).contiguous());
  return Wrap(info, at::istft(x, I64(info, 1), OptI64(info, 2), OptI64(info, 3), OptT(info, 4), Bool(info, 5, true),
                              Bool(info, 6, false), Bool(info, 7, true), OptI64(info, 8), false));
}

// clipGradNorm(params, maxNorm, normType=2): scales the gradients in place; returns the total norm.
static Napi::Value ClipGradNorm(const Napi::CallbackInfo& info) {
  std::vector<at::Tensor> params = TList(info, 0);
  double maxNorm = F64(info, 1);
  double p = info.Length() > 2 ? F64(info, 2) : 2.0;
  at::NoGradGuard guard;
  std::vector<at::Tensor> norms;
  for (auto& t : params)
    if (t.grad().defined()) norms.push_back(std::isinf(p) ? t.grad().abs().max() : at::norm(t.grad(), p));
  if (norms.empty()) return Napi::Number::New(info.Env(), 0.0);
  at::Tensor stacked = at::stack(norms);
  double total = (std::isinf(p) ? stacked.max() : at::norm(stacked, p)).item<double>();
  double coef = maxNorm / (total + 1e-6);
  if (coef < 1)
    for (auto& t : params)
      if (t.grad().defined()) t.mutable_grad().mul_(coef);
  return Napi::Number::New(info.Env(), total);
}

void InitNN(Napi::Env env, Napi::Object e) {
  GL_EXPORT(e, "conv1d", Conv1d);
  GL_EXPORT(e, "conv2d", Conv2d);
  GL_EXPORT(e, "batchNorm", BatchNorm);
  GL_EXPORT(e, "layerNorm", LayerNorm);
  GL_EXPORT(e, "maxPool1d", MaxPool1d);
  GL_EXPORT(e, "maxPool2d", MaxPool2d);
  GL_EXPORT(e, "avgPool1d", AvgPool1d);
  GL_EXPORT(e, "avgPool2d", AvgPool2d);
  GL_EXPORT(e, "adaptiveAvgPool1d", AdaptiveAvgPool1d);
  GL_EXPORT(e, "adaptiveAvgPool2d", AdaptiveAvgPool2d);
  GL_EXPORT(e, "adaptiveMaxPool2d", AdaptiveMaxPool2d);
  GL_EXPORT(e, "embedding", Embedding);
  GL_EXPORT(e, "stft", Stft);
  GL_EXPORT(e, "spectrogram", Spectrogram);
  GL_EXPORT(e, "istft", Istft);
  GL_EXPORT(e, "clipGradNorm", ClipGradNorm);
}

}  // namespace gl
