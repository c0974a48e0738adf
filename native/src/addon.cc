// Module entry: argument helpers, scopes, grad mode, threads and build information.
#include <ATen/Parallel.h>
#include <ATen/Version.h>
#include <c10/core/GradMode.h>
#include <dlfcn.h>
#include <malloc.h>
#include <sys/prctl.h>
#include <torch/version.h>

#include <cerrno>
#include <cstring>
#include <unordered_set>

#include "common.h"

namespace gl {

static Napi::Error ArgError(const Napi::CallbackInfo& info, size_t i, const std::string& want) {
  return Napi::TypeError::New(info.Env(), "argument " + std::to_string(i) + ": expected " + want);
}

bool IsTensor(const Napi::Value& v) {
  return v.IsObject() && v.As<Napi::Object>().InstanceOf(Data(v.Env()).tensorCtor.Value());
}

at::Tensor& T(const Napi::CallbackInfo& info, size_t i) {
  if (i >= info.Length() || !IsTensor(info[i])) throw ArgError(info, i, "a Tensor");
  Slot& s = *Napi::ObjectWrap<TensorWrap>::Unwrap(info[i].As<Napi::Object>())->slot;
  if (!s.t.defined()) throw Napi::Error::New(info.Env(), "argument " + std::to_string(i) + ": Tensor was disposed");
  return s.t;
}

c10::optional<at::Tensor> OptT(const Napi::CallbackInfo& info, size_t i) {
  if (i >= info.Length() || info[i].IsUndefined() || info[i].IsNull()) return c10::nullopt;
  return T(info, i);
}

std::vector<at::Tensor> TList(const Napi::CallbackInfo& info, size_t i) {
  if (i >= info.Length() || !info[i].IsArray()) throw ArgError(info, i, "an array of Tensors");
  Napi::Array a = info[i].As<Napi::Array>();
  std::vector<at::Tensor> out;
  out.reserve(a.Length());
  for (uint32_t k = 0; k < a.Length(); k++) {
    Napi::Value v = a.Get(k);
    if (!IsTensor(v)) throw ArgError(info, i, "an array of Tensors (item " + std::to_string(k) + " is not)");
    Slot& s = *Napi::ObjectWrap<TensorWrap>::Unwrap(v.As<Napi::Object>())->slot;
    if (!s.t.defined())
      throw Napi::Error::New(info.Env(),
                             "argument " + std::to_string(i) + ": item " + std::to_string(k) + " was disposed");
    out.push_back(s.t);
  }
  return out;
}

int64_t I64(const Napi::CallbackInfo& info, size_t i) {
  if (i >= info.Length() || !info[i].IsNumber()) throw ArgError(info, i, "an integer");
  double d = info[i].As<Napi::Number>().DoubleValue();
  if (d != static_cast<double>(static_cast<int64_t>(d)))
    throw ArgError(info, i, "an integer, got " + std::to_string(d));
  return static_cast<int64_t>(d);
}

c10::optional<int64_t> OptI64(const Napi::CallbackInfo& info, size_t i) {
  if (i >= info.Length() || info[i].IsUndefined() || info[i].IsNull()) return c10::nullopt;
  return I64(info, i);
}

double F64(const Napi::CallbackInfo& info, size_t i) {
  if (i >= info.Length() || !info[i].IsNumber()) throw ArgError(info, i, "a number");
  return info[i].As<Napi::Number>().DoubleValue();
}

c10::optional<double> OptF64(const Napi::CallbackInfo& info, size_t i) {
  if (i >= info.Length() || info[i].IsUndefined() || info[i].IsNull()) return c10::nullopt;
  return F64(info, i);
}

bool Bool(const Napi::CallbackInfo& info, size_t i, bool fallback) {
  if (i >= info.Length() || info[i].IsUndefined()) return fallback;
  if (!info[i].IsBoolean()) throw ArgError(info, i, "a boolean");
  return info[i].As<Napi::Boolean>().Value();
}

std::string Str(const Napi::CallbackInfo& info, size_t i, const char* fallback) {
  if (i >= info.Length() || info[i].IsUndefined()) {
    if (fallback) return fallback;
    throw ArgError(info, i, "a string");
  }
  if (!info[i].IsString()) throw ArgError(info, i, "a string");
  return info[i].As<Napi::String>().Utf8Value();
}

std::vector<int64_t> IntList(const Napi::CallbackInfo& info, size_t i) {
  if (i < info.Length() && info[i].IsNumber()) return {I64(info, i)};
  if (i >= info.Length() || !info[i].IsArray()) throw ArgError(info, i, "an array of integers");
  Napi::Array a = info[i].As<Napi::Array>();
  std::vector<int64_t> out(a.Length());
  for (uint32_t k = 0; k < a.Length(); k++) {
    Napi::Value v = a.Get(k);
    if (!v.IsNumber()) throw ArgError(info, i, "an array of integers");
    double d = v.As<Napi::Number>().DoubleValue();
    if (d != static_cast<double>(static_cast<int64_t>(d))) throw ArgError(info, i, "an array of integers");
    out[k] = static_cast<int64_t>(d);
  }
  return out;
}

at::ScalarType Dtype(const std::string& name) {
  if (name == "float32") return at::kFloat;
  if (name == "float64") return at::kDouble;
  if (name == "int64") return at::kLong;
  if (name == "int32") return at::kInt;
  if (name == "int16") return at::kShort;
  if (name == "uint8") return at::kByte;
  if (name == "bool") return at::kBool;
  throw std::invalid_argument("unknown dtype '" + name + "' (float32, float64, int64, int32, int16, uint8, bool)");
}

std::string DtypeName(at::ScalarType t) {
  switch (t) {
    case at::kFloat: return "float32";
    case at::kDouble: return "float64";
    case at::kLong: return "int64";
    case at::kInt: return "int32";
    case at::kShort: return "int16";
    case at::kByte: return "uint8";
    case at::kBool: return "bool";
    case at::kComplexFloat: return "complex64";
    default: return c10::toString(t);
  }
}

Napi::Value WrapList(const Napi::CallbackInfo& info, const std::vector<at::Tensor>& ts) {
  Napi::Array a = Napi::Array::New(info.Env(), ts.size());
  for (size_t k = 0; k < ts.size(); k++) a.Set(k, Wrap(info, ts[k]));
  return a;
}

// Scopes: every tensor created while a scope is open is released when it closes,
// except those passed to scopeExit (moved to the enclosing scope) or marked keep().
static Napi::Value ScopeEnter(const Napi::CallbackInfo& info) {
  Data(info.Env()).scopes.emplace_back();
  return Napi::Number::New(info.Env(), Data(info.Env()).scopes.size());
}

static Napi::Value ScopeExit(const Napi::CallbackInfo& info) {
  AddonData& d = Data(info.Env());
  if (d.scopes.empty()) throw Napi::Error::New(info.Env(), "scopeExit without a matching scopeEnter");
  std::unordered_set<Slot*> keep;
  if (info.Length() > 0 && info[0].IsArray()) {
    Napi::Array a = info[0].As<Napi::Array>();
    for (uint32_t k = 0; k < a.Length(); k++) {
      Napi::Value v = a.Get(k);
      if (IsTensor(v)) keep.insert(Napi::ObjectWrap<TensorWrap>::Unwrap(v.As<Napi::Object>())->slot.get());
    }
  }
  Scope top = std::move(d.scopes.back());
  d.scopes.pop_back();
  for (SlotPtr& s : top.slots) {
    if (s->kept || !s->t.defined()) continue;
    if (keep.count(s.get())) {
      if (!d.scopes.empty()) d.scopes.back().slots.push_back(s);
    } else {
      Release(info.Env(), *s);
    }
  }
  return info.Env().Undefined();
}

static Napi::Value ScopeDepth(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), Data(info.Env()).scopes.size());
}

