// Reshaping, indexing, joining and dtype conversion.
#include "common.h"

namespace gl {

static Napi::Value View(const Napi::CallbackInfo& info) { return Wrap(info, T(info, 0).view(IntList(info, 1))); }
static Napi::Value Reshape(const Napi::CallbackInfo& info) { return Wrap(info, T(info, 0).reshape(IntList(info, 1))); }
static Napi::Value Transpose(const Napi::CallbackInfo& info) {
  return Wrap(info, T(info, 0).transpose(I64(info, 1), I64(info, 2)));
}
static Napi::Value Permute(const Napi::CallbackInfo& info) { return Wrap(info, T(info, 0).permute(IntList(info, 1))); }
static Napi::Value Expand(const Napi::CallbackInfo& info) { return Wrap(info, T(info, 0).expand(IntList(info, 1))); }
static Napi::Value Repeat(const Napi::CallbackInfo& info) { return Wrap(info, T(info, 0).repeat(IntList(info, 1))); }
static Napi::Value Flip(const Napi::CallbackInfo& info) { return Wrap(info, T(info, 0).flip(IntList(info, 1))); }
// slice(x, dim, start?, end?, step?) — Python's x[start:end:step] along dim.
static Napi::Value Slice(const Napi::CallbackInfo& info) {
  return Wrap(info, at::slice(T(info, 0), I64(info, 1), OptI64(info, 2), OptI64(info, 3),
                              info.Length() > 4 && !info[4].IsUndefined() ? I64(info, 4) : 1));
}
static Napi::Value Select(const Napi::CallbackInfo& info) {
  return Wrap(info, T(info, 0).select(I64(info, 1), I64(info, 2)));
}
static Napi::Value Narrow(const Napi::CallbackInfo& info) {
  return Wrap(info, T(info, 0).narrow(I64(info, 1), I64(info, 2), I64(info, 3)));
}
static Napi::Value Cat(const Napi::CallbackInfo& info) {
  return Wrap(info, at::cat(TList(info, 0), info.Length() > 1 ? I64(info, 1) : 0));
}
static Napi::Value Stack(const Napi::CallbackInfo& info) {
  return Wrap(info, at::stack(TList(info, 0), info.Length() > 1 ? I64(info, 1) : 0));
}
static Napi::Value Split(const Napi::CallbackInfo& info) {
  return WrapList(info, at::split(T(info, 0), I64(info, 1), info.Length() > 2 ? I64(info, 2) : 0));
}
static Napi::Value Chunk(const Napi::CallbackInfo& info) {
  return WrapList(info, at::chunk(T(info, 0), I64(info, 1), info.Length() > 2 ? I64(info, 2) : 0));
}
static Napi::Value IndexSelect(const Napi::CallbackInfo& info) {
  return Wrap(info, at::index_select(T(info, 0), I64(info, 1), T(info, 2)));
}
// indexAdd(self, dim, index, source): a copy of self with source's slices added at index (torch.index_add).
static Napi::Value IndexAdd(const Napi::CallbackInfo& info) {
  return Wrap(info, at::index_add(T(info, 0), I64(info, 1), T(info, 2), T(info, 3)));
}
static Napi::Value Gather(const Napi::CallbackInfo& info) {
  return Wrap(info, at::gather(T(info, 0), I64(info, 1), T(info, 2)));
}
static Napi::Value MaskedFill(const Napi::CallbackInfo& info) {
  return Wrap(info, at::masked_fill(T(info, 0), T(info, 1), F64(info, 2)));
}
static Napi::Value Squeeze(const Napi::CallbackInfo& info) {
  auto d = OptI64(info, 1);
  return Wrap(info, d ? T(info, 0).squeeze(*d) : T(info, 0).squeeze());
}
static Napi::Value Unsqueeze(const Napi::CallbackInfo& info) { return Wrap(info, T(info, 0).unsqueeze(I64(info, 1))); }
static Napi::Value Flatten(const Napi::CallbackInfo& info) {
  return Wrap(info, T(info, 0).flatten(info.Length() > 1 ? I64(info, 1) : 0, info.Length() > 2 ? I64(info, 2) : -1));
}
// unfold(x, dim, size, step): sliding windows, e.g. framing a signal.
static Napi::Value Unfold(const Napi::CallbackInfo& info) {
  return Wrap(info, T(info, 0).unfold(I64(info, 1), I64(info, 2), I64(info, 3)));
}
// Memory formats by name: "contiguous" (row-major NCHW) or "channelsLast" (NHWC strides, same shape).
static at::MemoryFormat Format(const Napi::CallbackInfo& info, size_t i) {
  std::string f = Str(info, i, "contiguous");
  if (f == "contiguous") return at::MemoryFormat::Contiguous;
  if (f == "channelsLast") return at::MemoryFormat::ChannelsLast;
  throw Napi::TypeError::New(info.Env(), "unknown memory format '" + f + "' (contiguous or channelsLast)");
}
static Napi::Value Contiguous(const Napi::CallbackInfo& info) {
  return Wrap(info, T(info, 0).contiguous(Format(info, 1)));
}
static Napi::Value IsContiguous(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), T(info, 0).is_contiguous(Format(info, 1)));
}
// clone(x, format?): a copy laid out in `format`, always restrided (also where both layouts fit, as
// for one channel), so that libtorch's layout heuristics see the format asked for.
static Napi::Value Clone(const Napi::CallbackInfo& info) {
  return Wrap(info, info.Length() > 1 ? T(info, 0).clone(Format(info, 1)) : T(info, 0).clone());
}
static Napi::Value Detach(const Napi::CallbackInfo& info) { return Wrap(info, T(info, 0).detach()); }
static Napi::Value To(const Napi::CallbackInfo& info) {
  return Wrap(info, T(info, 0).to(Dtype(Str(info, 1, nullptr))));
}
// pad(x, pads, mode?, value?) — pads as in torch.nn.functional.pad (last dim first).
static Napi::Value Pad(const Napi::CallbackInfo& info) {
  std::string mode = Str(info, 2, "constant");
  c10::optional<double> value = OptF64(info, 3);
  return Wrap(info, at::pad(T(info, 0), IntList(info, 1), mode, value));
}

