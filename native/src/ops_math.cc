// Elementwise math, comparisons, matrix products, reductions, softmax and losses.
#include "common.h"

namespace gl {

static at::Scalar Num(const Napi::CallbackInfo& info, size_t i) { return at::Scalar(F64(info, i)); }

// Binary ops take a Tensor or a number as their second operand.
#define GL_BINARY(Name, op)                                                              \
  static Napi::Value Name(const Napi::CallbackInfo& info) {                              \
    at::Tensor& a = T(info, 0);                                                          \
    if (info.Length() > 1 && info[1].IsNumber()) return Wrap(info, op(a, Num(info, 1))); \
    return Wrap(info, op(a, T(info, 1)));                                                \
  }
GL_BINARY(Add, at::add)
GL_BINARY(Sub, at::sub)
GL_BINARY(Mul, at::mul)
GL_BINARY(Div, at::div)
GL_BINARY(Pow, at::pow)
GL_BINARY(Eq, at::eq)
GL_BINARY(Ne, at::ne)
GL_BINARY(Lt, at::lt)
GL_BINARY(Le, at::le)
GL_BINARY(Gt, at::gt)
GL_BINARY(Ge, at::ge)
GL_BINARY(Remainder, at::remainder)
#undef GL_BINARY

static Napi::Value Maximum(const Napi::CallbackInfo& info) { return Wrap(info, at::maximum(T(info, 0), T(info, 1))); }
static Napi::Value Minimum(const Napi::CallbackInfo& info) { return Wrap(info, at::minimum(T(info, 0), T(info, 1))); }
static Napi::Value Atan2(const Napi::CallbackInfo& info) { return Wrap(info, at::atan2(T(info, 0), T(info, 1))); }

#define GL_UNARY(Name, op) \
  static Napi::Value Name(const Napi::CallbackInfo& info) { return Wrap(info, op(T(info, 0))); }
GL_UNARY(Neg, at::neg)
GL_UNARY(Abs, at::abs)
GL_UNARY(Exp, at::exp)
GL_UNARY(Log, at::log)
GL_UNARY(Log10, at::log10)
GL_UNARY(Log1p, at::log1p)
GL_UNARY(Expm1, at::expm1)
GL_UNARY(Sqrt, at::sqrt)
GL_UNARY(Rsqrt, at::rsqrt)
GL_UNARY(Square, at::square)
GL_UNARY(Reciprocal, at::reciprocal)
GL_UNARY(Sin, at::sin)
GL_UNARY(Cos, at::cos)
GL_UNARY(Tanh, at::tanh)
GL_UNARY(Sigmoid, at::sigmoid)
GL_UNARY(Relu, at::relu)
GL_UNARY(Gelu, at::gelu)
GL_UNARY(Sign, at::sign)
GL_UNARY(Floor, at::floor)
GL_UNARY(Ceil, at::ceil)
GL_UNARY(Round, at::round)
GL_UNARY(IsFinite, at::isfinite)
GL_UNARY(IsNan, at::isnan)
GL_UNARY(LogicalNot, at::logical_not)
#undef GL_UNARY

static Napi::Value LeakyRelu(const Napi::CallbackInfo& info) {
  return Wrap(info, at::leaky_relu(T(info, 0), info.Length() > 1 ? F64(info, 1) : 0.01));
}
static Napi::Value Clamp(const Napi::CallbackInfo& info) {
  c10::optional<at::Scalar> lo, hi;
  if (auto v = OptF64(info, 1)) lo = *v;
  if (auto v = OptF64(info, 2)) hi = *v;
  return Wrap(info, at::clamp(T(info, 0), lo, hi));
}
static Napi::Value Where(const Napi::CallbackInfo& info) {
  return Wrap(info, at::where(T(info, 0), T(info, 1), T(info, 2)));
}
static Napi::Value Matmul(const Napi::CallbackInfo& info) { return Wrap(info, at::matmul(T(info, 0), T(info, 1))); }
static Napi::Value Linear(const Napi::CallbackInfo& info) {
  return Wrap(info, at::linear(T(info, 0), T(info, 1), OptT(info, 2)));
}

// Reductions: (x, dims?, keepdim?) with dims a number, an array, or absent for all.
static at::OptionalIntArrayRef Dims(const Napi::CallbackInfo& info, size_t i, std::vector<int64_t>& store) {
  if (i >= info.Length() || info[i].IsUndefined() || info[i].IsNull()) return c10::nullopt;
  store = IntList(info, i);
  return at::IntArrayRef(store);
}
static Napi::Value Sum(const Napi::CallbackInfo& info) {
  std::vector<int64_t> d;
  return Wrap(info, at::sum(T(info, 0), Dims(info, 1, d), Bool(info, 2, false)));
}
static Napi::Value Mean(const Napi::CallbackInfo& info) {
  std::vector<int64_t> d;
  return Wrap(info, at::mean(T(info, 0), Dims(info, 1, d), Bool(info, 2, false)));
}
static Napi::Value Amax(const Napi::CallbackInfo& info) {
  std::vector<int64_t> d;
  auto dims = Dims(info, 1, d);
  return Wrap(info, at::amax(T(info, 0), dims ? *dims : at::IntArrayRef{}, Bool(info, 2, false)));
}
static Napi::Value Amin(const Napi::CallbackInfo& info) {
  std::vector<int64_t> d;
  auto dims = Dims(info, 1, d);
  return Wrap(info, at::amin(T(info, 0), dims ? *dims : at::IntArrayRef{}, Bool(info, 2, false)));
}
static Napi::Value Var(const Napi::CallbackInfo& info) {
  std::vector<int64_t> d;
  return Wrap(info, at::var(T(info, 0), Dims(info, 1, d), Bool(info, 2, true), Bool(info, 3, false)));
}
static Napi::Value Std(const Napi::CallbackInfo& info) {
  std::vector<int64_t> d;
  return Wrap(info, at::std(T(info, 0), Dims(info, 1, d), Bool(info, 2, true), Bool(info, 3, false)));
}
static Napi::Value Norm(const Napi::CallbackInfo& info) {
  return Wrap(info, at::norm(T(info, 0), info.Length() > 1 ? F64(info, 1) : 2.0));
}
static Napi::Value Argmax(const Napi::CallbackInfo& info) {
  return Wrap(info, at::argmax(T(info, 0), OptI64(info, 1), Bool(info, 2, false)));
}
static Napi::Value Argmin(const Napi::CallbackInfo& info) {
  return Wrap(info, at::argmin(T(info, 0), OptI64(info, 1), Bool(info, 2, false)));
}
static Napi::Value All(const Napi::CallbackInfo& info) { return Wrap(info, at::all(T(info, 0))); }
static Napi::Value Any(const Napi::CallbackInfo& info) { return Wrap(info, at::any(T(info, 0))); }
static Napi::Value Cumsum(const Napi::CallbackInfo& info) { return Wrap(info, at::cumsum(T(info, 0), I64(info, 1))); }
static Napi::Value Topk(const Napi::CallbackInfo& info) {
  auto r = at::topk(T(info, 0), I64(info, 1), info.Length() > 2 ? I64(info, 2) : -1);
  return WrapList(info, {std::get<0>(r), std::get<1>(r)});
}

static Napi::Value Softmax(const Napi::CallbackInfo& info) { return Wrap(info, at::softmax(T(info, 0), I64(info, 1))); }
static Napi::Value LogSoftmax(const Napi::CallbackInfo& info) {
  return Wrap(info, at::log_softmax(T(info, 0), I64(info, 1)));
}

static int64_t Reduction(const Napi::CallbackInfo& info, size_t i) {
  std::string r = Str(info, i, "mean");
  if (r == "mean") return at::Reduction::Mean;
  if (r == "sum") return at::Reduction::Sum;
  if (r == "none") return at::Reduction::None;
  throw Napi::Error::New(info.Env(), "reduction must be 'mean', 'sum' or 'none', got '" + r + "'");
}

// crossEntropy(logits, target, reduction?, labelSmoothing?, weight?) — logits are raw scores.
static Napi::Value CrossEntropy(const Napi::CallbackInfo& info) {
  return Wrap(info, at::cross_entropy_loss(T(info, 0), T(info, 1), OptT(info, 4), Reduction(info, 2), -100,
                                           info.Length() > 3 && info[3].IsNumber() ? F64(info, 3) : 0.0));
}
static Napi::Value NllLoss(const Napi::CallbackInfo& info) {
  return Wrap(info, at::nll_loss(T(info, 0), T(info, 1), OptT(info, 3), Reduction(info, 2)));
}
static Napi::Value MseLoss(const Napi::CallbackInfo& info) {
  return Wrap(info, at::mse_loss(T(info, 0), T(info, 1), Reduction(info, 2)));
}
static Napi::Value L1Loss(const Napi::CallbackInfo& info) {
  return Wrap(info, at::l1_loss(T(info, 0), T(info, 1), Reduction(info, 2)));
}
static Napi::Value Dropout(const Napi::CallbackInfo& info) {
  return Wrap(info, at::dropout(T(info, 0), F64(info, 1), Bool(info, 2, true)));
}

void InitMath(Napi::Env env, Napi::Object e) {
  GL_EXPORT(e, "add", Add);
  GL_EXPORT(e, "sub", Sub);
  GL_EXPORT(e, "mul", Mul);
  GL_EXPORT(e, "div", Div);
  GL_EXPORT(e, "pow", Pow);
  GL_EXPORT(e, "remainder", Remainder);
  GL_EXPORT(e, "eq", Eq);
  GL_EXPORT(e, "ne", Ne);
  GL_EXPORT(e, "lt", Lt);
  GL_EXPORT(e, "le", Le);
  GL_EXPORT(e, "gt", Gt);
  GL_EXPORT(e, "ge", Ge);
  GL_EXPORT(e, "maximum", Maximum);
  GL_EXPORT(e, "minimum", Minimum);
  GL_EXPORT(e, "atan2", Atan2);
  GL_EXPORT(e, "neg", Neg);
  GL_EXPORT(e, "abs", Abs);
  GL_EXPORT(e, "exp", Exp);
  GL_EXPORT(e, "log", Log);
  GL_EXPORT(e, "log10", Log10);
  GL_EXPORT(e, "log1p", Log1p);
  GL_EXPORT(e, "expm1", Expm1);
  GL_EXPORT(e, "sqrt", Sqrt);
  GL_EXPORT(e, "rsqrt", Rsqrt);
  GL_EXPORT(e, "square", Square);
  GL_EXPORT(e, "reciprocal", Reciprocal);
  GL_EXPORT(e, "sin", Sin);
  GL_EXPORT(e, "cos", Cos);
  GL_EXPORT(e, "tanh", Tanh);
  GL_EXPORT(e, "sigmoid", Sigmoid);
  GL_EXPORT(e, "relu", Relu);
  GL_EXPORT(e, "gelu", Gelu);
  GL_EXPORT(e, "leakyRelu", LeakyRelu);
  GL_EXPORT(e, "sign", Sign);
  GL_EXPORT(e, "floor", Floor);
  GL_EXPORT(e, "ceil", Ceil);
  GL_EXPORT(e, "round", Round);
  GL_EXPORT(e, "isfinite", IsFinite);
  GL_EXPORT(e, "isnan", IsNan);
  GL_EXPORT(e, "logicalNot", LogicalNot);
  GL_EXPORT(e, "clamp", Clamp);
  GL_EXPORT(e, "where", Where);
  GL_EXPORT(e, "matmul", Matmul);
  GL_EXPORT(e, "linear", Linear);
  GL_EXPORT(e, "sum", Sum);
  GL_EXPORT(e, "mean", Mean);
  GL_EXPORT(e, "amax", Amax);
  GL_EXPORT(e, "amin", Amin);
  GL_EXPORT(e, "var", Var);
  GL_EXPORT(e, "std", Std);
  GL_EXPORT(e, "norm", Norm);
  GL_EXPORT(e, "argmax", Argmax);
  GL_EXPORT(e, "argmin", Argmin);
  GL_EXPORT(e, "all", All);
  GL_EXPORT(e, "any", Any);
  GL_EXPORT(e, "cumsum", Cumsum);
  GL_EXPORT(e, "topk", Topk);
  GL_EXPORT(e, "softmax", Softmax);
  GL_EXPORT(e, "logSoftmax", LogSoftmax);
  GL_EXPORT(e, "crossEntropy", CrossEntropy);
  GL_EXPORT(e, "nllLoss", NllLoss);
  GL_EXPORT(e, "mseLoss", MseLoss);
  GL_EXPORT(e, "l1Loss", L1Loss);
  GL_EXPORT(e, "dropout", Dropout);
}

}  // namespace gl
