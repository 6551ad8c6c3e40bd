"""Complex numbers under every transform, with JAX's conventions: the cotangent pairs
with the tangent through ``Re(sum(ct * t))`` (no conjugation); ``grad`` of a real-valued
function of ``z = x + iy`` is ``df/dx - i df/dy``; complex outputs need
``holomorphic=True``, which gives the complex derivative. The expected values below were
computed by JAX 0.10.2 (``jax_enable_x64``) on the same programs; the per-primitive
records are in tests/records/complex.py."""

import warnings

import numpy as np
import pytest

import fad
import fad.lax as lax
import fad.numpy as fnp
import fad.scipy.special as fsp
from fad.test_util import check_grads

Z = np.array([1 + 2j, -0.5 + 0.3j, 0.7 - 1.1j])
X = np.array([0.3, -1.2, 0.8])

#: JAX's results on the programs of the tests below (see the module docstring).
JAX = {
    "grad_real_prog": np.array(
        [
            36.07086680669204 - 194.49834533076606j,
            -2.361622767492337 + 1.1782242024750067j,
            3.612646900590738 + 11.250108212155867j,
        ]
    ),
    "hessian_holo": np.array(
        [
            [
                -1.6268829478542116e03 + 1.6192738295357624e03j,
                4.0200020603469205e-01 - 3.8183774951512522e-01j,
                -5.0345703292138311e-01 + 8.6253636676838297e-01j,
            ],
            [
                4.0200020603469205e-01 - 3.8183774951512522e-01j,
                2.3903055861163165e00 + 3.7928609327262359e00j,
                3.1498575691375281e00 + 2.1786699396312832e00j,
            ],
            [
                -5.0345703292138300e-01 + 8.6253636676838308e-01j,
                3.1498575691375286e00 + 2.1786699396312832e00j,
                -3.8548168364307669e00 - 3.4288443865364414e01j,
            ],
        ]
    ),
    "jacfwd_holo": np.array(
        [
            [
                -4.1235656615109178e02 - 136.23657796985535j,
                0.0000000000000000e00 + 0.0j,
                0.0000000000000000e00 + 0.0j,
            ],
            [
                -3.2268588784198499e-01 - 0.3067999058219707j,
                -1.9110715309830590e00 + 0.6397125705472297j,
                0.0000000000000000e00 + 0.0j,
            ],
            [
                3.9758005360016896e-01 + 0.7717187953009262j,
                3.0676248213271209e00 - 1.293182912206256j,
                -1.1155348152878556e01 - 5.760141698133803j,
            ],
        ]
    ),
    "jacrev_real": np.array(
        [
            [
                2.2587497844592448e02 - 370.9162128256319j,
                0.0000000000000000e00 + 0.0j,
                0.0000000000000000e00 + 0.0j,
            ],
            [
                1.4009035168180711e-01 - 0.42264294361837845j,
                -1.3929290166176771e00 - 1.4564255298897326j,
                0.0000000000000000e00 + 0.0j,
            ],
            [
                6.4259188607129869e-02 - 0.8657312254510517j,
                -3.2912490418401594e00 - 0.5003237286305118j,
                6.5014605847467983e00 + 10.740206471921043j,
            ],
        ]
    ),
    "jacfwd_real_in": np.array(
        [
            [0.8666804271272042 + 0.5821211533990214j, 0.0 + 0.0j, 0.0 + 0.0j],
            [0.0 + 0.0j, -0.7560891486839978 - 1.3668683913392345j, 0.0 + 0.0j],
            [0.0 + 0.0j, 0.0 + 0.0j, 0.12282183662754709 + 1.2747214583772553j],
        ]
    ),
    "vjp_mixed": (
        np.array([0.43191381492830283, 1.1559622346430682, -0.4728161651883554]),
        np.array(
            [
                0.39619865332326554 + 0.28331225442238733j,
                -2.359782507651237 + 0.5568197846576679j,
                0.21206193816032784 - 0.47881480805719434j,
            ]
        ),
    ),
    "vmap_grad": np.array(
        [
            0.9092974268256788 - 27.289917197127753j,
            -0.8414709848078965 - 0.6366535821482412j,
            0.9854497299884603 + 4.457105170535894j,
        ]
    ),
    "jvp_holo": np.array(
        [
            -342.41486104540127 + 344.23827716616415j,
            -1.107855420290193 - 1.7417855960520594j,
            -20.047004571449843 - 8.464379230890192j,
        ]
    ),
    "custom_jvp": np.array(
        [
            0.9092974268256788 - 27.289917197127753j,
            -0.8414709848078965 - 0.6366535821482413j,
            0.9854497299884603 + 4.457105170535894j,
        ]
    ),
    "custom_vjp": np.array(
        [
            0.9092974268256788 - 27.289917197127753j,
            -0.8414709848078965 - 0.6366535821482412j,
            0.9854497299884603 + 4.457105170535894j,
        ]
    ),
    "checkpoint": np.array(
        [
            32.270866806692034 - 191.89834533076603j,
            -0.6086815910217487 - 0.4100110916426403j,
            4.7538233711789735 + 12.414814094508808j,
        ]
    ),
    "cond": np.array([20.0 - 40.0j, -0.6799999999999999 - 0.408j, 4.760000000000001 + 7.48j]),
    "while": np.array([-28.0 - 96.0j, -0.2576 - 0.384j, -7.4128 + 8.870400000000004j]),
    "fori": np.array(
        [
            1.0000000000000000e03 - 2.000000000000000e03j,
            -1.5721600000000002e-01 - 9.432960000000001e-02j,
            2.7512800000000006e01 + 4.323440000000001e01j,
        ]
    ),
    "scan": np.array([3.6960000000000006 - 1.728j, -4.800000000000001 - 21.6j, 2.4 + 7.2j]),
    "max": np.array([0.0 + 0.0j, 1.0 + 0.0j, 0.0 + 0.0j]),
    "var": np.array(
        [
            0.39999999999999997 - 1.0666666666666667j,
            -0.5999999999999999 + 0.06666666666666661j,
            0.19999999999999993 + 1.0j,
        ]
    ),
    "std": np.array(
        [
            0.1404878717372541 - 0.3746343246326776j,
            -0.21073180760588112 + 0.023414645289542332j,
            0.07024393586862702 + 0.35121967934313525j,
        ]
    ),
    "prod": np.array([0.76 + 0.019999999999999962j, 0.2999999999999998 - 2.9000000000000004j, -0.7 + 1.1j]),
    "matmul": (
        np.array([[10.8 - 3.6j, -5.4 - 1.8j], [10.8 - 3.6j, -5.4 - 1.8j], [10.8 - 3.6j, -5.4 - 1.8j]]),
        np.array([[8.64 + 0.0j, 8.64 + 0.0j], [8.64 + 0.0j, 8.64 + 0.0j]]),
    ),
    "sort_complex": np.array([18.0 - 36.0j, -1.0 - 0.6j, 5.6 + 8.8j]),
}


