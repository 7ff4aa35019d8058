"""The points the curves are evaluated at, and the figures' operators on them.

A figure reads one curve (its series', or its market's reference curve) on a few of the nodes:
a daily figure one node, a week eight, a year about fifty. Evaluating every curve on every node
would compute, and differentiate, curves x nodes values of which the figures read a tenth, and
that evaluation is most of the cost of the model's gradient. :func:`curve_points` lists only the
``(curve, node)`` pairs some figure reads, plus, for a launching product, its market's reference
curve on the same nodes (its curve is that times its share), and rewrites each row of the
operators ``W`` and ``B`` as a few ``(point, weight)`` pairs (:class:`SparseOperator`). The
result is exactly ``W @ D`` (the same sums, without the zero terms).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["CurvePoints", "SparseOperator", "curve_points"]

_Int = np.ndarray[Any, np.dtype[np.int64]]
_Float = np.ndarray[Any, np.dtype[np.float64]]


@dataclass(frozen=True, eq=False)
class SparseOperator:
    """Rows of an operator as ``(point, weight)`` pairs, padded to the longest row.

    Attributes
    ----------
    point
        Index into the flat vector of curve values, shape ``(rows, width)``; padding is 0.
    weight
        Weight of each pair, shape ``(rows, width)``; padding is 0.
    """

    point: _Int
    weight: _Float

    def take(self, rows: _Int) -> SparseOperator:
        """The operator of ``rows`` only, padded to the longest of them."""
        weight = self.weight[rows]
        width = max(int((weight != 0).sum(axis=1).max(initial=0)), 1)
        return SparseOperator(self.point[rows, :width], weight[:, :width])

    def apply(self, values: Any) -> Any:
        """``sum_k values[..., point[:, k]] * weight[:, k]``: shape ``(..., rows)``.

        Examples
        --------
        >>> operator = SparseOperator(np.array([[0, 2], [1, 0]]), np.array([[0.5, 0.5], [1., 0.]]))
        >>> operator.apply(np.array([2.0, 3.0, 4.0])).tolist()
        [3.0, 3.0]
        """
        return (values[..., self.point] * self.weight).sum(axis=-1)

    def dense(self, columns: int) -> _Float:
        """The operator as a matrix of shape ``(columns, rows)``: ``values @ dense(columns)`` is
        :meth:`apply`, ``columns`` the length of the curve values.

        The compiled model takes this product: one matrix product where :meth:`apply` is a
        gather, and a scatter-add in the gradient, each dearer than the product on these sizes.

        Examples
        --------
        >>> operator = SparseOperator(np.array([[0, 2], [1, 0]]), np.array([[0.5, 0.5], [1., 0.]]))
        >>> (np.array([2.0, 3.0, 4.0]) @ operator.dense(3)).tolist()
        [3.0, 3.0]
        """
        rows = len(self.point)
        matrix = np.zeros((columns, rows))
        np.add.at(matrix, (self.point, np.arange(rows)[:, None]), self.weight)
        return matrix


@dataclass(frozen=True, eq=False)
class CurvePoints:
    """Where the curves are evaluated: unit points, then launch points, in one flat vector.

    Attributes
    ----------
    unit, unit_node
        Unit and node of each unit point.
    launch, launch_node
        Launching product and node of each launch point (they follow the unit points in the
        flat vector).
    launch_base
        For each launch point, the unit point of its market's reference curve on that node.
    """

    unit: _Int
    unit_node: _Int
    launch: _Int
    launch_node: _Int
    launch_base: _Int

    def __len__(self) -> int:
        return len(self.unit) + len(self.launch)


def curve_points(
    operators: list[tuple[_Float, _Int]],
    n_units: int,
    launch_market: _Int,
) -> tuple[CurvePoints, list[SparseOperator]]:
    """The points the operators read, and the operators on them.

    Parameters
    ----------
    operators
        ``(matrix, curve)`` pairs: an operator on the nodes, shape ``(rows, nodes)``, and the
        curve each of its rows reads (a unit below ``n_units``, else ``n_units`` plus a launch).
    n_units
        Number of units.
    launch_market
        Market of each launching product; market ``i``'s reference curve is unit ``i``.

    Returns
    -------
    tuple
        The points, and one :class:`SparseOperator` per pair of ``operators``, in order.

    Examples
    --------
    >>> W = np.array([[0.5, 0.5, 0.0], [0.0, 0.0, 1.0]])
    >>> points, (op,) = curve_points([(W, np.array([0, 1]))], 1, launch_market=np.array([0]))
    >>> points.unit.tolist(), points.unit_node.tolist(), points.launch_node.tolist()
    ([0, 0, 0], [0, 1, 2], [2])
    >>> op.point.tolist(), points.launch_base.tolist()
    ([[0, 1], [3, 0]], [2])
    """
    wanted: set[tuple[int, int]] = set()
    for matrix, curve in operators:
        rows, nodes = np.nonzero(matrix)
        wanted.update(zip(curve[rows].tolist(), nodes.tolist(), strict=True))
    launch_pairs = sorted((c - n_units, n) for c, n in wanted if c >= n_units)
    unit_pairs = {(c, n) for c, n in wanted if c < n_units}
    unit_pairs.update((int(launch_market[lp]), n) for lp, n in launch_pairs)
    units = sorted(unit_pairs)
    position = {pair: i for i, pair in enumerate(units)}
    position.update({(n_units + lp, n): len(units) + i for i, (lp, n) in enumerate(launch_pairs)})
    points = CurvePoints(
        unit=np.array([u for u, _ in units], dtype=np.int64),
        unit_node=np.array([n for _, n in units], dtype=np.int64),
        launch=np.array([lp for lp, _ in launch_pairs], dtype=np.int64),
        launch_node=np.array([n for _, n in launch_pairs], dtype=np.int64),
        launch_base=np.array(
            [position[(int(launch_market[lp]), n)] for lp, n in launch_pairs], dtype=np.int64
        ),
    )
    sparse = []
    for matrix, curve in operators:
        width = max(int((matrix != 0).sum(axis=1).max(initial=0)), 1)
        point = np.zeros((len(matrix), width), dtype=np.int64)
        weight = np.zeros((len(matrix), width))
        for i, row in enumerate(matrix):
            (nodes,) = np.nonzero(row)
            point[i, : len(nodes)] = [position[(int(curve[i]), int(n))] for n in nodes]
            weight[i, : len(nodes)] = row[nodes]
        sparse.append(SparseOperator(point, weight))
    return points, sparse
