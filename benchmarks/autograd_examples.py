"""Run autograd's own examples and test suite on fad.autograd, by changing their imports only.

Not a test and not run by CI: it downloads autograd's source distribution at run time
(``pip download --no-deps --no-binary :all: autograd``), unpacks it in a temporary
directory, and runs every script of its ``examples/`` folder twice, with a fixed seed and a
short iteration budget:

* with autograd, in an interpreter that has autograd installed (``--autograd-python``, or
  the ``AUTOGRAD_PYTHON`` environment variable; e.g. a scratch venv made with
  ``python -m venv /tmp/agvenv && /tmp/agvenv/bin/pip install autograd numpy scipy matplotlib``);
* with fad, in this interpreter, after rewriting only the import statements
  (``autograd`` -> ``fad.autograd``; a bare ``import autograd.scipy.signal`` also binds
  the name ``autograd`` to ``fad.autograd``, as the original import binds it).

The iteration budget (``--iters``, or ``AUTOGRAD_EXAMPLES_ITERS``; default 10) is applied
identically to both copies by the substitutions in ``BUDGET``: ``num_iters=<n>`` in calls,
``num_epochs = <n>``, ``num_iters = <n>``, ``range(<n>)`` with n >= 100, SciPy's
``"maxiter": <n>``, ``options={"maxiter": <n>}`` added to a one-line ``minimize(..., method="CG")`` and to
``method="Newton-CG"``,
at most <n> updates of the EM fixed point of ``hmm_em.py``, and ``RandomState(0)`` for
an unseeded ``RandomState()`` (``convnet.py``'s initial weights).
matplotlib runs on the Agg backend with ``plt.pause`` and ``plt.show`` made no-ops,
``scipy.optimize`` (which nine examples import: about 0.2 s of CPU, the same for both
libraries) is imported before the script's clock starts, the young objects the imports left
are collected before it starts too (``gc.collect(0)``: when Python's first collection after the
imports falls depends on how many objects they made, and it costs 0.05-0.2 ms, a tenth of
the shortest scripts), and ``numpy.random.seed(0)`` runs before each script. The four MNIST
examples (``convnet``, ``neural_net``, ``generative_adversarial_net``, ``variational_autoencoder``) read
synthetic digits in MNIST's file format and shapes (images of 28 x 28, labels 0-9; 6,000
training and 1,000 test images, a tenth of MNIST's counts), written once into both
copies' ``data/`` folder, where the examples' own loader finds them instead of
downloading MNIST.

For each example it reports whether it ran under each library, the largest relative
difference between the numbers the two runs printed (when both printed the same count of
numbers), and the ratio of CPU times (fad / autograd, with BLAS limited to one thread in
both so that the load of the machine does not decide; the two runs of an example go side
by side): of the whole process, and of the script alone once matplotlib, SciPy and the library
are imported (the start-up and import of each library is measured apart, median of
three). A script that takes less than 0.05 s of CPU runs five times a side and the medians
are compared (a stall of the machine would otherwise decide); even so its ratio says little:
the first call of each operation dominates it.

Then (``--tests``, on by default) it runs autograd's own test suite (``tests/`` of the
sdist) with pytest in this interpreter twice: with autograd (its source, on
``PYTHONPATH``), and with fad.autograd after the same import rewriting. Tests of autograd's
internals (``EXCLUDED``, each with its reason) are deselected in both runs; the report gives
the pass counts and lists fad's failures::

    python benchmarks/autograd_examples.py --autograd-python /tmp/agvenv/bin/python
"""

from __future__ import annotations

import argparse
import concurrent.futures
import glob
import gzip
import os
import re
import resource
import shutil
import statistics
import struct
import subprocess
import sys
import tarfile
import tempfile

