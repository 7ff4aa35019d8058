"""Observations: public figures in every shape they come in, and the operator that links them
to a latent daily series.

Each figure becomes one :class:`Observation` of a *series* (what was measured, e.g.
``doubao``) in a *market* (``china``, ``openrouter``). Its ``kind`` says how the figure relates
to the daily token volume ``x(t)`` of the series:

===============  ==================================================  ===========================
kind             the figure is                                       canonical value
===============  ==================================================  ===========================
``point``        the level on one date ("120T tokens/day")            tokens/day
``mean``         the mean daily level over a period ("140T daily      tokens/day
                 average in March")
``total``        the tokens over a period ("28.9T in the week")       tokens
``ratio``        mean level over the period / mean level over the     unitless (1.074 for +7.4%)
                 base period ("+7.4% week on week")
``share``        a sub-series' fraction of its market                 fraction in [0, 1]
``penetration``  agent penetration, a fraction of users               fraction in [0, 1]
``agent_share``  the agent fraction of tokens                         fraction in [0, 1]
``intensity_``   agent tokens per agent user per day over chatbot     unitless (12.5)
``ratio``        tokens per user per day, on a date or period
===============  ==================================================  ===========================

Any figure may be one-sided: ``bound = "lower"`` for "over 140T", ``"upper"`` for "below 1T";
the model treats it as censored. A point-to-point ratio ("doubled in 3 months") is a ratio of
two one-day periods; a ratio of two totals over periods of equal length ("+7.4% on the previous
week") equals the ratio of their means.

The CSV schema
--------------
One row per figure; rows are numbered from 1 for the first data row (the header is not
counted, so row ``n`` is line ``n + 1`` of the file). Columns:

================  ========  ================================================================
column            required  content
================  ========  ================================================================
``series``        yes       name of the measured series, e.g. ``doubao``
``market``        yes       market the series belongs to, e.g. ``china``
``kind``          yes       one of :data:`KINDS`
``value``         yes       a number or, for volumes, text such as ``28.9T``, ``140万亿``
                            (see :func:`~tokendemand.units.parse_tokens`)
``unit``          yes       ``point``/``mean``: a rate (``tokens/day``, ``tokens/week``,
                            ``tokens/month``, ``tokens per minute`` ...); ``total``:
                            ``tokens``; ``ratio``: ``ratio``; ``share``, ``penetration``,
                            ``agent_share``: ``fraction`` or ``%``. A parenthetical
                            qualifier such as ``(derived)`` is kept but ignored.
``source``        yes       the publication, e.g. ``a16z, State of AI (2025-12-04)``
``date``                    ``YYYY-MM-DD``: the day of a one-day figure
``period_start``            ``YYYY-MM-DD``, first day of the period (inclusive)
``period_end``              ``YYYY-MM-DD``, last day of the period (inclusive)
``base_start``              ratios only: first day of the base period
``base_end``                ratios only: last day of the base period
``url``                     where the figure can be checked; several separated by " ; "
``confidence``              ``high``, ``medium`` (the default) or ``low``
``bound``                   empty, ``lower`` ("over ...") or ``upper`` ("below ...")
``proxy``                   empty for a direct figure; for a figure that measures something
                            related to a ``penetration``, ``agent_share`` or
                            ``intensity_ratio``, the name of what it measures (see "Proxy
                            figures")
``launch``                  ``YYYY-MM-DD``: the public launch day of a product in its
                            launch phase; empty for a mature series (see "Launch phases")
``note``                    free text: how the date was set, what the figure covers
================  ========  ================================================================

Give either ``date`` or both ``period_start`` and ``period_end``: ``date`` is shorthand for a
one-day period. A ``point`` needs one day; ``mean`` and ``total`` usually a period; a ``ratio``
needs its period and ``base_start``, ``base_end``; shares and penetrations take either. Rates
over months, quarters and years are converted with the calendar of the period
(:func:`~tokendemand.units.to_tokens_per_day`). Other columns are an error unless named in
``extra_columns`` (they are then ignored).

Every problem in the file is reported at once, in one :class:`~tokendemand.errors.DataError`
naming the row, the field, what was wrong and the fix: missing columns, unknown kinds, units,
confidence or bounds, unparseable values or dates, non-positive or NaN volumes and ratios,
fractions outside [0, 1], periods ending before they start, and duplicates. Two rows with the
same series, market, kind, period, base period and bound are duplicates: rejected when their
values differ (a conflict) and also when they are equal (the same figure counted twice: keep
one row and list both sources in it). Nothing is dropped silently.

Proxy figures
-------------
Some evidence measures something related to the agent layer, not the layer itself: the
programming share of OpenRouter tokens tracks the agent share of tokens, organisations'
adoption of agents tracks users' penetration. Such a row keeps the ``kind`` it stands for and
names what it measures in ``proxy`` (``programming_share``, ``org_adoption``). It never enters
literally: on the likelihood scale (logit for fractions, log for an intensity ratio) the figure
is the model's value plus a bias ``beta[proxy]``, one per proxy name, with the prior
:attr:`Priors.proxy_bias <tokendemand.priors.Priors.proxy_bias>` (``Normal(0, 1)``: a factor of
e either way on the odds or the ratio) and estimated with everything else. Figures of one proxy
over time then inform the trend of the quantity it stands for, and its bias is learned where
direct figures or other proxies overlap it.

Launch phases
-------------
A series with a ``launch`` date is a product in its launch phase: its level is its market's
level times a share that diffuses from the launch day (zero before it), so a young product's
fast early growth is read as adoption within its market, not as growth of the market. A series
without one is mature: its level follows its market's. The column is optional (a file without
it reads as all mature) and is kept on :attr:`Observation.launch` as a midnight Timestamp (or
``None``). Two checks apply, each reported with the rows and the fix: a launch after the first
day of the figure (its period, or a ratio's base period, if earlier) is an error, since a
product's figures come after its launch; and all figures of one (market, series) must carry the
same launch, or all none, in a file and in any collection made by ``+``.

Worked example
--------------
"Google processes 480 trillion tokens a month", said of April 2025, is the mean daily level
over April expressed per month; April has 30 days, so it reads as 16T tokens/day. Had it been
"over 480 trillion", the row would also say ``bound = lower``; had it been a run-rate quoted
on a date with no month attached, it would be ``kind = point`` with that ``date``.

>>> import io
>>> row = '''series,market,kind,period_start,period_end,value,unit,source,confidence
... google_total,google,mean,2025-04-01,2025-04-30,480 trillion,tokens/month,Google blog,medium
... '''
>>> obs = read_observations(io.StringIO(row))
>>> obs[0].kind, obs[0].value, obs[0].days
('mean', 16000000000000.0, 30)

The aggregation operator
------------------------
The model keeps a latent daily series on a grid (:func:`daily_grid`). Each observation is a
linear operator on it: :func:`aggregation_weights` returns the matrices ``W`` and ``B`` such
that the model-side value of a level is ``W @ x`` and of a ratio ``(W @ x) / (B @ x)``.
:func:`node_interpolation` lets the model evaluate the path on fewer days (nodes) and
interpolate the rest: ``W @ x = (W @ P) @ x_nodes``.
"""

