"""The frameworks a workload can run on, behind one small interface.

Each :class:`Framework` gives a NumPy-like namespace ``np`` (enough for the workloads:
elementwise functions, ``sum``/``max`` with ``axis``/``keepdims``, ``@``), the transforms it
has (``grad``, ``value_and_grad``, ``hessian``, ``jacfwd``, ``jacrev``, ``vmap``; ``None``
when it has none), ``asarray`` to turn a NumPy input into its own array type, ``finish``
to wait for a result (JAX dispatches asynchronously) and ``compile`` (``fad.jit`` or
``jax.jit`` for the jit columns, the identity elsewhere).

Peers are imported lazily, only when asked for, and are skipped with a note when missing:
none of them is a dependency of fad.
"""

from __future__ import annotations

import importlib.metadata
from types import SimpleNamespace

import numpy as np


class Unsupported(Exception):
    """A framework has no way to run this workload (the message says why)."""


class Framework:
    """One column of the results table."""

    name = ""
    label = ""
    is_peer = True
    grad = value_and_grad = hessian = jacfwd = jacrev = vmap = jet = None
    #: the library's own logsumexp of a vector (its max shift outside the derivative)
    logsumexp = None

    def asarray(self, a):
        return a

    def finish(self, out):
        return out

    def compile(self, f):
        return f

    def to_numpy(self, out):
        return np.asarray(out)

    def need(self, what):
        """The transform ``what`` or :class:`Unsupported`."""
        f = getattr(self, what)
        if f is None:
            raise Unsupported(f"{self.label} has no {what}")
        return f

    def version(self):
        return ""


def _version(dist):
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "?"


class NumPyFramework(Framework):
    """Plain NumPy: the function alone (no derivative) and the hand-written derivatives."""

    name = "numpy"
    label = "NumPy"
    is_peer = False

    def __init__(self):
        self.np = np

    def version(self):
        return np.__version__


class Fad(Framework):
    name = "fad"
    label = "fad"
    is_peer = False

    def __init__(self):
        import fad
        import fad.numpy as fnp

        self.np = fnp
        self.grad, self.value_and_grad, self.hessian = fad.grad, fad.value_and_grad, fad.hessian
        self.jacfwd, self.jacrev, self.vmap = fad.jacfwd, fad.jacrev, fad.vmap
        self.jet = fad.jet
        self.logsumexp = fad.nn.logsumexp
        self._fad = fad

    def version(self):
        return getattr(self._fad, "__version__", None) or _version("fad")


class FadJit(Fad):
    """``fad.jit`` around fad's transformed function: captured once (in the warm-up call,
    timed separately as the capture time), then run as generated straight-line NumPy."""

    name = "fad-jit"
    label = "fad jit"

    def compile(self, f):
        return self._fad.jit(f)


class Autograd(Framework):
    name = "autograd"
    label = "autograd"

    def __init__(self):
        import autograd
        import autograd.numpy as anp

        self.np = anp
        self.grad, self.value_and_grad = autograd.grad, autograd.value_and_grad
        self.hessian = autograd.hessian
        self.jacrev = autograd.jacobian  # reverse mode; autograd has no jacfwd and no vmap
        from autograd.scipy.special import logsumexp

        self.logsumexp = logsumexp

    def version(self):
        return _version("autograd")


class Jax(Framework):
    name = "jax"
    label = "JAX"

    def __init__(self):
        import jax

        jax.config.update("jax_enable_x64", True)  # float64, like the other columns
        import jax.numpy as jnp

        self._jax = jax
        self.np = jnp
        self.grad, self.value_and_grad, self.hessian = jax.grad, jax.value_and_grad, jax.hessian
        self.jacfwd, self.jacrev, self.vmap = jax.jacfwd, jax.jacrev, jax.vmap
        self.logsumexp = jax.nn.logsumexp
        try:
            from jax.experimental.jet import jet
        except ImportError:  # pragma: no cover - older or newer JAX without it
            jet = None
        self.jet = jet

    def asarray(self, a):
        return self._jax.device_put(np.asarray(a))

    def finish(self, out):
        return self._jax.block_until_ready(out)

    def version(self):
        return f"{self._jax.__version__} (jaxlib {_version('jaxlib')})"


class JaxJit(Jax):
    name = "jax-jit"
    label = "JAX jit"

    def compile(self, f):
        return self._jax.jit(f)


class TorchFunc(Framework):
    name = "torch"
    label = "torch.func"

    def __init__(self):
        import torch
        import torch.func as tf

        torch.set_num_threads(1)
        self._torch = torch

        def _sum(x, axis=None, keepdims=False):
            return torch.sum(x) if axis is None else torch.sum(x, dim=axis, keepdim=keepdims)

        def _max(x, axis=None, keepdims=False):
            return torch.amax(x) if axis is None else torch.amax(x, dim=axis, keepdim=keepdims)

        self.np = SimpleNamespace(
            sin=torch.sin,
            cos=torch.cos,
            tanh=torch.tanh,
            exp=torch.exp,
            log=torch.log,
            square=torch.square,
            sum=_sum,
            max=_max,
        )
        self.grad, self.hessian = tf.grad, tf.hessian
        self.jacfwd, self.jacrev = tf.jacfwd, tf.jacrev
        self.logsumexp = lambda v: torch.logsumexp(v, dim=0)

        def value_and_grad(f, argnums=0):
            g = tf.grad_and_value(f, argnums=argnums)

            def vg(*args):
                dx, v = g(*args)
                return v, dx

            return vg

        def vmap(f, in_axes=0):
            return tf.vmap(f, in_dims=in_axes)

        self.value_and_grad, self.vmap = value_and_grad, vmap

    def asarray(self, a):
        return self._torch.from_numpy(np.array(a, dtype=np.float64))

    def to_numpy(self, out):
        return out.detach().numpy() if hasattr(out, "detach") else np.asarray(out)

    def version(self):
        return self._torch.__version__


#: Columns in table order: what each framework is called on the command line.
ALL = {
    "numpy": NumPyFramework,
    "fad": Fad,
    "fad-jit": FadJit,
    "autograd": Autograd,
    "jax": Jax,
    "jax-jit": JaxJit,
    "torch": TorchFunc,
}
PEERS = ("autograd", "jax", "jax-jit", "torch")


def load(names):
    """Instantiate the frameworks ``names``; returns ``(frameworks, notes)`` (missing peers noted)."""
    loaded, notes = {}, []
    for n in names:
        try:
            loaded[n] = ALL[n]()
        except ImportError as e:
            notes.append(f"{ALL[n].label} skipped: not installed ({e.name or e}).")
    return loaded, notes
