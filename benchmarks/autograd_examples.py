"""Run autograd's own examples on fad.autograd, by changing their imports only.

Not a test and not run by CI: it downloads autograd's source distribution at run time
(``pip download --no-deps --no-binary :all: autograd``), unpacks it in a temporary
directory, and runs every script of its ``examples/`` folder twice, with a fixed seed and a
short iteration budget:

* with autograd, in an interpreter that has autograd installed (``--autograd-python``, or
  the ``AUTOGRAD_PYTHON`` environment variable; e.g. a scratch venv made with
  ``python -m venv /tmp/agvenv && /tmp/agvenv/bin/pip install autograd numpy scipy matplotlib``);
* with fad, in this interpreter, after rewriting only the import statements
  (``autograd`` -> ``fad.autograd``).

The iteration budget (``--iters``, or ``AUTOGRAD_EXAMPLES_ITERS``; default 10) is applied
identically to both copies by the substitutions in ``BUDGET``: ``num_iters=<n>`` in calls,
``num_epochs = <n>``, ``num_iters = <n>``, ``range(<n>)`` with n >= 100, SciPy's
``"maxiter": <n>``, and ``options={"maxiter": <n>}`` added to a one-line ``minimize(..., method="CG")``.
matplotlib runs on the Agg backend with ``plt.pause`` and ``plt.show`` made no-ops, and
``numpy.random.seed(0)`` runs before each script.

For each example it reports whether it ran under each library, the largest relative
difference between the numbers the two runs printed (when both printed the same count of
numbers), and the ratio of wall times (fad / autograd, interpreter start-up included)::

    python benchmarks/autograd_examples.py --autograd-python /tmp/agvenv/bin/python
"""

from __future__ import annotations

import argparse
import glob
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time

# (pattern, replacement) applied to both copies; {n} is the iteration budget
BUDGET = [
    (r"\bnum_iters\s*=\s*\d+", "num_iters={n}"),
    (r"\bnum_epochs\s*=\s*\d+", "num_epochs = 1"),
    (r"\brange\((\d{3,})\)", "range({n})"),
    (r'"maxiter":\s*\d+', '"maxiter": {n}'),
    (r'(minimize\([^\n]*method="CG")(?![^\n]*options)', r'\1, options={{"maxiter": {n}}}'),
]

IMPORT = re.compile(r"^(\s*)(from|import)(\s+)autograd\b", re.M)

RUNNER = """\
import runpy, sys
import numpy
numpy.random.seed(0)
try:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    plt.pause = lambda *a, **k: None
    plt.show = lambda *a, **k: None
except ImportError:
    pass
script = sys.argv[1]
sys.argv = [script]
sys.path.insert(0, ".")
runpy.run_path(script, run_name="__main__")
"""

NUMBER = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?")


def download(tmp):
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "-q",
            "--no-deps",
            "--no-binary",
            ":all:",
            "autograd",
            "-d",
            tmp,
        ],
        check=True,
    )
    (sdist,) = glob.glob(os.path.join(tmp, "autograd-*.tar.gz"))
    with tarfile.open(sdist) as tar:
        tar.extractall(tmp, filter="data")
    (root,) = [p for p in glob.glob(os.path.join(tmp, "autograd-*")) if os.path.isdir(p)]
    return os.path.join(root, "examples")


def scripts(examples):
    out = []
    for path in sorted(
        glob.glob(os.path.join(examples, "*.py")) + glob.glob(os.path.join(examples, "*", "*.py"))
    ):
        name = os.path.basename(path)
        if name in ("__init__.py", "data.py", "data_mnist.py"):  # helpers the examples import
            continue
        out.append(os.path.relpath(path, examples))
    return out


def budget(text, n):
    for pattern, repl in BUDGET:
        text = re.sub(pattern, repl.format(n=n), text)
    return text


def prepare(examples, dest, n, to_fad):
    shutil.copytree(examples, dest)
    for path in glob.glob(os.path.join(dest, "**", "*.py"), recursive=True):
        with open(path) as f:
            text = f.read()
        text = budget(text, n)
        if to_fad:
            text = IMPORT.sub(lambda m: f"{m.group(1)}{m.group(2)}{m.group(3)}fad.autograd", text)
        with open(path, "w") as f:
            f.write(text)
    with open(os.path.join(dest, "_run.py"), "w") as f:
        f.write(RUNNER)


def run(python, root, script, timeout):
    cwd = os.path.join(root, os.path.dirname(script))
    runner = os.path.relpath(os.path.join(root, "_run.py"), cwd)
    env = dict(os.environ, MPLBACKEND="Agg", PYTHONHASHSEED="0", PYTHONWARNINGS="ignore")
    env["PYTHONPATH"] = os.pathsep.join([root, os.path.dirname(os.path.dirname(os.path.abspath(__file__)))])
    start = time.perf_counter()
    try:
        p = subprocess.run(
            [python, runner, os.path.basename(script)],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired as e:
        out = e.stdout.decode() if isinstance(e.stdout, bytes) else (e.stdout or "")
        return False, out, f"timeout after {timeout} s", time.perf_counter() - start
    last = (p.stderr.strip().splitlines() or [""])[-1]
    return p.returncode == 0, p.stdout, last, time.perf_counter() - start


def max_rel_diff(out_a, out_b):
    a = [float(x) for x in NUMBER.findall(out_a)]
    b = [float(x) for x in NUMBER.findall(out_b)]
    if not a or len(a) != len(b):
        return None
    return max(abs(x - y) / max(abs(x), abs(y), 1e-12) for x, y in zip(a, b, strict=True))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--autograd-python", default=os.environ.get("AUTOGRAD_PYTHON", "/tmp/agvenv/bin/python")
    )
    parser.add_argument("--iters", type=int, default=int(os.environ.get("AUTOGRAD_EXAMPLES_ITERS", "10")))
    parser.add_argument("--timeout", type=float, default=300.0)
    parser.add_argument("--only", nargs="*", help="run only these examples (file names)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        examples = download(tmp)
        ag_root, fad_root = os.path.join(tmp, "with_autograd"), os.path.join(tmp, "with_fad")
        prepare(examples, ag_root, args.iters, to_fad=False)
        prepare(examples, fad_root, args.iters, to_fad=True)
        names = scripts(examples)
        if args.only:
            names = [s for s in names if os.path.basename(s) in args.only or s in args.only]
        print("| example | autograd | fad | max rel. diff of printed numbers | time ratio | fad's error |")
        print("|---|---|---|---|---|---|")
        ran = 0
        for script in names:
            ok_a, out_a, err_a, t_a = run(args.autograd_python, ag_root, script, args.timeout)
            ok_f, out_f, err_f, t_f = run(sys.executable, fad_root, script, args.timeout)
            ran += ok_f
            diff = max_rel_diff(out_a, out_f) if ok_a and ok_f else None
            diff_s = "" if diff is None else f"{diff:.1e}"
            ratio = f"{t_f / t_a:.2f}" if ok_a and ok_f else ""
            why = "" if ok_f else err_f.replace("|", "\\|")[:120]
            a_s = "ran" if ok_a else "failed: " + err_a.replace("|", "\\|")[:60]
            print(
                f"| {script} | {a_s} | {'ran' if ok_f else 'FAILED'} | {diff_s} | {ratio} | {why} |",
                flush=True,
            )
        print(f"\n{ran} of {len(names)} examples ran on fad.autograd (iteration budget {args.iters}).")


if __name__ == "__main__":
    main()