from tokendemand.observations.collection import Observations
from tokendemand.observations.levels import ObservedLevels, observed_levels
from tokendemand.observations.observation import Observation
from tokendemand.observations.operators import aggregation_weights, daily_grid, node_interpolation
from tokendemand.observations.reading import read_observations
from tokendemand.observations.schema import (
    BOUNDS,
    COLUMNS,
    CONFIDENCES,
    FRACTION_KINDS,
    KINDS,
    LEVEL_KINDS,
    PROXY_KINDS,
    RATE_KINDS,
    REQUIRED_COLUMNS,
    Bound,
    Confidence,
    Kind,
)

__all__ = [
    "BOUNDS",
    "COLUMNS",
    "CONFIDENCES",
    "FRACTION_KINDS",
    "KINDS",
    "LEVEL_KINDS",
    "PROXY_KINDS",
    "RATE_KINDS",
    "REQUIRED_COLUMNS",
    "Bound",
    "Confidence",
    "Kind",
    "Observation",
    "Observations",
    "ObservedLevels",
    "aggregation_weights",
    "daily_grid",
    "node_interpolation",
    "observed_levels",
    "read_observations",
]

# ``doctest.testmod(tokendemand.observations)`` checks the examples of the whole package, as it
# did when this was one module: the objects below live in the submodules.
__test__ = {
    "Observation": Observation,
    "Observation.describe": Observation.describe,
    "read_observations": read_observations,
    "daily_grid": daily_grid,
    "aggregation_weights": aggregation_weights,
    "observed_levels": observed_levels,
}
