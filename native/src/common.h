// Shared plumbing of the addon: the Tensor wrapper, scopes, argument helpers and error guard.
// The addon is a thin, generic map of ATen; it knows nothing of audio or music.
#pragma once
#include <ATen/ATen.h>
#include <napi.h>

#include <memory>
#include <string>
#include <vector>

namespace gl {

// A tensor handle. JS objects and scopes share it; releasing it drops our reference to the
// ATen tensor (which frees the memory once autograd no longer needs it).
struct Slot {
  at::Tensor t;
  int64_t reported = 0;  // bytes reported to V8 as external memory
  bool kept = false;     // never released by a scope
};
using SlotPtr = std::shared_ptr<Slot>;

struct Scope {
  std::vector<SlotPtr> slots;
};

// Per-environment state, so the addon also works inside worker threads.
struct AddonData {
  Napi::FunctionReference tensorCtor;
  std::vector<Scope> scopes;
  int64_t liveTensors = 0;
};

AddonData& Data(Napi::Env env);
void Release(Napi::Env env, Slot& slot);

class TensorWrap : public Napi::ObjectWrap<TensorWrap> {
 public:
  static void Init(Napi::Env env, Napi::Object exports);
  static Napi::Value New(Napi::Env env, at::Tensor t);
  explicit TensorWrap(const Napi::CallbackInfo& info);
  ~TensorWrap() override;
  SlotPtr slot;

 private:
  at::Tensor& Get();
  Napi::Value Shape(const Napi::CallbackInfo& info);
  Napi::Value Dtype(const Napi::CallbackInfo& info);
  Napi::Value Numel(const Napi::CallbackInfo& info);
  Napi::Value Dim(const Napi::CallbackInfo& info);
  Napi::Value RequiresGrad(const Napi::CallbackInfo& info);
  void SetRequiresGrad(const Napi::CallbackInfo& info, const Napi::Value& v);
  Napi::Value Grad(const Napi::CallbackInfo& info);
  Napi::Value IsLeaf(const Napi::CallbackInfo& info);
  Napi::Value IsDisposed(const Napi::CallbackInfo& info);
  Napi::Value Dispose(const Napi::CallbackInfo& info);
  Napi::Value Keep(const Napi::CallbackInfo& info);
  Napi::Value Backward(const Napi::CallbackInfo& info);
  Napi::Value ZeroGrad(const Napi::CallbackInfo& info);
  Napi::Value ToTypedArray(const Napi::CallbackInfo& info);
  Napi::Value Item(const Napi::CallbackInfo& info);
  Napi::Value ToString(const Napi::CallbackInfo& info);
  Napi::Value CopyFrom(const Napi::CallbackInfo& info);
  Napi::Value SetData(const Napi::CallbackInfo& info);
};

// Argument helpers: each throws a clear JS error naming the argument.
at::Tensor& T(const Napi::CallbackInfo& info, size_t i);
c10::optional<at::Tensor> OptT(const Napi::CallbackInfo& info, size_t i);
std::vector<at::Tensor> TList(const Napi::CallbackInfo& info, size_t i);
int64_t I64(const Napi::CallbackInfo& info, size_t i);
c10::optional<int64_t> OptI64(const Napi::CallbackInfo& info, size_t i);
double F64(const Napi::CallbackInfo& info, size_t i);
c10::optional<double> OptF64(const Napi::CallbackInfo& info, size_t i);
bool Bool(const Napi::CallbackInfo& info, size_t i, bool fallback);
std::string Str(const Napi::CallbackInfo& info, size_t i, const char* fallback);
std::vector<int64_t> IntList(const Napi::CallbackInfo& info, size_t i);
at::ScalarType Dtype(const std::string& name);
std::string DtypeName(at::ScalarType t);
bool IsTensor(const Napi::Value& v);

inline Napi::Value Wrap(const Napi::CallbackInfo& info, at::Tensor t) {
  return TensorWrap::New(info.Env(), std::move(t));
}
Napi::Value WrapList(const Napi::CallbackInfo& info, const std::vector<at::Tensor>& ts);

// Runs f, turning every libtorch or std exception into a JS Error carrying its message.
template <typename F>
auto Checked(Napi::Env env, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const Napi::Error&) {
    throw;
  } catch (const c10::Error& e) {
    throw Napi::Error::New(env, e.what_without_backtrace());
  } catch (const std::exception& e) {
    throw Napi::Error::New(env, e.what());
  }
}

// An exported function under Checked.
template <Napi::Value (*F)(const Napi::CallbackInfo&)>
Napi::Value Guard(const Napi::CallbackInfo& info) {
  return Checked(info.Env(), [&] { return F(info); });
}

#define GL_EXPORT(exports, name, fn) (exports).Set(name, Napi::Function::New((exports).Env(), ::gl::Guard<fn>, name))

void InitCreation(Napi::Env env, Napi::Object exports);
void InitMath(Napi::Env env, Napi::Object exports);
void InitShape(Napi::Env env, Napi::Object exports);
void InitNN(Napi::Env env, Napi::Object exports);
void InitRNN(Napi::Env env, Napi::Object exports);
void InitOptim(Napi::Env env, Napi::Object exports);
void InitBatchNormNhwc(Napi::Env env, Napi::Object exports);
void InitDist(Napi::Env env, Napi::Object exports);

}  // namespace gl