# (pattern, replacement) applied to both copies; {n} is the iteration budget
BUDGET = [
    (r"\bnum_iters\s*=\s*\d+", "num_iters={n}"),
    (r"\bnum_epochs\s*=\s*\d+", "num_epochs = 1"),
    (r"\brange\((\d{3,})\)", "range({n})"),
    (r'"maxiter":\s*\d+', '"maxiter": {n}'),
    (r'(minimize\([^\n]*method="CG")(?![^\n]*options)', r'\1, options={{"maxiter": {n}}}'),
    # gmm.py's multi-line minimize(..., method="Newton-CG", ...) runs to convergence
    (r'(method="Newton-CG",)(?![^)]*options)', r'\1 options={{"maxiter": {n}}},'),
    # convnet.py draws its initial weights from an unseeded RandomState: seed it
    (r"\bRandomState\(\)", "RandomState(0)"),
    # hmm_em.py iterates EM to convergence: at most n updates
    (
        r"\n(\s*)while different\(x0, x1\):",
        "\n\\1for _ in range({n}):\n\\1    if not different(x0, x1):\n\\1        break",
    ),
]

IMPORT = re.compile(r"^(\s*)(from|import)(\s+)autograd\b", re.M)
# ``import autograd.x.y`` (no ``as``) binds the name ``autograd``: keep that binding
BARE_IMPORT = re.compile(r"^(\s*)import fad\.autograd(\.[\w.]+)?[ \t]*$", re.M)

# autograd's tests that test autograd's internals, not its API: deselected in both runs
EXCLUDED = {
    "test_linalg.py::test_pinv": "calls autograd.numpy.linalg's private helpers _dot and T",
    "test_fft.py::test_rfftn_odd_not_implemented": (
        "asserts autograd's NotImplementedError for an odd-length last axis of rfftn; fad differentiates it"
    ),
}

