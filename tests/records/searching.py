"""Records for select (differentiable in its choices), searchsorted and digitize (integer
results, batched under vmap), and argwhere / flatnonzero (concrete masks, like nonzero: fine
under grad, an error under vmap, so no vmap or Jacobian check)."""

import numpy as np

import fad.numpy as fnp
from tests.records import Rec

EDGES = np.array([-1.5, -0.5, 0.25, 1.0])
KNOTS = np.array([-2.0, -0.75, 0.5, 1.25, 2.5])
AWAY_FROM_KNOTS = np.array([-2.5, -1.3, -0.1, 0.9, 1.7, 3.0])  # inside each piece and outside both ends


def _interp_points(rng):
    """x away from the knots (and their nudges under finite differences), xp, fp."""
    return (
        AWAY_FROM_KNOTS + rng.uniform(-0.05, 0.05, 6),
        KNOTS + rng.uniform(-0.05, 0.05, 5),
        rng.normal(size=5),
    )


def _signed_away(rng):
    """Values in [-2, -0.5] U [0.5, 2]: away from the select and mask boundaries."""
    return (rng.uniform(0.5, 2.0, size=(2, 3)) * rng.choice([-1.0, 1.0], size=(2, 3)),)


RECORDS = [
    Rec("numpy.interp", fnp.interp, make_args=_interp_points),
    Rec(
        "numpy.interp",
        lambda x, xp, fp: fnp.interp(x, xp, fp, left=-1.0, right=fp[0] * 2.0),
        make_args=_interp_points,
        variant="left-right",
    ),
    Rec(
        "numpy.interp",
        lambda x, fp: fnp.interp(x, KNOTS, fp, period=5.0),
        make_args=lambda r: _interp_points(r)[::2],
        variant="period",
    ),
    # exactly at the knots: the derivative is the right-hand piece's; on a straight line
    # (interior knots) and in fp (linear for a fixed x) finite differences see it too
    Rec(
        "numpy.interp",
        lambda x: fnp.interp(x, KNOTS, 0.5 * KNOTS - 1.0),
        make_args=lambda r: (KNOTS[1:-1].copy(),),
        variant="x-at-knots",
    ),
    Rec(
        "numpy.interp",
        lambda fp: fnp.interp(np.concatenate([KNOTS, KNOTS[::-1]]), KNOTS, fp),
        make_args=lambda r: (r.normal(size=5),),
        variant="fp-at-knots",
    ),
    Rec(
        "numpy.select",
        lambda x: fnp.select([x < -1, x < 1], [x * x, -x], default=3.0),
        make_args=_signed_away,
    ),
    Rec(
        "numpy.select",
        lambda x, y: fnp.select([x > 0], [y]),
        make_args=lambda r: (*_signed_away(r), r.normal(size=3)),
        variant="broadcast",
    ),
    Rec("numpy.searchsorted", lambda v: fnp.searchsorted(EDGES, v) * v, [(2, 3)], orders=1),
    Rec(
        "numpy.searchsorted",
        lambda v: fnp.searchsorted(EDGES, v, side="right") * v,
        [(4,)],
        orders=1,
        variant="right",
    ),
    Rec("numpy.digitize", lambda v: fnp.digitize(v, EDGES) * v, [(2, 3)], orders=1),
    Rec(
        "numpy.digitize",
        lambda v: fnp.digitize(v, EDGES[::-1], right=True) * v,
        [(3,)],
        orders=1,
        variant="decreasing",
    ),
    Rec(
        "numpy.argwhere",
        lambda x: fnp.sum(x[tuple(fnp.argwhere(x > 0).T)] ** 2),
        make_args=_signed_away,
        orders=1,
        vmap=False,
        jac=False,
    ),
    Rec(
        "numpy.flatnonzero",
        lambda x: fnp.sum(fnp.ravel(x)[fnp.flatnonzero(x > 0)] ** 2),
        make_args=_signed_away,
        orders=1,
        vmap=False,
        jac=False,
    ),
]