def close(a, b, rtol=1e-12, atol=1e-12):
    np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=rtol, atol=atol)


def real_prog(z):
    return fnp.sum(
        fnp.abs(fnp.sin(z) * fnp.conj(z)) ** 2 + fnp.real(fnp.log(z)) + fnp.imag(z * z) + fnp.angle(z)
    )


def holo_prog(z):
    return fnp.exp(fnp.sin(z)) * z**3 / (1.0 + z) + fnp.sqrt(z) * fnp.cumprod(z)


# ------------------------------------------------------------------ the issue's cases


def test_the_issues_reproducers():
    assert fad.grad(lambda z: abs(z) ** 2)(1 + 2j) == 2 - 4j
    assert fad.grad(lambda z: (z**2).real)(1 + 2j) == 2 + 4j
    assert fad.grad(lambda z: z**2, holomorphic=True)(1 + 2j) == 2 + 4j
    # a real input's cotangent is the real part of what reaches it (JAX drops the rest)
    (ct,) = fad.vjp(lambda x: x * 1j, 2.0)[1](1.0 + 1.0j)
    assert ct == -1.0 and ct.dtype == np.float64


@pytest.mark.parametrize(
    "name, vjp, jvp",
    [  # at z = 1+2j: vjp of the cotangent 1 (real output) or 0.3+0.7j, jvp of 0.5-0.25j (JAX's)
        ("abs", 0.4472135954999579 - 0.8944271909999159j, 0.0),
        ("real", 1 + 0j, 0.5),
        ("imag", -1j, -0.25),
        ("conj", 0.3 - 0.7j, 0.5 + 0.25j),
        ("angle", -0.4 - 0.2j, -0.25),
    ],
)
def test_the_non_holomorphic_primitives(name, vjp, jvp):
    f = getattr(fnp, name)
    z = np.complex128(1 + 2j)
    y, pullback = fad.vjp(f, z)
    ct = 1.0 if np.isrealobj(y) else 0.3 + 0.7j
    close(pullback(np.asarray(ct, np.asarray(y).dtype))[0], vjp)
    close(fad.jvp(f, (z,), (np.complex128(0.5 - 0.25j),))[1], jvp)


