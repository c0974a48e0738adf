// PyTorch's own CPU collectives: a c10d ProcessGroupGloo joined through a TCPStore rendezvous (rank 0
// serves the store), as torch.distributed's "gloo" backend does. Generic: collectives on tensors.
// Every call blocks until the collective completes or times out; failures (a peer gone, a timeout,
// a refused connection) become JS errors carrying c10d's message.
#include <torch/csrc/autograd/custom_function.h>

#include <chrono>
#include <mutex>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#include <unordered_map>

#include "common.h"

namespace gl {

namespace {

using Group = c10::intrusive_ptr<c10d::ProcessGroupGloo>;

// Live groups by id: an autograd node can hold only plain values, so a graph names its group by id,
// and a backward pass after the group was destroyed is an error rather than a dangling pointer.
std::mutex groups_mu;
std::unordered_map<int64_t, Group> groups;
int64_t next_group = 1;

Group Lookup(int64_t id) {
  std::lock_guard<std::mutex> lock(groups_mu);
  auto it = groups.find(id);
  if (it == groups.end()) throw std::runtime_error("the process group of this graph was destroyed");
  return it->second;
}

void SumInPlace(c10d::ProcessGroupGloo& pg, at::Tensor& t) {
  std::vector<at::Tensor> ts{t};
  c10d::AllreduceOptions o;
  o.reduceOp = c10d::ReduceOp::SUM;
  pg.allreduce(ts, o)->wait();
}

// The sum of a tensor over all ranks, differentiable: each rank's input gradient is the sum of every
// rank's output gradient (torch.distributed.nn.functional.all_reduce), which is what a statistic
// shared by all ranks needs, such as synchronised batch norm's.
struct SumAcrossRanksFn : public torch::autograd::Function<SumAcrossRanksFn> {
  static at::Tensor forward(torch::autograd::AutogradContext* ctx, const at::Tensor& x, int64_t group) {
    ctx->saved_data["group"] = group;
    at::Tensor y = x.contiguous().clone();
    SumInPlace(*Lookup(group), y);
    return y;
  }
  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::variable_list grads) {
    at::Tensor g = grads[0].contiguous().clone();
    SumInPlace(*Lookup(ctx->saved_data["group"].toInt()), g);
    return {g, at::Tensor()};
  }
};

}  // namespace

class ProcessGroupWrap : public Napi::ObjectWrap<ProcessGroupWrap> {
 public:
  static void Init(Napi::Env env, Napi::Object exports) {
    Napi::Function ctor = DefineClass(env, "ProcessGroup",
                                      {
                                          InstanceMethod<&ProcessGroupWrap::AllReduce>("allReduce"),
                                          InstanceMethod<&ProcessGroupWrap::SumAcrossRanks>("sumAcrossRanks"),
                                          InstanceMethod<&ProcessGroupWrap::Broadcast>("broadcast"),
                                          InstanceMethod<&ProcessGroupWrap::Barrier>("barrier"),
                                          InstanceMethod<&ProcessGroupWrap::Destroy>("destroy"),
                                      });
    exports.Set("ProcessGroup", ctor);
  }

