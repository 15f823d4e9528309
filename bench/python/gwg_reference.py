#!/usr/bin/env python3
"""Reference Gibbs-with-Gradients step in PyTorch, written as a PyTorch user would from the paper.

Grathwohl, Swersky, Hashemi, Duvenaud & Maddison, "Oops I Took A Gradient: Scalable Sampling for Discrete
Distributions", ICML 2021: binary GWG with tau = 2. Like the published code, a step evaluates the model four times
through autograd: log p and its gradient at x (forward proposal), log p and its gradient at x' (reverse proposal),
then log p at x' and at x again for the Metropolis-Hastings ratio. Nothing is cached between steps.

Input: a model.json of discrete4j (EnergyModel.parameters(): type "rbm" or "ising"). Output (stdout): one JSON
object with the time per step (only the sampler steps are timed) and the ESS per step of each chain's Hamming
distance to a fixed reference state (tfp.mcmc.effective_sample_size, mean over chains), the statistic d4j uses.
Run by `d4j bench`; needs Debian's python3-torch and libopenblas0-pthread.
"""
import argparse
import json
import sys
import time

import numpy as np
import torch


class RbmEnergy(torch.nn.Module):
    """log p(v) = b.v + sum_j softplus(c_j + W_j.v), hidden units summed out; W is H x V."""

    def __init__(self, p):
        super().__init__()
        self.w = torch.tensor(p["weights"], dtype=torch.float32)
        self.b = torch.tensor(p["visibleBias"], dtype=torch.float32)
        self.c = torch.tensor(p["hiddenBias"], dtype=torch.float32)

    def forward(self, v):
        return v @ self.b + torch.nn.functional.softplus(v @ self.w.t() + self.c).sum(-1)


class IsingEnergy(torch.nn.Module):
    """log p(x) = s.J.s + h.s with s = 2x - 1: a dense symmetric J holding half of each coupling on both sides, so
    that every coupled pair counts once (discrete4j's convention; the reference LatticeIsingModel's sigma is
    half of d4j's J)."""

    def __init__(self, p):
        super().__init__()
        d = p["dim"]
        j = torch.zeros(d, d)
        for (a, b), w in zip(p["edges"], p["couplings"]):
            j[a, b] += w / 2
            j[b, a] += w / 2
        self.j = j
        self.h = torch.tensor(p["fields"], dtype=torch.float32)

    def forward(self, x):
        s = 2 * x - 1
        return ((s @ self.j) * s).sum(-1) + s @ self.h


def flip_scores(model, x):
    """(1 - 2x) * grad log p(x): the first-order estimate of the change of log p from flipping each site."""
    x = x.detach().requires_grad_()
    grad = torch.autograd.grad(model(x).sum(), x)[0]
    return (1 - 2 * x.detach()) * grad


def gwg_step(model, x, temp):
    forward = torch.distributions.Categorical(logits=flip_scores(model, x) / temp)
    site = forward.sample()
    flip = torch.nn.functional.one_hot(site, x.shape[1]).to(x.dtype)
    xp = x + flip - 2 * x * flip
    reverse = torch.distributions.Categorical(logits=flip_scores(model, xp) / temp)
    log_ratio = model(xp) - model(x) + reverse.log_prob(site) - forward.log_prob(site)
    accept = (log_ratio.exp() > torch.rand_like(log_ratio)).to(x.dtype)[:, None]
    return xp * accept + x * (1 - accept)


def tfp_ess(series):
    """tfp.mcmc.effective_sample_size with default arguments for one series, 1 for a constant one (as GWG and
    d4j's Ess.tfp): ESS = N / (1 + 2 sum_{k=1}^{M} (N-k)/N rho_k), the sum stopping before the first negative
    rho_k, with rho_k = [sum_{n<N-k} y_n y_{n+k} / (N-k)] / [sum_n y_n^2 / N] and y centred on the series mean."""
    y = np.asarray(series, dtype=np.float64)
    n = y.size
    if n < 1:
        raise ValueError("ESS needs at least one draw")
    if np.all(y == y[0]):
        return 1.0
    y = y - y.mean()
    size = 1
    while size < 2 * n - 1:
        size *= 2
    f = np.fft.rfft(y, size)
    sums = np.fft.irfft(f * np.conj(f), size)[:n]  # s_k = sum_{n<N-k} y_n y_{n+k}
    ratio = sums[1:] / sums[0]  # (N-k)/N * rho_k
    negative = np.nonzero(ratio < 0)[0]
    kept = ratio[: negative[0]] if negative.size else ratio
    return n / (1 + 2 * kept.sum())


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", required=True, help="model.json (type rbm or ising)")
    ap.add_argument("--reference", required=True, help="the reference state as a string of 0/1 digits")
    ap.add_argument("--chains", type=int, default=100)
    ap.add_argument("--steps", type=int, default=1000)
    ap.add_argument("--warmup", type=int, default=100)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1234567)
    ap.add_argument("--temp", type=float, default=2.0)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    with open(a.model) as fh:
        p = json.load(fh)
    model = {"rbm": RbmEnergy, "ising": IsingEnergy}[p["type"]](p)
    dim = p["visible"] if p["type"] == "rbm" else p["dim"]
    ref = torch.tensor([int(c) for c in a.reference], dtype=torch.float32)
    if ref.numel() != dim:
        sys.exit("reference state has %d sites, the model %d" % (ref.numel(), dim))
    x = torch.bernoulli(torch.full((a.chains, dim), 0.5))
    for _ in range(a.warmup):
        x = gwg_step(model, x, a.temp)
    hamming = np.empty((a.steps, a.chains))
    moved = 0.0
    seconds = 0.0
    for t in range(a.steps):
        start = time.perf_counter()
        xn = gwg_step(model, x, a.temp)
        seconds += time.perf_counter() - start
        moved += (xn != x).any(-1).float().mean().item()
        x = xn
        hamming[t] = (x != ref).sum(-1).numpy()
    ess = float(np.mean([tfp_ess(hamming[:, c]) for c in range(a.chains)]))
    json.dump({"model": p["type"], "chains": a.chains, "steps": a.steps, "warmup": a.warmup, "threads": a.threads,
               "torch": torch.__version__, "ms_per_step": 1000 * seconds / a.steps, "ess": ess,
               "ess_per_step": ess / a.steps, "acceptance": moved / a.steps}, sys.stdout)
    print()


if __name__ == "__main__":
    main()
