#!/usr/bin/python3
"""PyTorch reference workloads for genrelab's benchmarks (dev-only; Debian's python3-torch).

Usage: /usr/bin/python3 bench/reference.py gtrain --steps 20 --threads 1
Prints one JSON line: {"workload", "threads", "ms": [per-step times], "loss": [...], "max_rss_mb"}.
"""
import argparse
import json
import resource
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Generator(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv1d(1, 64, 200, stride=100)
        self.gru = nn.GRU(64, 256, batch_first=True, bidirectional=True)
        self.fc = nn.Linear(512, 1000)

    def forward(self, x):
        h = F.relu(self.conv(x.unsqueeze(1))).transpose(1, 2)
        out, _ = self.gru(h)
        return self.fc(out[:, -1])


def tone_batch():
    t = torch.arange(0, 10000) / 10000
    time_ = t.unsqueeze(0) + torch.arange(0, 29).unsqueeze(1)
    f1, f2 = (torch.rand(2) * 400 + 100).split(1)
    phase = time_ * 2 * torch.pi
    wave = (phase * f1).sin() * 0.3 + (phase * f2).sin() * 0.2
    return wave[:, :9000], wave[:, 9000:]


def gtrain(steps):
    g = Generator()
    opt = torch.optim.Adam(g.parameters(), lr=1e-3)
    x, y = tone_batch()
    times, losses = [], []
    for _ in range(steps):
        t0 = time.perf_counter()
        loss = F.mse_loss(g(x), y)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(g.parameters(), 1.0)
        opt.step()
        losses.append(loss.item())
        times.append((time.perf_counter() - t0) * 1000)
    return times, losses


def main():
    p = argparse.ArgumentParser()
    p.add_argument("workload", choices=["gtrain"])
    p.add_argument("--steps", type=int, default=20)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--seed", type=int, default=0)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    times, losses = gtrain(a.steps)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"workload": a.workload, "threads": a.threads, "ms": times, "loss": losses, "max_rss_mb": rss}))


if __name__ == "__main__":
    main()