  // new ProcessGroup({host, port, worldSize, rank, timeoutMs, iface?, bind?}): host:port is rank 0's
  // store; the collectives run over a device on `iface` (an interface name), else on `bind` (this
  // machine's address), else on the address of this machine's hostname.
  explicit ProcessGroupWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<ProcessGroupWrap>(info) {
    Checked(info.Env(), [&] {
      if (info.Length() < 1 || !info[0].IsObject()) throw std::invalid_argument("expected an options object");
      Napi::Object o = info[0].As<Napi::Object>();
      auto str = [&](const char* k) {
        return o.Has(k) && o.Get(k).IsString() ? o.Get(k).As<Napi::String>().Utf8Value() : std::string();
      };
      auto num = [&](const char* k) {
        if (!o.Has(k) || !o.Get(k).IsNumber())
          throw std::invalid_argument(std::string("option ") + k + ": expected a number");
        return o.Get(k).As<Napi::Number>().Int64Value();
      };
      const int64_t size = num("worldSize"), rank = num("rank"), port = num("port"), ms = num("timeoutMs");
      if (size < 1 || rank < 0 || rank >= size) throw std::invalid_argument("rank must be in 0..worldSize-1");
      if (port < 1 || port > 65535) throw std::invalid_argument("port must be in 1..65535");
      const auto timeout = std::chrono::milliseconds(ms);
      c10d::TCPStoreOptions so;
      so.port = static_cast<uint16_t>(port);
      so.isServer = rank == 0;
      so.numWorkers = static_cast<int>(size);
      so.waitWorkers = true;
      so.timeout = timeout;
      auto store = c10::make_intrusive<c10d::TCPStore>(str("host"), so);
      auto opts = c10d::ProcessGroupGloo::Options::create();
      const std::string iface = str("iface"), bind = str("bind");
      opts->devices.push_back(!iface.empty()  ? c10d::ProcessGroupGloo::createDeviceForInterface(iface)
                              : !bind.empty() ? c10d::ProcessGroupGloo::createDeviceForHostname(bind)
                                              : c10d::ProcessGroupGloo::createDefaultDevice());
      opts->timeout = timeout;
      opts->threads = 1;
      pg_ = c10::make_intrusive<c10d::ProcessGroupGloo>(store, static_cast<int>(rank), static_cast<int>(size), opts);
      std::lock_guard<std::mutex> lock(groups_mu);
      id_ = next_group++;
      groups[id_] = pg_;
    });
  }

  ~ProcessGroupWrap() override { Forget(); }

 private:
  Group pg_;
  int64_t id_ = 0;

  void Forget() {
    std::lock_guard<std::mutex> lock(groups_mu);
    groups.erase(id_);
  }

  c10d::ProcessGroupGloo& Pg(const Napi::CallbackInfo& info) {
    if (!pg_) throw Napi::Error::New(info.Env(), "the process group was destroyed");
    return *pg_;
  }

  // allReduce(tensors, op: "sum"|"max"|"min"|"product"): in place, element-wise across ranks.
  Napi::Value AllReduce(const Napi::CallbackInfo& info) {
    return Checked(info.Env(), [&]() -> Napi::Value {
      std::vector<at::Tensor> ts = TList(info, 0);
      const std::string op = Str(info, 1, "sum");
      c10d::AllreduceOptions o;
      o.reduceOp = op == "sum"   ? c10d::ReduceOp::SUM
                   : op == "max" ? c10d::ReduceOp::MAX
                   : op == "min" ? c10d::ReduceOp::MIN
                   : op == "product"
                       ? c10d::ReduceOp::PRODUCT
                       : throw std::invalid_argument("unknown reduction '" + op + "' (sum, max, min, product)");
      Pg(info).allreduce(ts, o)->wait();
      return info.Env().Undefined();
    });
  }

  // sumAcrossRanks(tensor): a new tensor, the element-wise sum over ranks, recorded for autograd.
  Napi::Value SumAcrossRanks(const Napi::CallbackInfo& info) {
    return Checked(info.Env(), [&]() -> Napi::Value {
      Pg(info);
      return Wrap(info, SumAcrossRanksFn::apply(T(info, 0), id_));
    });
  }

  // broadcast(tensors, root): every rank's tensors become root's.
  Napi::Value Broadcast(const Napi::CallbackInfo& info) {
    return Checked(info.Env(), [&]() -> Napi::Value {
      std::vector<at::Tensor> ts = TList(info, 0);
      c10d::BroadcastOptions o;
      o.rootRank = I64(info, 1);
      Pg(info).broadcast(ts, o)->wait();
      return info.Env().Undefined();
    });
  }

  Napi::Value Barrier(const Napi::CallbackInfo& info) {
    return Checked(info.Env(), [&]() -> Napi::Value {
      Pg(info).barrier()->wait();
      return info.Env().Undefined();
    });
  }

  // Drops this rank's group (its connections close; peers' next collective fails).
  Napi::Value Destroy(const Napi::CallbackInfo& info) {
    Forget();
    pg_.reset();
    return info.Env().Undefined();
  }
};

void InitDist(Napi::Env env, Napi::Object exports) { ProcessGroupWrap::Init(env, exports); }

}  // namespace gl