def test_abs_at_zero_has_derivative_zero():
    assert fad.grad(fnp.abs)(0j) == 0
    assert fad.jvp(fnp.abs, (np.complex128(0),), (np.complex128(1 + 1j),))[1] == 0


def test_jvp_is_complex_linear_in_the_tangent():
    t1, t2, a = np.array([0.5 - 1j, 1j, 2.0 + 0j]), np.array([1.0 + 0j, -2j, 0.5 + 0.5j]), 0.3 - 1.7j
    for f in (holo_prog, lambda z: fnp.abs(z) * z, lambda z: fnp.conj(z) * fnp.real(z)):

        def lin(t, f=f):
            return fad.jvp(f, (Z,), (t,))[1]

        if f is holo_prog:  # complex-linear (holomorphic): a complex scalar factors out
            close(lin(a * t1 + t2), a * lin(t1) + lin(t2), 1e-10, 1e-10)
        close(lin(2.5 * t1 + t2), 2.5 * lin(t1) + lin(t2), 1e-10, 1e-10)  # real-linear always
    close(fad.jvp(holo_prog, (Z,), (np.array([0.5 - 1j, 1j, 2.0 + 0j]),))[1], JAX["jvp_holo"], 1e-11)


# --------------------------------------------------------------- against JAX's values


def test_grad_of_a_real_valued_program():
    close(fad.grad(real_prog)(Z), JAX["grad_real_prog"], 1e-12)
    check_grads(real_prog, (Z,), order=2)


def test_holomorphic_jacobians_and_hessian():
    close(fad.jacfwd(holo_prog, holomorphic=True)(Z), JAX["jacfwd_holo"], 1e-12)
    close(fad.jacrev(holo_prog, holomorphic=True)(Z), JAX["jacfwd_holo"], 1e-12)
    close(fad.jacobian(holo_prog, holomorphic=True)(Z), JAX["jacfwd_holo"], 1e-12)
    h = fad.hessian(lambda z: fnp.sum(holo_prog(z)), holomorphic=True)(Z)
    close(h, JAX["hessian_holo"], 1e-11)


def test_jacrev_of_real_outputs_and_jacfwd_of_real_inputs():
    close(fad.jacrev(lambda z: fnp.abs(holo_prog(z)))(Z), JAX["jacrev_real"], 1e-12)
    close(fad.jacobian(lambda z: fnp.abs(holo_prog(z)))(Z), JAX["jacrev_real"], 1e-12)  # complex in: rev
    close(fad.jacfwd(lambda x: fnp.exp(1j * x) * x)(X), JAX["jacfwd_real_in"], 1e-14)


def test_vjp_with_real_and_complex_arguments():
    ct = np.array([1 + 1j, 2 - 1j, -0.5j])
    cx, cz = fad.vjp(lambda x, z: fnp.sin(x * z) + x, X, Z)[1](ct)
    assert cx.dtype == np.float64 and cz.dtype == np.complex128
    close(cx, JAX["vjp_mixed"][0], 1e-13)
    close(cz, JAX["vjp_mixed"][1], 1e-13)


def test_reductions_on_complex_values():
    close(
        fad.grad(lambda z: fnp.max(z).real)(np.array([1 + 2j, 1 + 3j, 0.5 + 9j])), JAX["max"]
    )  # lexicographic
    close(fad.grad(fnp.var)(Z), JAX["var"], 1e-13)
    close(fad.grad(fnp.std)(Z), JAX["std"], 1e-13)
    close(fad.grad(lambda z: fnp.prod(z).imag)(Z), JAX["prod"], 1e-13)
    assert fnp.var(Z).dtype == np.float64 and fnp.std(Z.astype(np.complex64)).dtype == np.float32
    close(fnp.var(Z), np.var(Z))
    close(fnp.var(Z, where=np.array([True, False, True])), np.var(Z, where=np.array([True, False, True])))
    w = np.array([1.0, 2.0, 3.0])
    close(fad.grad(lambda z: fnp.sum(fnp.abs(fnp.sort_complex(z) * w) ** 2))(Z), JAX["sort_complex"], 1e-13)


def test_matmul_transposes_without_conjugation():
    a, b = Z.reshape(3, 1) * np.ones((3, 2)), np.array([[1j, 2.0], [0.5, -1 - 1j]])
    ga, gb = fad.grad(lambda a, b: fnp.abs(fnp.sum(a @ b)) ** 2, argnums=(0, 1))(a, b)
    close(ga, JAX["matmul"][0], 1e-13)
    close(gb, JAX["matmul"][1], 1e-13)


