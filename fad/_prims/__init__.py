"""fad's primitives, one module per family. Importing this package declares them all.

The package's namespace also gathers the primitives and functions of the elementwise
families, the structural primitives of :mod:`fad._structural` and the creation helpers,
for the modules that use many of them (``from fad import _prims as p``; ``p.sin``,
``p.reshape``, ``p.zeros``). The other families (``indexing``, ``scans``, ``reductions``,
``linalg``, ``lu``, ``control``, ``cond``) are imported by module.
"""

from fad._prims import control, indexing, linalg, lu, reductions, scans  # noqa: F401
from fad._prims.arithmetic import *  # noqa: F403
from fad._prims.comparisons import *  # noqa: F403
from fad._prims.control import *  # noqa: F403
from fad._prims.creation import *  # noqa: F403
from fad._prims.exponential import *  # noqa: F403
from fad._prims.special import *  # noqa: F403
from fad._prims.trigonometric import *  # noqa: F403
from fad._structural import *  # noqa: F403
