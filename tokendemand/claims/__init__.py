"""Published claims as objects, checked against the data.

* :class:`Claim`: name, source, statement and a test giving one boolean per parameter draw;
* :func:`builtin`: the claims of the May 2026 press piece, each with its reading
  (:mod:`tokendemand.claims.builtin`);
* :func:`check_claims`: prior and posterior probability of each claim and a verdict in words,
  a claim about a figure the fit saw being checked on a refit without that figure
  (:mod:`tokendemand.claims.check`).

Examples
--------
>>> from tokendemand.claims import builtin, verdict
>>> len(builtin())
6
>>> verdict(0.4, 0.98)
'supported'
"""

from tokendemand.claims.builtin import builtin
from tokendemand.claims.check import COLUMNS, check_claims
from tokendemand.claims.claim import Claim, Evidence, figure_key, verdict

__all__ = ["COLUMNS", "Claim", "Evidence", "builtin", "check_claims", "figure_key", "verdict"]