# ------------------------------------------------------------- every transform carries them


def test_vmap_jit_linearize_and_jet():
    close(fad.vmap(fad.grad(lambda z: fnp.abs(fnp.sin(z)) ** 2))(Z), JAX["vmap_grad"], 1e-13)
    close(fad.jit(holo_prog)(Z), holo_prog(Z), 1e-14)
    close(fad.jit(fad.grad(real_prog))(Z), JAX["grad_real_prog"], 1e-12)
    close(fad.grad(fad.jit(real_prog))(Z), JAX["grad_real_prog"], 1e-12)
    t = np.array([0.5 - 1j, 1j, 2.0 + 0j])
    y, f_jvp = fad.linearize(holo_prog, Z)
    close(y, holo_prog(Z))
    close(f_jvp(t), JAX["jvp_holo"], 1e-11)
    # Taylor mode: exp along z(t) = 1j + t has every derivative exp(1j)
    y, terms = fad.jet(
        fnp.exp, (np.complex128(1j),), ([np.complex128(1.0), np.complex128(0), np.complex128(0)],)
    )
    close([y] + terms, [np.exp(1j)] * 4, 1e-14)
    # and along a complex line, the second derivative of a non-holomorphic program
    v = np.array([1 - 1j, 0.5j, 2.0 + 0j])
    _, (d1, d2) = fad.jet(real_prog, (Z,), ([v, np.zeros(3, complex)],))
    close(d1, fad.jvp(real_prog, (Z,), (v,))[1], 1e-12)
    close(d2, fad.jvp(lambda z: fad.jvp(real_prog, (z,), (v,))[1], (Z,), (v,))[1], 1e-10)


def test_custom_rules_and_checkpoint():
    @fad.custom_jvp
    def f(z):
        return fnp.sin(z)

    f.defjvp(lambda p, t: (fnp.sin(p[0]), fnp.cos(p[0]) * t[0]))

    @fad.custom_vjp
    def g(z):
        return fnp.sin(z)

    g.defvjp(lambda z: (fnp.sin(z), z), lambda r, ct: (ct * fnp.cos(r),))
    close(fad.grad(lambda z: fnp.sum(fnp.abs(f(z)) ** 2))(Z), JAX["custom_jvp"], 1e-13)
    close(fad.grad(lambda z: fnp.sum(fnp.abs(g(z)) ** 2))(Z), JAX["custom_vjp"], 1e-13)
    close(fad.jvp(g, (Z,), (Z,))[1], np.cos(Z) * Z, 1e-14)  # a custom_vjp in forward mode
    ckpt = fad.checkpoint(lambda z: fnp.sum(fnp.abs(fnp.sin(z) * z) ** 2))
    close(fad.grad(ckpt)(Z), JAX["checkpoint"], 1e-12)


def test_control_flow_carries_complex_values():
    def cond(z):
        return lax.cond(True, lambda z: fnp.sum(fnp.abs(z * z) ** 2), lambda z: fnp.sum(fnp.real(z)), z)

    close(fad.grad(cond)(Z), JAX["cond"], 1e-13)

    def loop(z):
        return lax.while_loop(lambda c: c[0] < 3, lambda c: (c[0] + 1, c[1] * z), (0, z))[1]

    close(fad.jvp(loop, (Z,), (Z,))[1], JAX["while"], 1e-13)
    fori = fad.grad(lambda z: fnp.sum(fnp.abs(lax.fori_loop(0, 3, lambda i, c: c * z, z)) ** 2))(Z)
    close(fori, JAX["fori"], 1e-12)
    scan = fad.grad(lambda z: fnp.abs(lax.scan(lambda c, x: (c * x + 1j, c), 1 + 0j, z)[0]) ** 2)(Z)
    close(scan, JAX["scan"], 1e-12)
    batched = fad.vmap(lambda z: lax.cond(fnp.real(z) > 0, lambda z: z * z, lambda z: fnp.conj(z), z))(Z)
    close(batched, np.where(Z.real > 0, Z * Z, np.conj(Z)))


# ------------------------------------------------------------------------ dtype policy


