"""Records for fad.numpy.fft: every transform with ``n`` (``s``) smaller and larger than the
axis, each ``norm``, 1-d and n-d, real and complex inputs; the frequencies (in a traced
``d``) and the shifts.

A complex input is built from two real ones (``a + 1j * b``), so every transform of the
harness (jacfwd == jacrev and jet included) runs on it; the ``complex_in`` records also take
a complex array directly. Inputs stay small: each record runs check_grads to second order.
"""

import functools

import fad.numpy as fnp
from tests.records import Rec

F = fnp.fft
NORMS = (None, "ortho", "forward")


def _complex_in(shape):
    def make(rng):
        return (rng.uniform(-2, 2, shape) + 1j * rng.uniform(-2, 2, shape),)

    return make


#: the transforms with a real output (jacfwd and jacrev refuse complex outputs, as JAX's)
REAL_OUT = {"irfft", "hfft", "irfftn", "irfft2"}


def _recorder(name):
    """``Rec`` for the records of ``name``: the jacfwd == jacrev check where the output is real
    (the power-spectrum records below check it for the complex-output transforms)."""
    return functools.partial(Rec, jac=name in REAL_OUT)


def _one_d(name, real_input, default_n):
    """Records of a 1-d transform on a (2, 5) input: n below, at and above the length,
    each norm, along either axis."""
    f = getattr(F, name)
    rec = _recorder(name)
    out = []
    for norm in NORMS:
        for n in (3, None, 8):
            kw = dict(n=n, norm=norm)
            label = f"n={n},norm={norm}"
            if real_input:
                out.append(rec(f"numpy.fft.{name}", lambda x, kw=kw: f(x, **kw), [(2, 5)], variant=label))
            else:
                out.append(
                    rec(
                        f"numpy.fft.{name}",
                        lambda a, b, kw=kw: f(a + 1j * b, **kw),
                        [(2, 5), (2, 5)],
                        variant=label,
                    )
                )
    out.append(rec(f"numpy.fft.{name}", lambda x: f(x, n=default_n, axis=0), [(5, 3)], variant="axis=0"))
    if not real_input:
        out.append(
            rec(
                f"numpy.fft.{name}",
                lambda z: f(z, n=6),
                make_args=_complex_in((2, 4)),
                orders=1,  # the harness's jet and jacfwd checks take real arguments only
                jac=False,  # (tests/test_fft.py checks complex arguments to second order)
                variant="complex_in",
            )
        )
    return out


def _n_d(name, real_input):
    f = getattr(F, name)
    rec = _recorder(name)
    two = name.endswith("2")
    variants = [
        ({}, (3, 4), "default"),
        (dict(s=(2, 7), axes=(0, 1)), (3, 4), "s=(2,7)"),
        (dict(s=(5, 3), axes=(1, 0), norm="ortho"), (2, 4, 3), "s=(5,3),axes=(1,0),ortho"),
        (dict(axes=(-1, -2), norm="forward"), (2, 3, 4), "axes=(-1,-2),forward"),
    ]
    if not two:
        variants.append((dict(axes=(0, 2)), (3, 2, 4), "axes=(0,2)"))
    out = []
    for kw, shape, label in variants:
        if real_input:
            out.append(rec(f"numpy.fft.{name}", lambda x, kw=kw: f(x, **kw), [shape], variant=label))
        else:
            out.append(
                rec(
                    f"numpy.fft.{name}",
                    lambda a, b, kw=kw: f(a + 1j * b, **kw),
                    [shape, shape],
                    variant=label,
                )
            )
    return out


RECORDS = [
    *_one_d("fft", False, 7),
    *_one_d("ifft", False, 4),
    *_one_d("irfft", False, 7),
    *_one_d("hfft", False, 4),
    *_one_d("rfft", True, 7),
    *_one_d("ihfft", True, 4),
    Rec("numpy.fft.fft", lambda x: F.fft(x, n=4), [(2, 5)], jac=False, variant="real_in"),
    Rec("numpy.fft.irfft", lambda x: F.irfft(x, n=5), [(2, 4)], variant="real_in"),
    *_n_d("fftn", False),
    *_n_d("ifftn", False),
    *_n_d("fft2", False),
    *_n_d("ifft2", False),
    *_n_d("irfftn", False),
    *_n_d("irfft2", False),
    *_n_d("rfftn", True),
    *_n_d("rfft2", True),
    Rec("numpy.fft.fftn", lambda x: F.fftn(x, axes=(0, 0)), [(3, 2)], jac=False, variant="repeated_axis"),
    Rec(
        "numpy.fft.rfftn",
        lambda x: F.rfftn(x, s=(4, 3), axes=(0, 0)),
        [(3, 2)],
        jac=False,
        variant="repeated_axis",
    ),
    Rec(
        "numpy.fft.irfftn",
        lambda a, b: F.irfftn(a + 1j * b, s=(3, 4), axes=(1, 1)),
        [(2, 3), (2, 3)],
        variant="repeated_axis",
    ),
    # ---------------------------------------------------------- power spectra, real out
    Rec(
        "numpy.fft.rfft",
        lambda x: fnp.sum(fnp.abs(F.rfft(x, n=8, norm="ortho")) ** 2, axis=-1),
        [(2, 6)],
        variant="power",
    ),
    Rec("numpy.fft.fft2", lambda x: fnp.abs(F.fft2(x, s=(3, 5))) ** 2, [(2, 4)], variant="power"),
    # ------------------------------------------------------- frequencies and shifts
    Rec("numpy.fft.fftfreq", lambda d: F.fftfreq(5, d), [()], domain=(0.5, 2.0)),
    Rec("numpy.fft.fftfreq", lambda d: F.fftfreq(6, d), [()], domain=(0.5, 2.0), variant="even"),
    Rec("numpy.fft.rfftfreq", lambda d: F.rfftfreq(7, d), [()], domain=(0.5, 2.0)),
    Rec("numpy.fft.fftshift", F.fftshift, [(3, 4)]),
    Rec("numpy.fft.fftshift", lambda x: F.fftshift(x, axes=1), [(3, 5)], variant="axes=1"),
    Rec("numpy.fft.ifftshift", F.ifftshift, [(3, 5)]),
    Rec("numpy.fft.ifftshift", lambda x: F.ifftshift(x, axes=(0,)), [(5, 2)], variant="axes=(0,)"),
]
