// The Tensor wrapper: lifetime (dispose, scopes, external memory), metadata and data transfer.

#include <cstring>

#include "common.h"

namespace gl {

#define GL_TRY try {
#define GL_CATCH(env)                                        \
  }                                                          \
  catch (const Napi::Error&) {                               \
    throw;                                                   \
  }                                                          \
  catch (const c10::Error& e) {                              \
    throw Napi::Error::New(env, e.what_without_backtrace()); \
  }                                                          \
  catch (const std::exception& e) {                          \
    throw Napi::Error::New(env, e.what());                   \
  }

AddonData& Data(Napi::Env env) { return *env.GetInstanceData<AddonData>(); }

static int64_t OwnedBytes(const at::Tensor& t) {
  // Views share their base's storage: count memory once, at the owner.
  if (!t.defined() || t.is_view() || !t.has_storage()) return 0;
  return static_cast<int64_t>(t.storage().nbytes());
}

void Release(Napi::Env env, Slot& slot) {
  if (!slot.t.defined()) return;
  slot.t.reset();
  Data(env).liveTensors--;
  if (slot.reported) Napi::MemoryManagement::AdjustExternalMemory(env, -slot.reported);
  slot.reported = 0;
}

void TensorWrap::Init(Napi::Env env, Napi::Object exports) {
  Napi::Function ctor =
      DefineClass(env, "Tensor",
                  {
                      InstanceAccessor<&TensorWrap::Shape>("shape"),
                      InstanceAccessor<&TensorWrap::Dtype>("dtype"),
                      InstanceAccessor<&TensorWrap::Numel>("numel"),
                      InstanceAccessor<&TensorWrap::Dim>("ndim"),
                      InstanceAccessor<&TensorWrap::RequiresGrad, &TensorWrap::SetRequiresGrad>("requiresGrad"),
                      InstanceAccessor<&TensorWrap::Grad>("grad"),
                      InstanceAccessor<&TensorWrap::IsLeaf>("isLeaf"),
                      InstanceAccessor<&TensorWrap::IsDisposed>("isDisposed"),
                      InstanceMethod<&TensorWrap::Dispose>("dispose"),
                      InstanceMethod<&TensorWrap::Keep>("keep"),
                      InstanceMethod<&TensorWrap::Backward>("backward"),
                      InstanceMethod<&TensorWrap::ZeroGrad>("zeroGrad"),
                      InstanceMethod<&TensorWrap::ToTypedArray>("toTypedArray"),
                      InstanceMethod<&TensorWrap::Item>("item"),
                      InstanceMethod<&TensorWrap::ToString>("toString"),
                      InstanceMethod<&TensorWrap::CopyFrom>("copy_"),
                      InstanceMethod<&TensorWrap::SetData>("setData_"),
                  });
  Data(env).tensorCtor = Napi::Persistent(ctor);
  exports.Set("Tensor", ctor);
}

Napi::Value TensorWrap::New(Napi::Env env, at::Tensor t) {
  AddonData& d = Data(env);
  Napi::Object obj = d.tensorCtor.New({Napi::External<void>::New(env, nullptr)});
  TensorWrap* w = Unwrap(obj);
  w->slot->t = std::move(t);
  d.liveTensors++;
  w->slot->reported = OwnedBytes(w->slot->t);
  if (w->slot->reported) Napi::MemoryManagement::AdjustExternalMemory(env, w->slot->reported);
  if (!d.scopes.empty()) d.scopes.back().slots.push_back(w->slot);
  return obj;
}

TensorWrap::TensorWrap(const Napi::CallbackInfo& info)
    : Napi::ObjectWrap<TensorWrap>(info), slot(std::make_shared<Slot>()) {
  if (info.Length() != 1 || !info[0].IsExternal())
    throw Napi::TypeError::New(info.Env(), "Tensor cannot be constructed directly; use tensor(), zeros(), ...");
}

TensorWrap::~TensorWrap() {
  // The JS object is gone, so nobody can reach this handle any more.
  if (slot->t.defined()) Release(Env(), *slot);
}

at::Tensor& TensorWrap::Get() {
  if (!slot->t.defined())
    throw Napi::Error::New(Env(), "Tensor was disposed (used after dispose() or outside its scope)");
  return slot->t;
}

