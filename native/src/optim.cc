// libtorch's own Adam and AdamW, with their per-parameter state readable and writable from JS
// (so checkpoints can hold it as plain tensors).
#include <torch/optim/adam.h>
#include <torch/optim/adamw.h>

#include "common.h"

namespace gl {

class OptimizerWrap : public Napi::ObjectWrap<OptimizerWrap> {
 public:
  static void Init(Napi::Env env, Napi::Object exports) {
    Napi::Function ctor = DefineClass(env, "Optimizer",
                                      {
                                          InstanceMethod<&OptimizerWrap::Step>("step"),
                                          InstanceMethod<&OptimizerWrap::ZeroGrad>("zeroGrad"),
                                          InstanceAccessor<&OptimizerWrap::GetLr, &OptimizerWrap::SetLr>("lr"),
                                          InstanceMethod<&OptimizerWrap::GetState>("getState"),
                                          InstanceMethod<&OptimizerWrap::SetState>("setState"),
                                      });
    exports.Set("Optimizer", ctor);
  }

  // new Optimizer(kind: "adam"|"adamw", params: Tensor[], {lr, beta1, beta2, eps, weightDecay, amsgrad})
  explicit OptimizerWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<OptimizerWrap>(info) {
    Checked(info.Env(), [&] {
      kind_ = Str(info, 0, nullptr);
      params_ = TList(info, 1);
      Napi::Object o =
          info.Length() > 2 && info[2].IsObject() ? info[2].As<Napi::Object>() : Napi::Object::New(info.Env());
      auto num = [&](const char* k, double d) {
        return o.Has(k) && o.Get(k).IsNumber() ? o.Get(k).As<Napi::Number>().DoubleValue() : d;
      };
      bool amsgrad = o.Has("amsgrad") && o.Get("amsgrad").ToBoolean().Value();
      if (kind_ == "adam") {
        opt_ = std::make_unique<torch::optim::Adam>(params_, torch::optim::AdamOptions(num("lr", 1e-3))
                                                                 .betas({num("beta1", 0.9), num("beta2", 0.999)})
                                                                 .eps(num("eps", 1e-8))
                                                                 .weight_decay(num("weightDecay", 0))
                                                                 .amsgrad(amsgrad));
      } else if (kind_ == "adamw") {
        opt_ = std::make_unique<torch::optim::AdamW>(params_, torch::optim::AdamWOptions(num("lr", 1e-3))
                                                                  .betas({num("beta1", 0.9), num("beta2", 0.999)})
                                                                  .eps(num("eps", 1e-8))
                                                                  .weight_decay(num("weightDecay", 1e-2))
                                                                  .amsgrad(amsgrad));
      } else {
        throw std::invalid_argument("unknown optimizer '" + kind_ + "' (adam, adamw)");
      }
    });
  }

 private:
  template <typename State>
  State* StateOf(const at::Tensor& p) {
    auto& st = opt_->state();
    auto it = st.find(c10::guts::to_string(p.unsafeGetTensorImpl()));
    return it == st.end() ? nullptr : static_cast<State*>(it->second.get());
  }

  Napi::Value Step(const Napi::CallbackInfo& info) {
    try {
      opt_->step();
    } catch (const c10::Error& e) {
      throw Napi::Error::New(info.Env(), e.what_without_backtrace());
    }
    return info.Env().Undefined();
  }
  Napi::Value ZeroGrad(const Napi::CallbackInfo& info) {
    for (auto& p : params_) p.mutable_grad().reset();  // set_to_none, as PyTorch >= 2.0 does by default
    return info.Env().Undefined();
  }
  Napi::Value GetLr(const Napi::CallbackInfo& info) {
    return Napi::Number::New(info.Env(), opt_->param_groups()[0].options().get_lr());
  }
  void SetLr(const Napi::CallbackInfo& info, const Napi::Value& v) {
    if (!v.IsNumber() || v.As<Napi::Number>().DoubleValue() <= 0)
      throw Napi::RangeError::New(info.Env(), "lr must be a positive number");
    for (auto& g : opt_->param_groups()) g.options().set_lr(v.As<Napi::Number>().DoubleValue());
  }