static Napi::Value LiveTensors(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), Data(info.Env()).liveTensors);
}

static Napi::Value SetGradEnabled(const Napi::CallbackInfo& info) {
  bool prev = c10::GradMode::is_enabled();
  c10::GradMode::set_enabled(Bool(info, 0, true));
  return Napi::Boolean::New(info.Env(), prev);
}

static Napi::Value IsGradEnabled(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), c10::GradMode::is_enabled());
}

static Napi::Value SetNumThreads(const Napi::CallbackInfo& info) {
  int64_t n = I64(info, 0);
  if (n < 1) throw Napi::RangeError::New(info.Env(), "setNumThreads: need at least 1 thread");
  at::set_num_threads(static_cast<int>(n));
  return info.Env().Undefined();
}

static Napi::Value GetNumThreads(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), at::get_num_threads());
}

static Napi::Value SetNumInteropThreads(const Napi::CallbackInfo& info) {
  int64_t n = I64(info, 0);
  if (n < 1) throw Napi::RangeError::New(info.Env(), "setNumInteropThreads: need at least 1 thread");
  at::set_num_interop_threads(static_cast<int>(n));  // throws once interop work has started
  return info.Env().Undefined();
}

static Napi::Value GetNumInteropThreads(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), at::get_num_interop_threads());
}

