"""Records for ``fad.scipy.signal``: each convolution in every mode, direct and by FFT,
1-d and 2-d, and the 2-d boundaries."""

from __future__ import annotations

from fad.scipy import signal
from tests.records import Rec

MODES = ("full", "same", "valid")

RECORDS = []
for _mode in MODES:
    for _method in ("direct", "fft"):
        for _name in ("convolve", "correlate"):
            _fn = getattr(signal, _name)
            RECORDS.append(
                Rec(
                    f"scipy.signal.{_name}",
                    (lambda fn, mode, method: lambda a, v: fn(a, v, mode=mode, method=method))(
                        _fn, _mode, _method
                    ),
                    shapes=[(7,), (3,)],
                    variant=f"{_mode},{_method}",
                )
            )
    for _name in ("fftconvolve", "oaconvolve"):
        _fn = getattr(signal, _name)
        RECORDS.append(
            Rec(
                f"scipy.signal.{_name}",
                (lambda fn, mode: lambda a, v: fn(a, v, mode=mode))(_fn, _mode),
                shapes=[(4, 6), (2, 3)],
                variant=_mode,
            )
        )
        RECORDS.append(
            Rec(
                f"scipy.signal.{_name}",
                (lambda fn, mode: lambda a, v: fn(a, v, mode=mode, axes=1))(_fn, _mode),
                shapes=[(3, 6), (3, 2)],
                variant=f"{_mode},axes=1",
            )
        )
    for _name in ("convolve2d", "correlate2d"):
        _fn = getattr(signal, _name)
        for _boundary in ("fill", "wrap", "symm"):
            RECORDS.append(
                Rec(
                    f"scipy.signal.{_name}",
                    (lambda fn, mode, b: lambda a, v: fn(a, v, mode=mode, boundary=b))(_fn, _mode, _boundary),
                    shapes=[(4, 5), (2, 3)],
                    variant=f"{_mode},{_boundary}",
                )
            )