def test_complex64_stays_complex64():
    z = Z.astype(np.complex64)
    assert fad.grad(lambda z: fnp.sum(fnp.abs(fnp.sin(z)) ** 2))(z).dtype == np.complex64
    assert fad.jvp(fnp.sin, (z,), (z,))[1].dtype == np.complex64
    assert fad.vjp(lambda z: fnp.exp(z) * 2, z)[1](z)[0].dtype == np.complex64
    assert fad.jacfwd(fnp.sin, holomorphic=True)(z).dtype == np.complex64
    assert fad.jacrev(fnp.sin, holomorphic=True)(z).dtype == np.complex64
    assert fad.hessian(lambda z: fnp.sum(z**3), holomorphic=True)(z).dtype == np.complex64
    assert fad.jacrev(lambda z: fnp.abs(z))(z).dtype == np.complex64
    assert fad.grad(fnp.abs)(np.complex64(1 + 1j)).dtype == np.complex64


def test_float32_and_complex64_promote_as_numpy():
    x32, c64 = np.float32(1.5), np.complex64(2 - 1j)
    assert (fnp.asarray(x32) + c64).dtype == np.complex64
    y, t = fad.jvp(lambda x: x * c64, (x32,), (np.float32(1),))
    assert y.dtype == t.dtype == np.complex64
    (ct,) = fad.vjp(lambda x: x * c64, x32)[1](np.complex64(1 + 1j))
    assert ct.dtype == np.float32 and ct == np.float32(3.0)  # Re((1+1j) * (2-1j))
    g = fad.grad(lambda x: fnp.sum(fnp.abs(x * c64) ** 2))(np.array([x32, x32]))
    assert g.dtype == np.float32


def test_astype_complex_to_real_keeps_the_real_part_and_warns():
    with pytest.warns(np.exceptions.ComplexWarning):
        g = fad.grad(lambda z: (z.astype(np.float64) ** 2).sum())(Z)
    close(g, 2 * Z.real + 0j)  # the derivative of Re(z)**2, as JAX
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a real input's complex cotangent: no warning
        for f in (
            lambda x: fnp.abs(x * (1 + 2j)).sum(),
            lambda x: fnp.sum(fnp.abs(fnp.where(x > 0, x, x * 1j)) ** 2),
            lambda x: fnp.sum(fnp.abs(fnp.stack([x, x * 1j])) ** 2),
        ):
            check_grads(f, (X,), order=1, modes="rev")
            assert fad.grad(f)(X).dtype == np.float64


# ----------------------------------------------------------------------- the NumPy surface


def test_complex_queries_and_attributes():
    assert fnp.iscomplexobj(Z) and not fnp.iscomplexobj(X) and fnp.isrealobj(X)
    np.testing.assert_array_equal(fnp.iscomplex(np.array([1 + 0j, 1j])), [False, True])
    np.testing.assert_array_equal(fnp.isreal(np.array([1 + 0j, 1j])), [True, False])
    np.testing.assert_array_equal(fnp.iscomplex(X), [False] * 3)
    close(fnp.angle(Z, deg=True), np.angle(Z, deg=True))
    close(fnp.angle(X), np.angle(X))
    r = fnp.real_if_close(np.array([1.0 + 1e-16j, 2.0]))
    assert r.dtype == np.float64
    assert fnp.real_if_close(Z).dtype == np.complex128
    close(fnp.sort_complex(np.array([3.0, 1.0, 2.0])), np.sort_complex(np.array([3.0, 1.0, 2.0])))

    def attrs(z):
        assert fnp.iscomplexobj(z)
        return (z.real * z.imag + z.conj().real + z.conjugate().imag).sum()

    close(
        fad.grad(attrs)(Z),
        fad.grad(lambda z: fnp.sum(fnp.real(z) * fnp.imag(z) + fnp.real(z) - fnp.imag(z)))(Z),
    )
    close(fad.grad(attrs)(Z), (Z.imag + 1) - 1j * (Z.real - 1), 1e-14)  # f_x - i f_y


def test_vdot_conjugates_its_first_argument():
    close(fnp.vdot(Z, Z[::-1]), np.vdot(Z, Z[::-1]))
    close(fnp.vecdot(Z, Z[::-1]), np.vecdot(Z, Z[::-1]))
    check_grads(lambda a, b: fnp.vdot(a, b), (Z, Z[::-1]), order=2)


def test_nan_to_num_on_complex():
    z = np.array([complex(np.nan, 1.0), complex(1.0, np.inf), 2 + 2j])
    close(fnp.nan_to_num(z), np.nan_to_num(z))
    g = fad.grad(lambda z: fnp.sum(fnp.abs(fnp.nan_to_num(z)) ** 2))(np.array([1 + 1j, 2 - 1j]))
    close(g, 2 * np.conj(np.array([1 + 1j, 2 - 1j])))


def test_special_functions_refuse_complex_values():
    with pytest.raises(TypeError, match="complex"):
        fsp.erf(Z)
