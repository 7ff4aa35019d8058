"""The curves evaluated only where figures read them: the sparse operators equal the dense ones,
and the model's PyTensor and numpy sides agree on every bundled figure."""

from __future__ import annotations

import numpy as np
import pytensor
import pytensor.tensor as pt
import pytest

from tokendemand import datasets
from tokendemand.fitting.curve_points import curve_points
from tokendemand.fitting.design import ObservationDesign
from tokendemand.fitting.parametrization import free_parameters, structural_values
from tokendemand.priors import Priors
from tokendemand.structure import Structure


def test_sparse_operators_equal_the_dense_ones_on_random_curves() -> None:
    rng = np.random.default_rng(3)
    n_units, n_launches, nodes, rows = 3, 2, 40, 25
    launch_market = np.array([0, 1])
    curves = rng.lognormal(size=(n_units + n_launches, nodes))
    # a launch's curve is its market's reference curve times its share
    share = rng.uniform(0.1, 0.9, size=(n_launches, nodes))
    curves[n_units:] = curves[launch_market] * share
    matrices, indices = [], []
    for _ in range(2):
        matrix = rng.uniform(size=(rows, nodes)) * (rng.uniform(size=(rows, nodes)) < 0.15)
        matrix[0] = 0.0  # a row that reads nothing (a ratio operator's non-ratio rows)
        matrices.append(matrix)
        indices.append(rng.integers(0, n_units + n_launches, size=rows))
    pairs = list(zip(matrices, indices, strict=True))
    points, operators = curve_points(pairs, n_units, launch_market)

    unit_values = curves[points.unit, points.unit_node]
    launch_values = unit_values[points.launch_base] * share[points.launch, points.launch_node]
    flat = np.concatenate([unit_values, launch_values])
    np.testing.assert_array_equal(points.unit[points.launch_base], launch_market[points.launch])
    for matrix, index, operator in zip(matrices, indices, operators, strict=True):
        dense = (curves[index] * matrix).sum(axis=1)
        np.testing.assert_allclose(operator.apply(flat), dense, rtol=1e-12)
        # the compiled model's form: one matrix product
        np.testing.assert_allclose(flat @ operator.dense(len(flat)), dense, rtol=1e-12)
        subset = np.array([4, 1, 7])
        np.testing.assert_allclose(operator.take(subset).apply(flat), dense[subset], rtol=1e-12)
    # only what is read: the read pairs, plus each launch point's market point
    read = {(int(c), int(n)) for m, i in zip(matrices, indices, strict=True) for c, n in
            zip(i[np.nonzero(m)[0]], np.nonzero(m)[1], strict=True)}  # fmt: skip
    assert len(points.launch) == sum(1 for c, _ in read if c >= n_units)
    assert len(points.unit) <= len(read)


def test_draws_of_the_operator_broadcast() -> None:
    _, (operator,) = curve_points(
        [(np.array([[0.5, 0.5], [0.0, 2.0]]), np.array([0, 0]))], 1, np.zeros(0, np.int64)
    )
    draws = np.array([[1.0, 3.0], [2.0, 4.0]])
    np.testing.assert_allclose(operator.apply(draws), [[2.0, 6.0], [3.0, 8.0]])


@pytest.mark.parametrize("pooling", ["partial", "complete"])
def test_pytensor_and_numpy_sides_agree_on_every_bundled_figure(pooling: str) -> None:
    structure, priors = Structure(pooling=pooling), Priors()
    design = ObservationDesign.build(datasets.load("all"), pooling=pooling)
    rng = np.random.default_rng(5)
    z = {}
    for parameter in free_parameters(structure, priors, design.sizes):
        size = design.sizes[parameter.dim] if parameter.dim else None
        z[parameter.name] = 0.5 * rng.standard_normal(size)
        if parameter.pooled:
            z[f"{parameter.name}_location"] = 0.5 * rng.standard_normal()
        if parameter.nested:
            groups = design.sizes[f"{parameter.dim}_market"]
            z[f"{parameter.name}_market"] = 0.5 * rng.standard_normal(groups)
    z["total_reference"] = 0.5 * rng.standard_normal(len(design.markets))
    values = structural_values(structure, priors, z, design.total_centre, np, design.market_groups)
    tensors = {k: pt.as_tensor_variable(v) for k, v in z.items()}
    symbolic = structural_values(
        structure, priors, tensors, design.total_centre, pt, design.market_groups
    )
    predicted = design.predict(structure, symbolic, pt)
    on_pytensor = pytensor.function([], predicted, mode="FAST_COMPILE")()
    np.testing.assert_allclose(on_pytensor, design.predict(structure, values), rtol=1e-10)
    assert np.isfinite(on_pytensor).all() and len(on_pytensor) == len(design)