void InitShape(Napi::Env env, Napi::Object e) {
  GL_EXPORT(e, "view", View);
  GL_EXPORT(e, "reshape", Reshape);
  GL_EXPORT(e, "transpose", Transpose);
  GL_EXPORT(e, "permute", Permute);
  GL_EXPORT(e, "expand", Expand);
  GL_EXPORT(e, "repeat", Repeat);
  GL_EXPORT(e, "flip", Flip);
  GL_EXPORT(e, "slice", Slice);
  GL_EXPORT(e, "select", Select);
  GL_EXPORT(e, "narrow", Narrow);
  GL_EXPORT(e, "cat", Cat);
  GL_EXPORT(e, "stack", Stack);
  GL_EXPORT(e, "split", Split);
  GL_EXPORT(e, "chunk", Chunk);
  GL_EXPORT(e, "indexSelect", IndexSelect);
  GL_EXPORT(e, "indexAdd", IndexAdd);
  GL_EXPORT(e, "gather", Gather);
  GL_EXPORT(e, "maskedFill", MaskedFill);
  GL_EXPORT(e, "squeeze", Squeeze);
  GL_EXPORT(e, "unsqueeze", Unsqueeze);
  GL_EXPORT(e, "flatten", Flatten);
  GL_EXPORT(e, "unfold", Unfold);
  GL_EXPORT(e, "contiguous", Contiguous);
  GL_EXPORT(e, "isContiguous", IsContiguous);
  GL_EXPORT(e, "clone", Clone);
  GL_EXPORT(e, "detach", Detach);
  GL_EXPORT(e, "to", To);
  GL_EXPORT(e, "pad", Pad);
}

}  // namespace gl
