"""Render the computational graphs shown on the "Staging and jit" page.

``fad.make_program`` captures a function as a Program; ``Program.to_dot()`` writes it in
Graphviz's language, and ``dot -Tpng`` draws it. Writes ``docs/img/graph_*.png``: the
tutorial's ``f(x1, x2, x3) = 3 * (x1**2 + x2*x3)``, its gradient, its value and gradient,
and the gradient of ``g(x) = sum(tanh(x)**2)``. Without Graphviz's ``dot`` on the PATH
(Debian: ``apt-get install graphviz``)
it writes the ``.dot`` sources instead and says so.

    python docs/scripts/render_graphs.py [--out docs/img]
"""

import argparse
import os
import shutil
import subprocess

import fad
import fad.numpy as np


def f(x1, x2, x3):
    return 3 * (x1**2 + x2 * x3)


def g(x):
    return np.sum(np.tanh(x) ** 2)


X = (2.0, 3.0, 4.0)
GRAPHS = {  # file name: (program maker, example arguments)
    "graph_f": (fad.make_program(f), X),
    "graph_grad_f": (fad.make_program(fad.grad(f, argnums=(0, 1, 2))), X),
    "graph_value_and_grad_f": (fad.make_program(fad.value_and_grad(f, argnums=(0, 1, 2))), X),
    "graph_grad_g": (fad.make_program(fad.grad(g)), (np.ones(3),)),
}


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "img"))
    args = p.parse_args()
    os.makedirs(args.out, exist_ok=True)
    dot = shutil.which("dot")
    if dot is None:
        print("Graphviz 'dot' is not on the PATH (apt-get install graphviz): writing .dot sources only")
    for name, (maker, example) in GRAPHS.items():
        source = maker(*example).to_dot(name)
        if dot is None:
            path = os.path.join(args.out, name + ".dot")
            with open(path, "w") as fh:
                fh.write(source + "\n")
        else:
            path = os.path.join(args.out, name + ".png")
            subprocess.run([dot, "-Tpng", "-Gdpi=96", "-o", path], input=source, text=True, check=True)
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