Napi::Value TensorWrap::Shape(const Napi::CallbackInfo& info) {
  auto sizes = Get().sizes();
  Napi::Array a = Napi::Array::New(info.Env(), sizes.size());
  for (size_t i = 0; i < sizes.size(); i++) a.Set(i, Napi::Number::New(info.Env(), sizes[i]));
  return a;
}
Napi::Value TensorWrap::Dtype(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), DtypeName(Get().scalar_type()));
}
Napi::Value TensorWrap::Numel(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), Get().numel()); }
Napi::Value TensorWrap::Dim(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), Get().dim()); }
Napi::Value TensorWrap::RequiresGrad(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), Get().requires_grad());
}
void TensorWrap::SetRequiresGrad(const Napi::CallbackInfo& info, const Napi::Value& v) {
  GL_TRY Get().requires_grad_(v.ToBoolean().Value());
  GL_CATCH(info.Env())
}
Napi::Value TensorWrap::Grad(const Napi::CallbackInfo& info) {
  const at::Tensor& g = Get().grad();
  if (!g.defined()) return info.Env().Undefined();
  return New(info.Env(), g);
}
Napi::Value TensorWrap::IsLeaf(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), Get().is_leaf());
}
Napi::Value TensorWrap::IsDisposed(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), !slot->t.defined());
}
Napi::Value TensorWrap::Dispose(const Napi::CallbackInfo& info) {
  Release(info.Env(), *slot);
  return info.Env().Undefined();
}
Napi::Value TensorWrap::Keep(const Napi::CallbackInfo& info) {
  Get();
  slot->kept = true;
  return info.This();
}
Napi::Value TensorWrap::Backward(const Napi::CallbackInfo& info) {
  GL_TRY
  c10::optional<at::Tensor> g = OptT(info, 0);
  bool retain = Bool(info, 1, false);
  Get().backward(g ? *g : at::Tensor(), retain);
  return info.Env().Undefined();
  GL_CATCH(info.Env())
}
Napi::Value TensorWrap::ZeroGrad(const Napi::CallbackInfo& info) {
  GL_TRY
  Get().mutable_grad().reset();
  return info.Env().Undefined();
  GL_CATCH(info.Env())
}

Napi::Value TensorWrap::ToTypedArray(const Napi::CallbackInfo& info) {
  GL_TRY
  Napi::Env env = info.Env();
  at::Tensor t = Get().detach().contiguous();
  size_t n = static_cast<size_t>(t.numel());
  auto copy = [&](auto arr, size_t bytes) {
    if (bytes) std::memcpy(arr.Data(), t.data_ptr(), bytes);
    return arr;
  };
  switch (t.scalar_type()) {
    case at::kFloat: return copy(Napi::Float32Array::New(env, n), n * 4);
    case at::kDouble: return copy(Napi::Float64Array::New(env, n), n * 8);
    case at::kLong: return copy(Napi::BigInt64Array::New(env, n), n * 8);
    case at::kInt: return copy(Napi::Int32Array::New(env, n), n * 4);
    case at::kShort: return copy(Napi::Int16Array::New(env, n), n * 2);
    case at::kBool:
    case at::kByte: return copy(Napi::Uint8Array::New(env, n), n);
    default: throw Napi::TypeError::New(env, "toTypedArray: unsupported dtype " + DtypeName(t.scalar_type()));
  }
  GL_CATCH(info.Env())
}

Napi::Value TensorWrap::Item(const Napi::CallbackInfo& info) {
  GL_TRY
  at::Tensor& t = Get();
  if (t.numel() != 1)
    throw Napi::Error::New(info.Env(), "item(): tensor has " + std::to_string(t.numel()) + " elements, expected 1");
  if (t.scalar_type() == at::kBool) return Napi::Boolean::New(info.Env(), t.item<bool>());
  return Napi::Number::New(info.Env(), t.item<double>());
  GL_CATCH(info.Env())
}

Napi::Value TensorWrap::ToString(const Napi::CallbackInfo& info) {
  if (!slot->t.defined()) return Napi::String::New(info.Env(), "Tensor(disposed)");
  std::string s = "Tensor(shape=[";
  auto sizes = slot->t.sizes();
  for (size_t i = 0; i < sizes.size(); i++) s += (i ? ", " : "") + std::to_string(sizes[i]);
  s += "], dtype=" + DtypeName(slot->t.scalar_type()) + (slot->t.requires_grad() ? ", requiresGrad" : "") + ")";
  return Napi::String::New(info.Env(), s);
}

// In-place copy without autograd: how optimizers' and loaders' writes into parameters are done.
Napi::Value TensorWrap::CopyFrom(const Napi::CallbackInfo& info) {
  GL_TRY
  at::NoGradGuard guard;
  Get().copy_(T(info, 0));
  return info.This();
  GL_CATCH(info.Env())
}

// Replaces the storage behind this tensor, keeping its identity (PyTorch's `param.data = other`):
// how a module moves its parameters to another memory format without breaking references to them.
Napi::Value TensorWrap::SetData(const Napi::CallbackInfo& info) {
  GL_TRY
  Get().set_data(T(info, 0));
  return info.This();
  GL_CATCH(info.Env())
}

}  // namespace gl
