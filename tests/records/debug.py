"""Records for fad.debug: a callback inside a differentiated, batched or staged function
changes nothing of its values or derivatives."""

from __future__ import annotations

import fad
import fad.numpy as fnp
from tests.records import Rec


def _quiet(*args, **kwargs):
    pass


def _with_callback(x, y):
    fad.debug.callback(_quiet, x, {"y": y}, scale=2.0)
    return fnp.sin(x) * y


RECORDS = [Rec("debug.callback", _with_callback, [(2, 3), (3,)])]
