"""Shared by the example scripts: command-line flags and optional plotting.

matplotlib is optional (``pip install "fad-autodiff[examples]"``, or
``pip install -e ".[examples]"`` in a checkout): without it the scripts run,
print their results and skip the picture with a note.
"""

from __future__ import annotations

import argparse
import os


def parse_args(description: str) -> argparse.Namespace:
    """``--quick`` (a short run, for CI) and ``--out DIR`` (where PNGs go, default: here)."""
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--quick", action="store_true", help="a short run (used by the test suite)")
    p.add_argument("--out", default=".", help="directory for the PNG plot (default: current directory)")
    return p.parse_args()


def pyplot():
    """matplotlib.pyplot with a file-only backend, or None when matplotlib is missing."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return None
    return plt


def save(fig, out_dir: str, name: str) -> None:
    path = os.path.join(out_dir, name)
    os.makedirs(out_dir, exist_ok=True)
    fig.savefig(path, dpi=110, bbox_inches="tight")
    print(f"wrote {path}")


def no_plot(name: str) -> None:
    print(f"matplotlib is not installed: skipping {name} (pip install matplotlib)")
