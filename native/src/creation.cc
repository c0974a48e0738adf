// Tensor creation: from JS typed arrays, constants, ranges and the seedable random generator.
#include <cstring>

#include "common.h"

namespace gl {

static at::TensorOptions Opts(const Napi::CallbackInfo& info, size_t i) {
  return at::TensorOptions().dtype(Dtype(Str(info, i, "float32")));
}

// fromTypedArray(array, shape, dtype?): copies the data; dtype follows the array type
// unless given ("bool" for a Uint8Array of 0/1).
static Napi::Value FromTypedArray(const Napi::CallbackInfo& info) {
  if (info.Length() < 1 || !info[0].IsTypedArray())
    throw Napi::TypeError::New(info.Env(), "fromTypedArray: argument 0: expected a typed array");
  Napi::TypedArray ta = info[0].As<Napi::TypedArray>();
  at::ScalarType st;
  switch (ta.TypedArrayType()) {
    case napi_float32_array: st = at::kFloat; break;
    case napi_float64_array: st = at::kDouble; break;
    case napi_bigint64_array: st = at::kLong; break;
    case napi_int32_array: st = at::kInt; break;
    case napi_int16_array: st = at::kShort; break;
    case napi_uint8_array: st = at::kByte; break;
    default:
      throw Napi::TypeError::New(
          info.Env(), "fromTypedArray: unsupported typed array (Float32/Float64/BigInt64/Int32/Int16/Uint8)");
  }
  if (info.Length() > 2 && !info[2].IsUndefined()) {
    at::ScalarType want = Dtype(Str(info, 2, nullptr));
    bool sameWidth = c10::elementSize(want) == c10::elementSize(st);
    if (!(want == st || (want == at::kBool && st == at::kByte)) || !sameWidth)
      throw Napi::TypeError::New(
          info.Env(), "fromTypedArray: dtype " + DtypeName(want) + " does not match a " + DtypeName(st) + " array");
    st = want;
  }
  int64_t n = static_cast<int64_t>(ta.ElementLength());
  std::vector<int64_t> shape = info.Length() > 1 && !info[1].IsUndefined() ? IntList(info, 1) : std::vector<int64_t>{n};
  int64_t count = 1;
  for (int64_t d : shape) count *= d;
  if (count != n)
    throw Napi::RangeError::New(info.Env(), "fromTypedArray: shape holds " + std::to_string(count) +
                                                " elements but the array has " + std::to_string(n));
  at::Tensor t = at::empty(shape, at::TensorOptions().dtype(st));
  const uint8_t* src = static_cast<const uint8_t*>(ta.ArrayBuffer().Data()) + ta.ByteOffset();
  if (n) std::memcpy(t.data_ptr(), src, n * c10::elementSize(st));
  return Wrap(info, t);
}

static Napi::Value Zeros(const Napi::CallbackInfo& info) {
  return Wrap(info, at::zeros(IntList(info, 0), Opts(info, 1)));
}
static Napi::Value Ones(const Napi::CallbackInfo& info) {
  return Wrap(info, at::ones(IntList(info, 0), Opts(info, 1)));
}
static Napi::Value Empty(const Napi::CallbackInfo& info) {
  return Wrap(info, at::empty(IntList(info, 0), Opts(info, 1)));
}
static Napi::Value Full(const Napi::CallbackInfo& info) {
  return Wrap(info, at::full(IntList(info, 0), F64(info, 1), Opts(info, 2)));
}
static Napi::Value Scalar(const Napi::CallbackInfo& info) {
  return Wrap(info, at::scalar_tensor(F64(info, 0), Opts(info, 1)));
}
static Napi::Value Randn(const Napi::CallbackInfo& info) {
  return Wrap(info, at::randn(IntList(info, 0), Opts(info, 1)));
}
static Napi::Value Rand(const Napi::CallbackInfo& info) {
  return Wrap(info, at::rand(IntList(info, 0), Opts(info, 1)));
}
static Napi::Value Randint(const Napi::CallbackInfo& info) {
  return Wrap(info, at::randint(I64(info, 0), I64(info, 1), IntList(info, 2), at::TensorOptions().dtype(at::kLong)));
}
static Napi::Value Randperm(const Napi::CallbackInfo& info) {
  return Wrap(info, at::randperm(I64(info, 0), at::TensorOptions().dtype(at::kLong)));
}
static Napi::Value Arange(const Napi::CallbackInfo& info) {
  return Wrap(info, at::arange(F64(info, 0), F64(info, 1), F64(info, 2), Opts(info, 3)));
}
static Napi::Value Linspace(const Napi::CallbackInfo& info) {
  return Wrap(info, at::linspace(F64(info, 0), F64(info, 1), I64(info, 2), Opts(info, 3)));
}
static Napi::Value Eye(const Napi::CallbackInfo& info) { return Wrap(info, at::eye(I64(info, 0), Opts(info, 1))); }
static Napi::Value HannWindow(const Napi::CallbackInfo& info) {
  return Wrap(info, at::hann_window(I64(info, 0), Bool(info, 1, true), Opts(info, 2)));
}
static Napi::Value ManualSeed(const Napi::CallbackInfo& info) {
  double s = F64(info, 0);
  if (s < 0 || s != static_cast<double>(static_cast<uint64_t>(s)))
    throw Napi::RangeError::New(info.Env(), "manualSeed: seed must be a non-negative integer");
  at::manual_seed(static_cast<uint64_t>(s));
  return info.Env().Undefined();
}

void InitCreation(Napi::Env env, Napi::Object exports) {
  GL_EXPORT(exports, "fromTypedArray", FromTypedArray);
  GL_EXPORT(exports, "zeros", Zeros);
  GL_EXPORT(exports, "ones", Ones);
  GL_EXPORT(exports, "empty", Empty);
  GL_EXPORT(exports, "full", Full);
  GL_EXPORT(exports, "scalar", Scalar);
  GL_EXPORT(exports, "randn", Randn);
  GL_EXPORT(exports, "rand", Rand);
  GL_EXPORT(exports, "randint", Randint);
  GL_EXPORT(exports, "randperm", Randperm);
  GL_EXPORT(exports, "arange", Arange);
  GL_EXPORT(exports, "linspace", Linspace);
  GL_EXPORT(exports, "eye", Eye);
  GL_EXPORT(exports, "hannWindow", HannWindow);
  GL_EXPORT(exports, "manualSeed", ManualSeed);
}

}  // namespace gl
