#!/usr/bin/python3
"""PyTorch reference workloads for genrelab's benchmark (dev-only; Debian's python3-torch).

Usage: /usr/bin/python3 bench/reference.py WORKLOAD --threads N --iterations K --warmup W
Prints one JSON line: {"workload", "threads", "ms" (median), "all_ms", "blas", "allocator"}.
The same shapes as bench/workloads.ts: keep the two in step.
"""
import argparse
import json
import resource
import statistics
import time

import torch
import torch.nn.functional as F

from torch_models import Classifier, Generator


def tone_batch():
    t = torch.arange(0, 10000) / 10000
    time_ = t.unsqueeze(0) + torch.arange(0, 29).unsqueeze(1)
    wave = (time_ * 2 * torch.pi * 220).sin() * 0.3
    return wave[:, :9000].contiguous(), wave[:, 9000:].contiguous()


def workload(name):
    """A function running one iteration of the named workload."""
    if name == "g-train":
        g = Generator()
        opt = torch.optim.Adam(g.parameters(), lr=1e-3)
        x, y = tone_batch()

        def step():
            loss = F.mse_loss(g(x), y)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(g.parameters(), 1.0)
            opt.step()
        return step
    if name in ("g-generate", "g-generate-genres"):
        # One model, 10 clips in a batch; or the study's 10 per-genre models, one clip each.
        models = [Generator().eval() for _ in range(1 if name == "g-generate" else 10)]
        seeds = torch.randn(10, 9000) * 0.1
        batches = [seeds] if len(models) == 1 else list(seeds.split(1))

        def gen():
            with torch.no_grad():
                for g, window in zip(models, batches):
                    for _ in range(50):
                        y = g(window).clamp(-1, 1)
                        window = torch.cat([window[:, 1000:], y], 1)
        return gen
    if name in ("c-train", "c-infer"):
        c = Classifier(frames=196)
        x = torch.randn(32, 1, 128, 196)
        labels = torch.randint(0, 10, (32,))
        if name == "c-infer":
            c.eval()

            def infer():
                with torch.no_grad():
                    c(x)
            return infer
        opt = torch.optim.Adam(c.parameters(), lr=1e-4)

        def step():
            loss = F.cross_entropy(c(x), labels)
            opt.zero_grad()
            loss.backward()
            opt.step()
        return step
    if name == "features":
        import torchaudio.transforms as T
        mel = T.MelSpectrogram(sample_rate=10000, n_fft=1024, hop_length=256, f_max=5000, n_mels=128)
        db = T.AmplitudeToDB("power", top_db=80)
        audio = torch.randn(12, 1, 50000) * 0.1  # 60 s as twelve 5 s windows

        def features():
            with torch.no_grad():
                db(mel(audio))
        return features
    raise SystemExit(f"unknown workload {name}")


def loaded(pattern_list):
    maps = open("/proc/self/maps").read()
    return next((p for p in pattern_list if p in maps), None)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("workload")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--iterations", type=int, default=10)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--seed", type=int, default=0)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    run = workload(a.workload)
    for _ in range(a.warmup):
        run()
    times = []
    for _ in range(a.iterations):
        t0 = time.perf_counter()
        run()
        times.append((time.perf_counter() - t0) * 1000)
    maps = open("/proc/self/maps").read()
    blas = next((k for k, pat in [("openblas-openmp", "openblas-openmp"), ("openblas-pthread", "openblas-pthread"),
                                  ("reference", "/blas/libblas")] if pat in maps), "unknown")
    print(json.dumps({"workload": a.workload, "threads": a.threads, "ms": statistics.median(times), "all_ms": times,
                      "blas": blas, "allocator": "tcmalloc" if "tcmalloc" in maps else "glibc",
                      "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


if __name__ == "__main__":
    main()