// Linux: the kernel sends `signal` to this process when the thread that started it exits, so a
// worker started by a launcher cannot outlive it (0 turns it off).
static Napi::Value SetParentDeathSignal(const Napi::CallbackInfo& info) {
  int64_t sig = I64(info, 0);
  if (sig < 0 || sig > 64) throw Napi::RangeError::New(info.Env(), "setParentDeathSignal: not a signal number");
  if (prctl(PR_SET_PDEATHSIG, static_cast<unsigned long>(sig)) != 0) {
    throw Napi::Error::New(info.Env(), std::string("setParentDeathSignal: ") + std::strerror(errno));
  }
  return info.Env().Undefined();
}

// Returns freed memory to the system: tcmalloc's (when preloaded, as the launcher does) or glibc's.
// Allocators keep freed pages for reuse, so a server's RSS would stay at its busiest moment.
static Napi::Value ReleaseFreeMemory(const Napi::CallbackInfo& info) {
  using Release = void (*)();
  auto tcmalloc = reinterpret_cast<Release>(dlsym(RTLD_DEFAULT, "MallocExtension_ReleaseFreeMemory"));
  if (tcmalloc) tcmalloc();
  else malloc_trim(0);
  return Napi::Boolean::New(info.Env(), tcmalloc != nullptr);
}

static Napi::Value BuildInfo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object o = Napi::Object::New(env);
  o.Set("torchVersion",
        Napi::String::New(env, std::to_string(TORCH_VERSION_MAJOR) + "." + std::to_string(TORCH_VERSION_MINOR) + "." +
                                   std::to_string(TORCH_VERSION_PATCH)));
  o.Set("config", Napi::String::New(env, at::show_config()));
  o.Set("parallel", Napi::String::New(env, at::get_parallel_info()));
  o.Set("mkldnn", Napi::Boolean::New(env, at::hasMKLDNN()));
  return o;
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  env.SetInstanceData<AddonData>(new AddonData());
  TensorWrap::Init(env, exports);
  GL_EXPORT(exports, "scopeEnter", ScopeEnter);
  GL_EXPORT(exports, "scopeExit", ScopeExit);
  GL_EXPORT(exports, "scopeDepth", ScopeDepth);
  GL_EXPORT(exports, "liveTensors", LiveTensors);
  GL_EXPORT(exports, "setGradEnabled", SetGradEnabled);
  GL_EXPORT(exports, "isGradEnabled", IsGradEnabled);
  GL_EXPORT(exports, "setNumThreads", SetNumThreads);
  GL_EXPORT(exports, "getNumThreads", GetNumThreads);
  GL_EXPORT(exports, "setNumInteropThreads", SetNumInteropThreads);
  GL_EXPORT(exports, "getNumInteropThreads", GetNumInteropThreads);
  GL_EXPORT(exports, "buildInfo", BuildInfo);
  GL_EXPORT(exports, "setParentDeathSignal", SetParentDeathSignal);
  GL_EXPORT(exports, "releaseFreeMemory", ReleaseFreeMemory);
  InitCreation(env, exports);
  InitMath(env, exports);
  InitShape(env, exports);
  InitNN(env, exports);
  InitRNN(env, exports);
  InitOptim(env, exports);
  InitBatchNormNhwc(env, exports);
  InitDist(env, exports);
  return exports;
}

}  // namespace gl

static Napi::Object InitAddon(Napi::Env env, Napi::Object exports) { return gl::Init(env, exports); }
NODE_API_MODULE(genrelab_torch, InitAddon)