  template <typename State>
  Napi::Value GetStateT(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    Napi::Array out = Napi::Array::New(env, params_.size());
    for (size_t i = 0; i < params_.size(); i++) {
      State* s = StateOf<State>(params_[i]);
      if (!s) {
        out.Set(i, env.Null());
        continue;
      }
      Napi::Object o = Napi::Object::New(env);
      o.Set("step", Napi::Number::New(env, static_cast<double>(s->step())));
      o.Set("expAvg", Wrap(info, s->exp_avg().clone()));
      o.Set("expAvgSq", Wrap(info, s->exp_avg_sq().clone()));
      if (s->max_exp_avg_sq().defined()) o.Set("maxExpAvgSq", Wrap(info, s->max_exp_avg_sq().clone()));
      out.Set(i, o);
    }
    return out;
  }
  Napi::Value GetState(const Napi::CallbackInfo& info) {
    return kind_ == "adam" ? GetStateT<torch::optim::AdamParamState>(info)
                           : GetStateT<torch::optim::AdamWParamState>(info);
  }

  template <typename State>
  void SetStateT(const Napi::CallbackInfo& info) {
    if (info.Length() < 1 || !info[0].IsArray()) throw Napi::TypeError::New(info.Env(), "setState: expected an array");
    Napi::Array a = info[0].As<Napi::Array>();
    if (a.Length() != params_.size())
      throw Napi::Error::New(info.Env(), "setState: " + std::to_string(a.Length()) + " entries for " +
                                             std::to_string(params_.size()) + " parameters");
    auto tensorAt = [&](Napi::Object o, const char* k, const at::Tensor& like) -> at::Tensor {
      Napi::Value v = o.Get(k);
      if (!IsTensor(v)) throw Napi::TypeError::New(info.Env(), std::string("setState: missing tensor ") + k);
      at::Tensor t = Napi::ObjectWrap<TensorWrap>::Unwrap(v.As<Napi::Object>())->slot->t;
      if (!t.defined() || t.sizes() != like.sizes())
        throw Napi::Error::New(info.Env(), std::string("setState: ") + k + " has the wrong shape");
      return t.detach().clone().to(like.scalar_type());
    };
    auto& st = opt_->state();
    for (size_t i = 0; i < params_.size(); i++) {
      std::string key = c10::guts::to_string(params_[i].unsafeGetTensorImpl());
      Napi::Value v = a.Get(i);
      if (v.IsNull() || v.IsUndefined()) {
        st.erase(key);
        continue;
      }
      Napi::Object o = v.As<Napi::Object>();
      auto s = std::make_unique<State>();
      s->step(static_cast<int64_t>(o.Get("step").As<Napi::Number>().DoubleValue()));
      s->exp_avg(tensorAt(o, "expAvg", params_[i]));
      s->exp_avg_sq(tensorAt(o, "expAvgSq", params_[i]));
      if (IsTensor(o.Get("maxExpAvgSq"))) s->max_exp_avg_sq(tensorAt(o, "maxExpAvgSq", params_[i]));
      st[key] = std::move(s);
    }
  }
  Napi::Value SetState(const Napi::CallbackInfo& info) {
    if (kind_ == "adam") SetStateT<torch::optim::AdamParamState>(info);
    else SetStateT<torch::optim::AdamWParamState>(info);
    return info.Env().Undefined();
  }

  std::string kind_;
  std::vector<at::Tensor> params_;
  std::unique_ptr<torch::optim::Optimizer> opt_;
};

void InitOptim(Napi::Env env, Napi::Object exports) { OptimizerWrap::Init(env, exports); }

}  // namespace gl
