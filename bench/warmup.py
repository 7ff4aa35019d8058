"""Benchmark: NUTS's warm-up, tokendemand's two passes against NumPyro's own dense adaptation.

Both sample the same JAX log density of a bundled dataset (default ``all``, the main job's
joint fit) from the same starting points with the same seed, ``DEFAULT_CHAINS`` chains, tune
and draws per chain, target acceptance and dense mass matrix:

- **two-pass** (the library, :func:`tokendemand.fitting._numpyro.sample_numpyro`): a diagonal
  mass matrix adapted first, the dense one set from its draws, the step size adapted to it;
- **reference**: one ``numpyro.infer.MCMC`` with ``dense_mass=True``, whose windows estimate the
  dense matrix from their own 25, 50, 100 ... draws.

The log density is compiled before either is timed. Each line gives the seconds (the clock stops
once the draws are on the host: JAX returns before it has computed them), the mean leapfrog
steps per draw, the minimum bulk ESS and ESS per second, the maximum R-hat and the divergences,
over the flat vector of sampled coordinates. For the reference, the warm-up steps per iteration
are printed by window. The last line is exactly
``seconds_ratio=<two-pass over reference> ess_per_second_ratio=<two-pass over reference>``.

Run: ``python bench/warmup.py [--dataset NAME] [--seed N] [--tune N] [--draws N]`` (about five
minutes for ``all`` on a 2-core machine).
"""

from __future__ import annotations

import argparse
import itertools
import time
import warnings
from typing import Any

import numpy as np

import tokendemand as td
from tokendemand.fitting._jax import FlatLayout, jax_log_density, start_jax
from tokendemand.fitting._numpyro import sample_numpyro
from tokendemand.fitting._pymc import initial_points
from tokendemand.fitting.model import _quiet_known_warnings
from tokendemand.fitting.options import DEFAULT_CHAINS, DEFAULT_TARGET_ACCEPT


def convergence(draws: np.ndarray[Any, Any]) -> tuple[float, float]:
    """Minimum bulk ESS and maximum R-hat of draws ``(chain, draw, coordinate)``."""
    import arviz as az

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        dataset = az.convert_to_dataset({"x": draws})
        ess = float(np.nanmin(az.ess(dataset, method="bulk")["x"].values))
        rhat = float(np.nanmax(az.rhat(dataset)["x"].values))
    return ess, rhat


def line(
    name: str, seconds: float, steps: float, draws: np.ndarray[Any, Any], divergent: int
) -> tuple[str, float]:
    """One result line, and the minimum bulk ESS per second it reports."""
    ess, rhat = convergence(draws)
    text = (
        f"{name:<10} {seconds:6.1f} s, {steps:5.1f} steps per draw, min bulk ESS {ess:6.0f} "
        f"({ess / seconds:5.1f}/s), max R-hat {rhat:.4f}, {divergent} divergences"
    )
    return text, ess / seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", default="all")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--tune", type=int, default=1000)
    parser.add_argument("--draws", type=int, default=1000)
    args = parser.parse_args()
    chains = DEFAULT_CHAINS
    target = DEFAULT_TARGET_ACCEPT["numpyro"]
    spec = td.TokenDemandModel()
    design = spec.design(td.datasets.load(args.dataset))
    with _quiet_known_warnings():
        model = spec.build(design, deterministics=False)
    log_density = jax_log_density(model, spec._cache_key(model, design), chains)
    initial = initial_points(model, chains, np.random.default_rng(args.seed))
    flat = FlatLayout.of(model, initial[0])
    print(
        f"{args.dataset}: {sum(int(np.prod(s)) for s in flat.shapes)} coordinates, "
        f"{len(design.y)} figures; {chains} chains x ({args.tune} tune + {args.draws} draws), "
        f"target acceptance {target}, seed {args.seed}",
        flush=True,
    )

    start = time.perf_counter()
    idata = sample_numpyro(
        model, log_density, initial, args.draws, args.tune, args.seed, target, None, None
    )
    ours = time.perf_counter() - start
    ours_draws = np.concatenate(
        [idata.posterior[name].values.reshape(chains, args.draws, -1) for name in flat.names],
        axis=-1,
    )
    stats = idata.sample_stats
    steps, divergent = float(stats["n_steps"].mean()), int(stats["diverging"].sum())
    text, ours_rate = line("two-pass", ours, steps, ours_draws, divergent)
    print(text, flush=True)

    jax = start_jax(chains)
    import jax.numpy as jnp
    from numpyro.infer import MCMC, NUTS

    def potential(position: Any) -> Any:
        return -log_density(*flat.values(position))

    mcmc = MCMC(
        NUTS(potential_fn=potential, target_accept_prob=target, dense_mass=True),
        num_warmup=args.tune,
        num_samples=args.draws,
        num_chains=chains,
        chain_method="parallel" if jax.local_device_count() >= chains else "vectorized",
        progress_bar=False,
    )
    positions = jnp.asarray(np.stack([flat.position(p) for p in initial]))
    start = time.perf_counter()
    mcmc.warmup(
        jax.random.PRNGKey(args.seed),
        init_params=positions,
        extra_fields=("num_steps",),
        collect_warmup=True,
    )
    warm_steps = np.asarray(mcmc.get_extra_fields(group_by_chain=True)["num_steps"])
    mcmc.run(mcmc.post_warmup_state.rng_key, extra_fields=("num_steps", "diverging"))
    reference_draws = np.asarray(mcmc.get_samples(group_by_chain=True))
    reference = time.perf_counter() - start
    extra = mcmc.get_extra_fields()
    steps, divergent = float(np.mean(extra["num_steps"])), int(np.sum(extra["diverging"]))
    text, reference_rate = line("reference", reference, steps, reference_draws, divergent)
    print(text, flush=True)
    edges = [0, 75, 100, 150, 250, 450, max(args.tune - 50, 450), args.tune]
    windows = [
        f"{a}-{b}: {warm_steps[:, a:b].mean():.0f}"
        for a, b in itertools.pairwise(edges)
        if b > a and b <= args.tune
    ]
    print(f"reference warm-up steps per iteration by window: {', '.join(windows)}")
    print(
        f"seconds_ratio={ours / reference:.2f} "
        f"ess_per_second_ratio={ours_rate / reference_rate:.2f}"
    )


if __name__ == "__main__":
    main()