RUNNER = """\
import gc, importlib, os, runpy, sys, time
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
try:  # the examples' own SciPy import: the same code for both libraries, timed apart too
    import scipy.optimize
except ImportError:
    pass
for name in os.environ.get("PRELOAD", "").split():  # the library: its import is timed apart
    importlib.import_module(name)
# the young objects the imports left (their collection is import work, and whether it falls in
# the first milliseconds of the script depends on how many objects the imports happened to make)
gc.collect(0)
script = sys.argv[1]
sys.argv = [script]
sys.path.insert(0, ".")
start = time.process_time()
runpy.run_path(script, run_name="__main__")
t = os.times()
with open(os.environ["CPU_FILE"], "w") as f:
    f.write(f"{t.user + t.system!r} {time.process_time() - start!r}")
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


def write_fake_mnist(folder, sizes=(("train", 6000), ("t10k", 1000))):
    """Synthetic digits in MNIST's idx format: images of 28 x 28 (uint8, a blob per class
    plus noise) with labels 0-9; 6,000 training and 1,000 test images by default (a tenth
    of MNIST's counts: the budget's one epoch then takes seconds, not minutes)."""
    import numpy as np

    rng = np.random.RandomState(0)
    os.makedirs(folder, exist_ok=True)
    yy, xx = np.mgrid[0:28, 0:28]
    centres = [(8 + 12 * (k % 2), 6 + 4 * (k // 2)) for k in range(10)]
    templates = np.stack([np.exp(-((yy - cy) ** 2 + (xx - cx) ** 2) / 18.0) for cy, cx in centres])
    for prefix, n in sizes:
        labels = rng.randint(0, 10, size=n).astype(np.uint8)
        images = 200.0 * templates[labels] + rng.uniform(0.0, 55.0, size=(n, 28, 28))
        images = np.clip(images, 0, 255).astype(np.uint8)
        with gzip.open(os.path.join(folder, f"{prefix}-images-idx3-ubyte.gz"), "wb", compresslevel=1) as f:
            f.write(struct.pack(">IIII", 2051, n, 28, 28) + images.tobytes())
        with gzip.open(os.path.join(folder, f"{prefix}-labels-idx1-ubyte.gz"), "wb", compresslevel=1) as f:
            f.write(struct.pack(">II", 2049, n) + labels.tobytes())


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


def to_fad(text):
    """The import statements of ``text`` rewritten from autograd to fad.autograd."""
    text = IMPORT.sub(lambda m: f"{m.group(1)}{m.group(2)}{m.group(3)}fad.autograd", text)
    return BARE_IMPORT.sub(
        lambda m: f"{m.group(1)}import fad.autograd{m.group(2) or ''}\n{m.group(1)}from fad import autograd",
        text,
    )


# data files that an example reads: the text of a script, kept as autograd wrote it in both
# copies (the rewritten imports would change the training text)
DATA = [
    ("hmm_em.py", "lstm.py", "lstm_text.txt"),
    ("lstm.py", "lstm.py", "lstm_text.txt"),
    ("rnn.py", "rnn.py", "rnn_text.txt"),
]


def prepare(examples, dest, n, fad, mnist=None):
    shutil.copytree(examples, dest)
    for script, source, copy in DATA:  # hmm_em.py and lstm.py train on lstm.py's text
        shutil.copy(os.path.join(examples, source), os.path.join(dest, copy))
        path = os.path.join(dest, script)
        with open(path) as f:
            text = f.read().replace(f'"{source}"', f'"{copy}"')
        with open(path, "w") as f:
            f.write(text)
    for path in glob.glob(os.path.join(dest, "**", "*.py"), recursive=True):
        with open(path) as f:
            text = f.read()
        text = budget(text, n)
        if fad:
            text = to_fad(text)
        with open(path, "w") as f:
            f.write(text)
    with open(os.path.join(dest, "_run.py"), "w") as f:
        f.write(RUNNER)
    if mnist is not None:
        shutil.copytree(mnist, os.path.join(dest, "data"))


LIBRARY_MODULES = [
    "",
    ".numpy",
    ".numpy.random",
    ".extend",
    ".test_util",
    ".misc.optimizers",
    ".misc.flatten",
]
FAD_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ONE_THREAD = {k: "1" for k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")}


def child_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run(python, root, script, timeout, preload):
    """``(ok, stdout, last line of stderr, CPU seconds of the process, CPU seconds of the
    script after matplotlib and the library ``preload`` are imported)`` of one example."""
    cwd = os.path.join(root, os.path.dirname(script))
    runner = os.path.relpath(os.path.join(root, "_run.py"), cwd)
    cpu_file = os.path.join(root, "_cpu.txt")
    if os.path.exists(cpu_file):
        os.remove(cpu_file)
    env = dict(os.environ, MPLBACKEND="Agg", PYTHONHASHSEED="0", PYTHONWARNINGS="ignore", **ONE_THREAD)
    env.update(PYTHONPATH=os.pathsep.join([root, FAD_ROOT]), PRELOAD=preload, CPU_FILE=cpu_file)
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
        return False, out, f"timeout after {timeout} s", None, None
    last = (p.stderr.strip().splitlines() or [""])[-1]
    process_cpu = script_cpu = None
    if os.path.exists(cpu_file):
        with open(cpu_file) as f:
            process_cpu, script_cpu = map(float, f.read().split())
    return p.returncode == 0, p.stdout, last, process_cpu, script_cpu


def startup_cpu(python, module):
    """CPU seconds to start ``python`` and import ``module`` (median of three)."""
    env = dict(os.environ, PYTHONPATH=FAD_ROOT, **ONE_THREAD)
    times = []
    for _ in range(3):
        start = child_cpu()
        subprocess.run([python, "-c", f"import {module}"], env=env, check=True)
        times.append(child_cpu() - start)
    return statistics.median(times)


WORD = re.compile(r"\b[A-Za-z_][A-Za-z_0-9]*")  # names such as float64 are not numbers


def max_rel_diff(out_a, out_b):
    a = [float(x) for x in NUMBER.findall(WORD.sub(" ", out_a))]
    b = [float(x) for x in NUMBER.findall(WORD.sub(" ", out_b))]
    if not a or len(a) != len(b):
        return None
    return max(abs(x - y) / max(abs(x), abs(y), 1e-12) for x, y in zip(a, b, strict=True))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--autograd-python", default=os.environ.get("AUTOGRAD_PYTHON", "/tmp/agvenv/bin/python")
    )
    parser.add_argument("--iters", type=int, default=int(os.environ.get("AUTOGRAD_EXAMPLES_ITERS", "10")))
    parser.add_argument("--timeout", type=float, default=900.0)
    parser.add_argument("--only", nargs="*", help="run only these examples (file names)")
    parser.add_argument("--no-examples", dest="examples", action="store_false", help="skip the examples")
    parser.add_argument("--no-tests", dest="tests", action="store_false", help="skip autograd's test suite")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        examples = download(tmp)
        if args.examples:
            run_examples(args, tmp, examples)
        if args.tests:
            run_test_suite(tmp, os.path.dirname(examples))


def run_examples(args, tmp, examples):
    mnist = os.path.join(tmp, "mnist")
    write_fake_mnist(mnist)
    ag_root, fad_root = os.path.join(tmp, "with_autograd"), os.path.join(tmp, "with_fad")
    prepare(examples, ag_root, args.iters, fad=False, mnist=mnist)
    prepare(examples, fad_root, args.iters, fad=True, mnist=mnist)
    names = scripts(examples)
    if args.only:
        names = [s for s in names if os.path.basename(s) in args.only or s in args.only]
    # the library's modules the examples import: timed apart from the scripts
    modules = " ".join(f"{{0}}{m}" for m in LIBRARY_MODULES)
    lib_a, lib_f = modules.format("autograd"), modules.format("fad.autograd")
    s_a = startup_cpu(args.autograd_python, lib_a.replace(" ", ", "))
    s_f = startup_cpu(sys.executable, lib_f.replace(" ", ", "))
    print(f"start-up and import of the library, CPU: autograd {s_a:.2f} s, fad.autograd {s_f:.2f} s\n")
    print(
        "| example | autograd | fad | max rel. diff of printed numbers | CPU ratio | "
        "CPU ratio of the script | CPU s of the script (autograd) | fad's error |"
    )
    print("|---|---|---|---|---|---|---|---|")
    ran = 0
    for script in names:
        with concurrent.futures.ThreadPoolExecutor(2) as pool:  # both at once: CPU times are per process
            run_a = pool.submit(run, args.autograd_python, ag_root, script, args.timeout, lib_a)
            run_f = pool.submit(run, sys.executable, fad_root, script, args.timeout, lib_f)
            ok_a, out_a, err_a, t_a, c_a = run_a.result()
            ok_f, out_f, err_f, t_f, c_f = run_f.result()
        ran += ok_f
        if ok_a and ok_f and None not in (c_a, c_f) and max(c_a, c_f) < SHORT:
            # milliseconds: a stall of the machine would decide one run; the median of REPEAT
            first = (t_a, t_f, c_a, c_f)
            t_a, t_f, c_a, c_f = repeat_short(args, ag_root, fad_root, script, lib_a, lib_f, first)
        diff = max_rel_diff(out_a, out_f) if ok_a and ok_f else None
        diff_s = "" if diff is None else f"{diff:.1e}"
        if ok_a and ok_f and diff is None and out_a == out_f:
            diff_s = "same output (no numbers)"
        both = ok_a and ok_f
        ratio = f"{t_f / t_a:.2f}" if both else ""
        net = f"{c_f / max(c_a, 1e-3):.2f}" if both else ""
        t_a = c_a if c_a is not None else t_a
        why = "" if ok_f else err_f.replace("|", "\\|")[:120]
        a_s = "ran" if ok_a else "failed: " + err_a.replace("|", "\\|")[:60]
        print(
            f"| {script} | {a_s} | {'ran' if ok_f else 'FAILED'} | {diff_s} | {ratio} | {net} | "
            f"{t_a:.1f} | {why} |",
            flush=True,
        )
    print(f"\n{ran} of {len(names)} examples ran on fad.autograd (iteration budget {args.iters}).\n")


SHORT, REPEAT = 0.05, 5  # a script under SHORT s of CPU runs REPEAT times a side


def repeat_short(args, ag_root, fad_root, script, lib_a, lib_f, first):
    """The medians of ``(process CPU, script CPU)`` a side over REPEAT side-by-side runs."""
    runs = [first]
    for _ in range(REPEAT - 1):
        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            run_a = pool.submit(run, args.autograd_python, ag_root, script, args.timeout, lib_a)
            run_f = pool.submit(run, sys.executable, fad_root, script, args.timeout, lib_f)
            *_, t_a, c_a = run_a.result()
            *_, t_f, c_f = run_f.result()
        if None not in (t_a, t_f, c_a, c_f):
            runs.append((t_a, t_f, c_a, c_f))
    return tuple(statistics.median(r[k] for r in runs) for k in range(4))


SUMMARY = re.compile(r"(\d+) (passed|failed|skipped|errors?|deselected)")


def pytest_run(tests, pythonpath, out_file):
    """``({outcome: count}, stdout)`` of pytest on the folder ``tests``."""
    with open(os.path.join(tests, "pytest.ini"), "w") as f:
        f.write("[pytest]\n")  # autograd's own configuration asks for plugins: not needed
    deselect = [a for name in EXCLUDED for a in ("--deselect", name)]
    env = dict(os.environ, PYTHONPATH=pythonpath, PYTHONWARNINGS="ignore", **ONE_THREAD)
    p = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-rfE",
            "-p",
            "no:cacheprovider",
            "-c",
            "pytest.ini",
            "--rootdir",
            ".",
            "--continue-on-collection-errors",
            *deselect,
            ".",
        ],
        cwd=tests,
        env=env,
        capture_output=True,
        text=True,
    )
    with open(out_file, "w") as f:
        f.write(p.stdout + p.stderr)
    last = (p.stdout.strip().splitlines() or [""])[-1]
    counts = {k.rstrip("s") if k.startswith("error") else k: int(n) for n, k in SUMMARY.findall(last)}
    return counts, p.stdout


def run_test_suite(tmp, sdist):
    ag_tests, fad_tests = os.path.join(tmp, "tests_autograd"), os.path.join(tmp, "tests_fad")
    shutil.copytree(os.path.join(sdist, "tests"), ag_tests)
    shutil.copytree(os.path.join(sdist, "tests"), fad_tests)
    for path in glob.glob(os.path.join(fad_tests, "*.py")):
        with open(path) as f:
            text = to_fad(f.read())
        with open(path, "w") as f:
            f.write(text)
    c_a, _ = pytest_run(ag_tests, sdist, os.path.join(tmp, "ag.log"))
    c_f, out_f = pytest_run(fad_tests, FAD_ROOT, os.path.join(tmp, "fad.log"))
    print("autograd's test suite (tests/ of its sdist), pytest in this interpreter:\n")
    print("| run | passed | failed | errors | skipped | deselected |")
    print("|---|---|---|---|---|---|")
    for name, c in [("autograd", c_a), ("fad.autograd (imports rewritten)", c_f)]:
        print(
            f"| {name} | {c.get('passed', 0)} | {c.get('failed', 0)} | {c.get('error', 0)} | "
            f"{c.get('skipped', 0)} | {c.get('deselected', 0)} |"
        )
    print("\nDeselected in both runs (tests of autograd's internals):\n")
    for name, why in EXCLUDED.items():
        print(f"* `{name}`: {why}")
    fails = [line for line in out_f.splitlines() if line.startswith(("FAILED", "ERROR"))]
    if fails:
        print("\nfad.autograd's failures:\n")
        for line in fails:
            print("* " + line.replace("|", "\\|")[:200])


if __name__ == "__main__":
    main()
