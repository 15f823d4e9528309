#!/usr/bin/env python3
"""Reference categorical-VAE training step in PyTorch, written as a PyTorch user would from the paper.

Jang, Gu & Poole, "Categorical Reparameterization with Gumbel-Softmax", ICLR 2017: an MLP encoder 784-512-256 to
20 categorical latents of 10 classes, relaxed with torch.nn.functional.gumbel_softmax, an MLP decoder 200-256-512-784
with Bernoulli outputs, the KL to the uniform prior in closed form, Adam, batch 100. A step is zero_grad, forward,
backward and the optimiser step, on a batch of binary images.

The images are random binary ones drawn once (the time of a step does not depend on the pixel values); d4j bench runs
the same step on the same kind of batch. Output (stdout): one JSON object with the median and mean time per step
over the timed steps and the last loss. Run by `d4j bench --suite vae`; needs Debian's python3-torch and
libopenblas0-pthread.
"""
import argparse
import json
import math
import time

import torch
import torch.nn.functional as F
from torch import nn


class CategoricalVae(nn.Module):
    def __init__(self, latents, classes):
        super().__init__()
        self.latents = latents
        self.classes = classes
        self.encoder = nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 256), nn.ReLU(),
                                     nn.Linear(256, latents * classes))
        self.decoder = nn.Sequential(nn.Linear(latents * classes, 256), nn.ReLU(), nn.Linear(256, 512), nn.ReLU(),
                                     nn.Linear(512, 784))

    def forward(self, x, tau):
        logits = self.encoder(x).view(-1, self.latents, self.classes)
        z = F.gumbel_softmax(logits, tau=tau, hard=False)
        x_logits = self.decoder(z.view(-1, self.latents * self.classes))
        nll = F.binary_cross_entropy_with_logits(x_logits, x, reduction="sum") / x.shape[0]
        log_q = F.log_softmax(logits, dim=-1)
        kl = (log_q.exp() * (log_q + math.log(self.classes))).sum() / x.shape[0]
        return nll + kl


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--latents", type=int, default=20)
    parser.add_argument("--classes", type=int, default=10)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--tau", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    model = CategoricalVae(args.latents, args.classes)
    optimiser = torch.optim.Adam(model.parameters(), lr=args.lr)
    batches = (torch.rand(10, args.batch, 784) < 0.5).float()

    times = []
    loss = None
    for step in range(args.warmup + args.steps):
        x = batches[step % batches.shape[0]]
        start = time.perf_counter()
        optimiser.zero_grad()
        loss = model(x, args.tau)
        loss.backward()
        optimiser.step()
        elapsed = time.perf_counter() - start
        if step >= args.warmup:
            times.append(elapsed)
    times.sort()
    median = times[len(times) // 2] if len(times) % 2 else (times[len(times) // 2 - 1] + times[len(times) // 2]) / 2
    print(json.dumps({"ms_per_step": 1000 * median, "ms_per_step_mean": 1000 * sum(times) / len(times),
                      "steps": args.steps, "threads": torch.get_num_threads(), "torch": torch.__version__,
                      "loss": float(loss)}))


if __name__ == "__main__":
    main()
