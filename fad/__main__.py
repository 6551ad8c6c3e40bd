"""A short tour of fad: ``python -m fad``."""

from __future__ import annotations

import numpy as onp

import fad
import fad.numpy as np
from fad.typing import Array


def main() -> None:
    onp.set_printoptions(precision=4, suppress=True)
    print("fad", fad.__version__, "- functional automatic differentiation on NumPy\n")

    def f(x1: Array, x2: Array, x3: Array) -> Array:
        return 3 * (x1**2 + x2 * x3)

    print("f(x1, x2, x3) = 3 * (x1**2 + x2*x3) at (2, 3, 4)")
    print("  value          ", f(2.0, 3.0, 4.0))
    print("  gradient       ", onp.array(fad.grad(f, argnums=(0, 1, 2))(2.0, 3.0, 4.0)))

    g = lambda x: np.sin(x) * np.sum(x**2)  # noqa: E731
    x = np.array([0.5, -1.0, 2.0])
    print("\ng(x) = sin(x) * sum(x**2), x =", x)
    print("  jacfwd(g)(x) =\n", fad.jacfwd(g)(x))
    print("  jacrev(g)(x) =\n", fad.jacrev(g)(x))

    def logsumexp_quartic(x: Array) -> Array:
        A = np.reshape(np.arange(9.0) / 10.0, (3, 3))
        z = A @ x
        m = np.max(z)
        return m + np.log(np.sum(np.exp(z - m))) + np.sum(x**4) / 4

    print(
        "\nhessian of logsumexp(A x) + sum(x**4)/4 (jacfwd of jacrev):\n", fad.hessian(logsumexp_quartic)(x)
    )

    rng = onp.random.default_rng(0)
    w = rng.standard_normal(3)
    xs, ys = rng.standard_normal((4, 3)), rng.standard_normal(4)
    loss = lambda w, x, y: (np.tanh(x @ w) - y) ** 2  # noqa: E731
    print(
        "\nper-example gradients, vmap(grad(loss), in_axes=(None, 0, 0)):\n",
        fad.vmap(fad.grad(loss), in_axes=(None, 0, 0))(w, xs, ys),
    )

    d3 = fad.grad(fad.grad(fad.grad(np.tanh)))
    print("\nthird derivative of tanh at 0.5:", d3(0.5))
    _, derivs = fad.jet(np.tanh, (0.5,), ([1.0, 0.0, 0.0, 0.0, 0.0, 0.0],))
    print("orders 1-6 in one Taylor-mode pass, fad.jet:", np.round(np.stack(derivs), 4))


if __name__ == "__main__":
    main()
