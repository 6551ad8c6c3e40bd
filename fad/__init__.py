"""fad: functional automatic differentiation for Python and NumPy.

Composable transforms with JAX's signatures, on plain NumPy:

>>> import fad, fad.numpy as fnp
>>> fad.grad(lambda x: fnp.sin(x) * x)(0.0)
np.float64(0.0)
>>> fad.hessian(lambda x: (x ** 4).sum() / 4)(fnp.array([1.0, 2.0]))
array([[ 3.,  0.],
       [ 0., 12.]])
"""

import fad.numpy  # noqa: F401 - installs the array interface of traced values
from fad import ad_checkpoint, checkpoint_policies, debug, extend, lax, nn, random, tree, tree_util, typing  # noqa: F401
from fad._api import float0, grad, jet, jvp, stop_gradient, value_and_grad, vjp, vmap  # noqa: F401
from fad._backend import BackendError  # noqa: F401
from fad._callback import pure_callback  # noqa: F401
from fad._core import TRACER_TYPES as _TRACER_TYPES
from fad._core import (  # noqa: F401
    EscapedTracerError,
    FadError,
    MissingRuleError,
    TracerConversionError,
)
from fad._custom import checkpoint, custom_jvp, custom_vjp, remat  # noqa: F401
from fad._debug import NaNError, config, debug_nans  # noqa: F401
from fad._devices import (  # noqa: F401
    block_until_ready,
    default_backend,
    device_count,
    device_get,
    device_put,
    devices,
    local_device_count,
    local_devices,
    process_count,
    process_index,
    typeof,
)
from fad._jacobians import hessian, jacfwd, jacobian, jacrev  # noqa: F401
from fad._jit import ShapeDtypeStruct, clear_caches, disable_jit, eval_shape, jit  # noqa: F401
from fad._linearize import linear_transpose, linearize  # noqa: F401
from fad._program import Program  # noqa: F401
from fad._sparse import sparse_hessian, sparse_jacobian  # noqa: F401
from fad._sparsity import SparsityError, hessian_sparsity, jacobian_sparsity  # noqa: F401
from fad._staging import ConcretizationError, make_program  # noqa: F401
from fad._tree import known_leaves as _known_leaves
from fad.numpy._functional import _VMAP as _vectorize_vmap
from fad.typing import Array  # noqa: F401 - JAX's jax.Array, for annotations

_known_leaves(_TRACER_TYPES)  # every tracer class defined so far is a leaf
del _known_leaves, _TRACER_TYPES
make_jaxpr = make_program  # (JAX's name: the same Program)
_vectorize_vmap[0] = vmap  # (fad.numpy.vectorize maps with fad.vmap, from the layer above it)
del _vectorize_vmap


def __getattr__(name: str) -> object:
    if name == "scipy":  # (`import fad; fad.scipy.special...`, as `jax.scipy` is reached; loaded on demand)
        import importlib

        return importlib.import_module("fad.scipy")
    raise AttributeError(f"module 'fad' has no attribute {name!r}")


__version__ = "0.1.0"

__all__ = [
    "grad",
    "value_and_grad",
    "jvp",
    "jet",
    "vjp",
    "linearize",
    "linear_transpose",
    "pure_callback",
    "typeof",
    "jacfwd",
    "jacrev",
    "jacobian",
    "hessian",
    "jacobian_sparsity",
    "hessian_sparsity",
    "sparse_jacobian",
    "sparse_hessian",
    "vmap",
    "float0",
    "config",
    "debug_nans",
    "NaNError",
    "jit",
    "make_program",
    "make_jaxpr",
    "disable_jit",
    "eval_shape",
    "clear_caches",
    "ShapeDtypeStruct",
    "Array",
    "default_backend",
    "local_device_count",
    "process_index",
    "process_count",
    "device_put",
    "device_get",
    "devices",
    "local_devices",
    "device_count",
    "block_until_ready",
    "Program",
    "ConcretizationError",
    "custom_jvp",
    "custom_vjp",
    "checkpoint",
    "remat",
    "checkpoint_policies",
    "ad_checkpoint",
    "stop_gradient",
    "tree",
    "debug",
    "tree_util",
    "lax",
    "nn",
    "random",
    "extend",
    "FadError",
    "EscapedTracerError",
    "TracerConversionError",
    "MissingRuleError",
    "SparsityError",
    "BackendError",
]
