"""autograd's public API on fad's transforms: port autograd code by changing its imports.

``import autograd.numpy as np`` becomes ``import fad.autograd.numpy as np`` and ``from
autograd import grad`` becomes ``from fad.autograd import grad``; ``autograd.scipy``,
``autograd.extend``, ``autograd.misc``, ``autograd.test_util`` and ``autograd.builtins``
likewise. The semantics are autograd's (``argnum``, size-1 outputs accepted by ``grad``);
the engine is fad's, so the results also compose with ``fad.vmap``, ``fad.jvp`` and
``fad.jit``.

>>> import fad.autograd.numpy as np
>>> from fad.autograd import grad
>>> grad(lambda x: np.tanh(x))(0.0)
np.float64(1.0)
"""

from fad.autograd import differential_operators
from fad.autograd.builtins import dict, isinstance, list, tuple, type  # noqa: F401
from fad.autograd.differential_operators import (  # noqa: F401
    checkpoint,
    deriv,
    elementwise_grad,
    grad,
    grad_and_aux,
    grad_named,
    hessian,
    hessian_tensor_product,
    hessian_vector_product,
    holomorphic_grad,
    jacobian,
    make_ggnvp,
    make_hvp,
    make_jvp,
    make_vjp,
    multigrad_dict,
    tensor_jacobian_product,
    value_and_grad,
    vector_jacobian_product,
)
from fad.autograd.extend import primitive  # noqa: F401

__all__ = sorted(
    [*differential_operators.__all__, "dict", "isinstance", "list", "primitive", "tuple", "type"]
)
