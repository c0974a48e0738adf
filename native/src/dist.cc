// PyTorch's own CPU collectives: a c10d ProcessGroupGloo joined through a TCPStore rendezvous (rank 0
// serves the store), as torch.distributed's "gloo" backend does. Generic: collectives on tensors.
// Every call blocks until the collective completes or times out; failures (a peer gone, a timeout,
// a refused connection) become JS errors carrying c10d's message.
#include <chrono>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>

#include "common.h"

namespace gl {

class ProcessGroupWrap : public Napi::ObjectWrap<ProcessGroupWrap> {
 public:
  static void Init(Napi::Env env, Napi::Object exports) {
    Napi::Function ctor = DefineClass(env, "ProcessGroup",
                                      {
                                          InstanceMethod<&ProcessGroupWrap::AllReduce>("allReduce"),
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
    });
  }

 private:
  c10::intrusive_ptr<c10d::ProcessGroupGloo> pg_;

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
    pg_.reset();
    return info.Env().Undefined();
  }
};

void InitDist(Napi::Env env, Napi::Object exports) { ProcessGroupWrap::Init(env, exports); }

}  // namespace gl
