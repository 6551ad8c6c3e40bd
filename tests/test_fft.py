"""fad.numpy.fft: values against NumPy, derivatives against JAX's, finite differences and
the adjoint identity, then vmap, jit, jet, NumPy's dispatch and the errors.

Derivatives follow JAX's convention for complex values: a cotangent pairs with a tangent
through ``Re(sum(ct * t))``, without conjugation. Each case below was run through
``jax.jvp`` and ``jax.vjp`` of ``jax.numpy.fft`` (jax 0.10.2, x64) on the same random
inputs, tangents and cotangents (``_data``); ``JAX`` holds complex fingerprints of the
results: ``sum(w * y)``, ``sum(w * jvp(t))`` over the output and ``sum(s * vjp(ct))`` over
the input, for random complex weights ``w`` and ``s``. ``JAX_SCALAR`` does the same for
real functions of a signal: the value, the gradient and a Hessian-vector product.
"""

import warnings

import numpy as onp
import pytest

import fad
import fad.numpy as fnp
from fad.test_util import check_grads, check_vmap

F = fnp.fft

# ----------------------------------------------------------------------- JAX's values
# (the block between these rulers is run by JAX too, to make ``JAX`` below)

REAL_IN = {"rfft", "ihfft", "rfftn", "rfft2"}


def _cases():
    """``(id, function name, keywords, input shape)``: every transform with n (s) below and
    above the axis length, each norm, along a first and a last axis."""
    out = []
    for name in ("fft", "ifft", "rfft", "irfft", "hfft", "ihfft"):
        for kw in (
            dict(n=3),
            dict(n=8),
            dict(n=4, norm="ortho"),
            dict(norm="forward"),
            dict(n=6, axis=0, norm="ortho"),
        ):
            out.append((name, kw, (5, 3) if kw.get("axis") == 0 else (2, 5)))
    for name in ("fftn", "ifftn", "rfftn", "irfftn", "fft2", "ifft2", "rfft2", "irfft2"):
        for kw, shape in (
            (dict(), (3, 4)),
            (dict(s=(2, 7), axes=(0, 1), norm="ortho"), (3, 4)),
            (dict(s=(5, 3), axes=(1, 0), norm="forward"), (2, 4, 3)),
        ):
            out.append((name, kw, shape))
    return [(f"{name}{kw}{shape}".replace(" ", ""), name, kw, shape) for name, kw, shape in out]


def _data(i, name, y_shape, y_complex, shape):
    """The input, a tangent, a cotangent (real for a real output) and the weights of the
    fingerprints of case ``i``."""
    r = onp.random.default_rng(100 + i)

    def draw(s, cplx=True):
        return r.normal(size=s) + (1j * r.normal(size=s) if cplx else 0)

    real = name in REAL_IN
    x, t = draw(shape, not real), draw(shape, not real)
    ct = draw(y_shape, y_complex)
    return x, t, ct, draw(y_shape), draw(shape)


# -----------------------------------------------------------------------------------


def _scalar_programs(fft):
    """Real functions of a signal through the transforms (``fft``: the module of either
    library), each with its input shape and whether the input is complex."""
    c8, c43 = onp.arange(1.0, 6.0), onp.linspace(0.5, 2.0, 12).reshape(4, 3)
    return {
        "rfft-power": (lambda x: (c8 * abs(fft.rfft(x, n=8)) ** 2).sum(), (6,), False),
        "fft2-power": (lambda z: (c43 * abs(fft.fft2(z, s=(4, 3), norm="ortho")) ** 2).sum(), (3, 4), True),
        "hfft-square": (lambda z: (fft.hfft(z, n=7) ** 2).sum() + fft.hfft(z, n=7)[1], (3,), True),
        "ihfft-power": (lambda x: (abs(fft.ihfft(x, n=5)) ** 3).sum(), (4,), False),
    }


def _scalar_data(i, shape, cplx):
    r = onp.random.default_rng(500 + i)

    def draw():
        return r.normal(size=shape) + (1j * r.normal(size=shape) if cplx else 0)

    return draw(), draw(), draw()  # the input, a tangent, the fingerprints' weights


JAX = {
    "fft{'n':3}(2,5)": (
        (8.115320954607 + 3.232361612696j),
        (2.593352308035 - 8.244255219506j),
        (-8.335839709715 - 7.094144522945j),
    ),
    "fft{'n':8}(2,5)": (
        (-4.781201873594 + 20.080075627074j),
        (13.339600900227 + 5.603855361388j),
        (-14.880483811238 + 13.396336589067j),
    ),
    "fft{'n':4,'norm':'ortho'}(2,5)": (
        (-5.235631494883 - 2.617612254405j),
        (0.945745109896 - 2.340331103618j),
        (-5.251638403046 - 0.959204394376j),
    ),
    "fft{'norm':'forward'}(2,5)": (
        (0.833510531576 - 1.716550750358j),
        (-0.501356071259 + 1.263319589658j),
        (1.096093623312 - 0.941693050053j),
    ),
    "fft{'n':6,'axis':0,'norm':'ortho'}(5,3)": (
        (6.606653980692 + 5.27964671893j),
        (-4.470146151116 - 2.576195204134j),
        (-1.898220343908 + 7.845521693794j),
    ),
    "ifft{'n':3}(2,5)": (
        (-5.293221085487 + 1.285331527401j),
        (-2.450685512036 + 0.218019832531j),
        (-0.591758265555 + 2.817292651482j),
    ),
    "ifft{'n':8}(2,5)": (
        (-0.913808615793 + 0.354596482167j),
        (-0.363356747972 - 1.953028207181j),
        (1.948851111022 - 1.444767433074j),
    ),
    "ifft{'n':4,'norm':'ortho'}(2,5)": (
        (-0.785360826688 + 9.847301085953j),
        (2.91275412219 + 2.621022476397j),
        (2.326217152489 - 3.100674744193j),
    ),
    "ifft{'norm':'forward'}(2,5)": (
        (-0.988896794623 - 27.471420030467j),
        (-18.016493876679 + 3.650182450747j),
        (3.424102238015 - 0.569409335699j),
    ),
    "ifft{'n':6,'axis':0,'norm':'ortho'}(5,3)": (
        (-0.13846820323 + 0.111806472102j),
        (-9.529281713865 - 3.497160431473j),
        (4.084733029815 + 12.901177695809j),
    ),
    "rfft{'n':3}(2,5)": (
        (3.522696410409 - 1.944928355373j),
        (-3.494083423088 + 5.015050954553j),
        (-3.872224359418 + 0.19534689844j),
    ),
    "rfft{'n':8}(2,5)": (
        (-3.432019753252 + 7.432267106198j),
        (3.296375134546 - 2.288955641141j),
        (2.865317761043 + 10.243251112454j),
    ),
    "rfft{'n':4,'norm':'ortho'}(2,5)": (
        (0.987230200555 - 5.875295828651j),
        (-1.36165987761 - 1.192811391064j),
        (-2.808003923655 - 3.719967393975j),
    ),
    "rfft{'norm':'forward'}(2,5)": (
        (-4.941477492334 + 1.874516043786j),
        (1.879157296193 - 0.495634638714j),
        (1.113616300511 - 0.62634365744j),
    ),
    "rfft{'n':6,'axis':0,'norm':'ortho'}(5,3)": (
        (4.072757373088 - 1.600827941331j),
        (3.326778239812 - 4.718825857412j),
        (1.219226153206 + 2.461664114943j),
    ),
    "irfft{'n':3}(2,5)": (
        (-0.748204372271 - 3.244734173187j),
        (0.296677841122 - 0.295008710488j),
        (-1.240653235554 - 0.103822930231j),
    ),
    "irfft{'n':8}(2,5)": (
        (-0.856202301018 + 3.031574113004j),
        (0.625692416182 + 0.547993087254j),
        (2.542913486683 - 0.49098159522j),
    ),
    "irfft{'n':4,'norm':'ortho'}(2,5)": (
        (-1.820007066934 + 1.251414888054j),
        (-3.807849100814 + 2.034440469523j),
        (2.276835997437 + 3.380693945823j),
    ),
    "irfft{'norm':'forward'}(2,5)": (
        (-17.526916741042 + 9.289215898513j),
        (15.712213474875 - 1.278560632573j),
        (-11.339750215497 - 14.376255347778j),
    ),
    "irfft{'n':6,'axis':0,'norm':'ortho'}(5,3)": (
        (4.688934073822 - 1.250603059581j),
        (-3.632536358058 - 4.858481408053j),
        (-6.251843357747 - 3.370011275588j),
    ),
    "hfft{'n':3}(2,5)": (
        (-4.534753322678 - 4.221753884335j),
        (2.646477693383 + 1.938084415305j),
        (6.502695519257 - 1.62188478943j),
    ),
    "hfft{'n':8}(2,5)": (
        (-37.38906769868 - 10.380605539951j),
        (-18.030580613957 - 3.29162928474j),
        (-26.321582318118 - 11.955050571842j),
    ),
    "hfft{'n':4,'norm':'ortho'}(2,5)": (
        (2.001508965432 - 4.075410589798j),
        (-7.305953477511 + 5.325752336264j),
        (-1.438240788026 + 2.597727162771j),
    ),
    "hfft{'norm':'forward'}(2,5)": (
        (-0.526439291518 - 0.122098533426j),
        (-0.525524273959 - 0.086148792922j),
        (-1.601281272836 + 1.948440954935j),
    ),
    "hfft{'n':6,'axis':0,'norm':'ortho'}(5,3)": (
        (-4.08747790494 - 0.961691161073j),
        (0.99617733649 + 0.418413027461j),
        (1.748471957569 + 2.670478454794j),
    ),
    "ihfft{'n':3}(2,5)": (
        (1.387579440781 - 1.23144445505j),
        (1.703576187087 - 0.38826264127j),
        (-2.314420990315 + 1.366197322454j),
    ),
    "ihfft{'n':8}(2,5)": (
        (-1.258301655249 - 1.222887074432j),
        (0.759022245909 - 1.999762970124j),
        (-0.172956600983 - 0.343468256378j),
    ),
    "ihfft{'n':4,'norm':'ortho'}(2,5)": (
        (-0.279177934598 - 4.218356197278j),
        (0.731700211716 + 1.888236303448j),
        (-3.708683986635 + 4.091270380668j),
    ),
    "ihfft{'norm':'forward'}(2,5)": (
        (-5.851688031272 - 1.041585934531j),
        (4.235607185197 - 5.681398685253j),
        (10.937651425359 - 1.313914378539j),
    ),
    "ihfft{'n':6,'axis':0,'norm':'ortho'}(5,3)": (
        (-3.057088480796 - 1.076660195593j),
        (-4.531114495412 + 1.761221309309j),
        (-6.482918522679 + 0.533958993133j),
    ),
    "fftn{}(3,4)": (
        (-15.123424100877 + 3.412221977403j),
        (24.016806008693 + 20.722557705043j),
        (-3.416885870599 + 6.406256411947j),
    ),
    "fftn{'s':(2,7),'axes':(0,1),'norm':'ortho'}(3,4)": (
        (5.317896548732 + 5.241927121467j),
        (0.013738344768 + 0.03553482642j),
        (-3.72744837261 + 2.582146603791j),
    ),
    "fftn{'s':(5,3),'axes':(1,0),'norm':'forward'}(2,4,3)": (
        (0.364078803522 - 0.988542960262j),
        (1.438049422724 + 3.322272187089j),
        (-0.078244467526 + 0.428509034109j),
    ),
    "ifftn{}(3,4)": (
        (-0.261389936654 + 4.196669611495j),
        (1.700635751212 - 0.785918699085j),
        (0.376966519813 + 0.452079066243j),
    ),
    "ifftn{'s':(2,7),'axes':(0,1),'norm':'ortho'}(3,4)": (
        (-5.200771026877 - 4.452663734185j),
        (0.375730992025 - 0.263304026964j),
        (1.770516632567 - 3.211366947519j),
    ),
    "ifftn{'s':(5,3),'axes':(1,0),'norm':'forward'}(2,4,3)": (
        (-40.753103348695 - 12.716549976932j),
        (8.71586537107 - 2.245581645505j),
        (-1.473097714912 - 10.302700066917j),
    ),
    "rfftn{}(3,4)": (
        (15.252679486763 - 16.280372117354j),
        (-2.197883015094 + 1.868514273616j),
        (-28.265713584456 - 5.936688336926j),
    ),
    "rfftn{'s':(2,7),'axes':(0,1),'norm':'ortho'}(3,4)": (
        (-1.472023340848 - 0.781192950135j),
        (1.415075234467 - 0.244954935867j),
        (-2.245766139158 + 3.408864043287j),
    ),
    "rfftn{'s':(5,3),'axes':(1,0),'norm':'forward'}(2,4,3)": (
        (-0.466196137993 - 1.216734727776j),
        (0.064182252061 - 0.793606501535j),
        (-0.030235395676 - 0.93148097396j),
    ),
    "irfftn{}(3,4)": (
        (1.478443479314 - 0.097041105087j),
        (-0.768038577769 - 1.45762896843j),
        (-0.627317434555 + 0.409097916907j),
    ),
    "irfftn{'s':(2,7),'axes':(0,1),'norm':'ortho'}(3,4)": (
        (8.676142253895 - 5.324355346187j),
        (-1.732893622257 + 1.337895290283j),
        (-2.610429688396 + 0.780076683079j),
    ),
    "irfftn{'s':(5,3),'axes':(1,0),'norm':'forward'}(2,4,3)": (
        (53.022804342047 + 12.806784503971j),
        (-1.166643901068 - 43.330005516896j),
        (101.2291651801 + 39.484501274221j),
    ),
    "fft2{}(3,4)": (
        (-13.306255416006 + 16.732223909457j),
        (43.486848297774 + 14.421191991501j),
        (-5.252123165799 + 8.722799870209j),
    ),
    "fft2{'s':(2,7),'axes':(0,1),'norm':'ortho'}(3,4)": (
        (2.727653549325 - 6.084256330652j),
        (6.829660402491 - 4.30638706006j),
        (-2.022418078754 - 2.221142939172j),
    ),
    "fft2{'s':(5,3),'axes':(1,0),'norm':'forward'}(2,4,3)": (
        (-2.752803631687 + 1.506033316766j),
        (-3.912614270188 - 0.078235213721j),
        (-0.06971035447 + 0.98021626532j),
    ),
    "ifft2{}(3,4)": (
        (-0.176291104147 - 0.234968817885j),
        (-1.185448761198 - 1.708468509439j),
        (1.997597492487 + 2.056556556486j),
    ),
    "ifft2{'s':(2,7),'axes':(0,1),'norm':'ortho'}(3,4)": (
        (-4.780228758044 + 6.821676796706j),
        (-0.177405244771 - 1.164048298514j),
        (-6.026395255158 + 3.807272453368j),
    ),
    "ifft2{'s':(5,3),'axes':(1,0),'norm':'forward'}(2,4,3)": (
        (-55.155412372802 - 12.626148755092j),
        (28.7492337678 - 13.439929131686j),
        (1.652178254717 - 23.047293100144j),
    ),
    "rfft2{}(3,4)": (
        (-27.008091474896 - 9.661004022796j),
        (-9.373103891895 + 3.107097976865j),
        (-2.309684239275 - 18.382826307093j),
    ),
    "rfft2{'s':(2,7),'axes':(0,1),'norm':'ortho'}(3,4)": (
        (1.155322904173 - 0.561252000105j),
        (-1.485513551445 + 0.076149180225j),
        (-2.099589313967 + 0.284771311426j),
    ),
    "rfft2{'s':(5,3),'axes':(1,0),'norm':'forward'}(2,4,3)": (
        (0.407850575016 + 0.389095758006j),
        (-0.359383059777 - 0.553444565769j),
        (0.469221523438 + 1.175238596396j),
    ),
    "irfft2{}(3,4)": (
        (-1.790877688219 - 0.530882411819j),
        (0.081257500031 + 0.073020165871j),
        (-1.195275064929 - 0.034961377524j),
    ),
    "irfft2{'s':(2,7),'axes':(0,1),'norm':'ortho'}(3,4)": (
        (-0.59146430543 - 1.587815578408j),
        (-10.920780264956 + 1.607468623342j),
        (-5.132475574964 + 3.961126242367j),
    ),
    "irfft2{'s':(5,3),'axes':(1,0),'norm':'forward'}(2,4,3)": (
        (14.295324592224 + 18.054454143241j),
        (8.582883582401 + 6.170007196336j),
        (34.221435030204 + 24.541891754567j),
    ),
}

JAX_SCALAR = {
    "rfft-power": (144.6293474328208, (-258.850471506785 + 0j), (12.068104645665 + 0j)),
    "fft2-power": (
        17.140820657952542,
        (-1.323585152394 + 3.184553538751j),
        (3.795964565087 - 6.726313382039j),
    ),
    "hfft-square": (
        64.4335660822929,
        (8.763059368439 + 57.616706069963j),
        (-113.288733364983 + 35.487415527955j),
    ),
    "ihfft-power": (0.3483141747796029, (-1.283081170492 + 0j), (-0.122134641492 + 0j)),
}


CASES = _cases()
IDS = [c[0] for c in CASES]


def _run(i):
    """fad's fingerprints of case ``i`` (and the case's function and data)."""
    _, name, kw, shape = CASES[i]
    f = lambda x: getattr(F, name)(x, **kw)
    y_np = getattr(onp.fft, name)(onp.zeros(shape, float if name in REAL_IN else complex), **kw)
    x, t, ct, w, s = _data(i, name, y_np.shape, onp.iscomplexobj(y_np), shape)
    y, jt = fad.jvp(f, (x,), (t,))
    (g,) = fad.vjp(f, x)[1](ct)
    return f, (x, t, ct), (onp.sum(w * y), onp.sum(w * jt), onp.sum(s * g))


@pytest.mark.parametrize("i", range(len(CASES)), ids=IDS)
def test_matches_jax(i):
    _, _, got = _run(i)
    onp.testing.assert_allclose(got, JAX[IDS[i]], rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("i", range(len(CASES)), ids=IDS)
def test_values_match_numpy(i):
    f, (x, _, _), _ = _run(i)
    _, name, kw, _ = CASES[i]
    want = getattr(onp.fft, name)(x, **kw)
    got = f(x)
    assert got.dtype == want.dtype and got.shape == want.shape
    onp.testing.assert_allclose(got, want, rtol=0, atol=1e-12)


@pytest.mark.parametrize("i", range(len(CASES)), ids=IDS)
def test_finite_differences_and_adjoint(i):
    """Forward mode against central differences along a random complex direction, reverse
    mode through ``Re(sum(ct * J t)) == Re(sum(vjp(ct) * t))``, to second order."""
    f, (x, t, ct), _ = _run(i)
    check_grads(f, (x,), order=2, atol=1e-6, rtol=1e-6)
    _, jt = fad.jvp(f, (x,), (t,))
    (g,) = fad.vjp(f, x)[1](ct)
    onp.testing.assert_allclose(onp.sum(ct * jt).real, onp.sum(g * t).real, rtol=1e-12)


@pytest.mark.parametrize("name", sorted(JAX_SCALAR))
def test_real_functions_of_a_signal_match_jax(name):
    """Gradients (conjugate steepest ascent for complex inputs, as JAX) and a
    Hessian-vector product of real functions through the transforms."""
    i = list(JAX_SCALAR).index(name)
    f, shape, cplx = _scalar_programs(F)[name]
    x, t, s = _scalar_data(i, shape, cplx)
    g = fad.grad(f)(x)
    hvp = fad.jvp(fad.grad(f), (x,), (t,))[1]
    got = (f(x), onp.sum(s * g), onp.sum(s * hvp))
    onp.testing.assert_allclose(got, JAX_SCALAR[name], rtol=1e-10, atol=1e-10)
    check_grads(f, (x,), order=3, atol=1e-5, rtol=1e-5)


@pytest.mark.parametrize("name", ["rfft-power", "ihfft-power"])
def test_jacfwd_equals_jacrev_and_the_hessian_is_symmetric(name):
    f, shape, _ = _scalar_programs(F)[name]
    x = _scalar_data(0, shape, False)[0]
    onp.testing.assert_allclose(fad.jacfwd(fad.grad(f))(x), fad.jacrev(fad.grad(f))(x), atol=1e-10)
    h = fad.hessian(f)(x)
    onp.testing.assert_allclose(h, h.T, atol=1e-10)
    # real input, real output: the spectrum's weighted power as a vector
    spec = lambda x: abs(F.rfft(x, n=7, norm="ortho")) ** 2 + F.irfft(F.rfft(x), n=4)[:4]
    onp.testing.assert_allclose(fad.jacfwd(spec)(x), fad.jacrev(spec)(x), atol=1e-12)


# ----------------------------------------------------------------- NumPy's semantics


def test_dtypes_follow_numpy():
    x32 = onp.linspace(0, 1, 6, dtype=onp.float32)
    for name in ("fft", "rfft", "ihfft", "irfft", "hfft", "fftn", "rfftn", "irfftn"):
        for x in (x32, x32.astype(onp.float16), onp.arange(6), x32.astype(onp.complex64)):
            if name in REAL_IN and x.dtype.kind == "c":
                continue
            assert getattr(F, name)(x).dtype == getattr(onp.fft, name)(x).dtype, (name, x.dtype)
    g = fad.grad(lambda x: abs(F.rfft(x)).sum())(x32)
    assert g.dtype == onp.float32
    g = fad.vjp(F.fft, x32.astype(onp.complex64))[1](onp.ones(6, onp.complex64))[0]
    assert g.dtype == onp.complex64


def test_lists_scalars_and_repeated_axes():
    onp.testing.assert_allclose(F.fft([1, 2, 3]), onp.fft.fft([1, 2, 3]))
    x = onp.random.default_rng(0).normal(size=(3, 4))
    for f, kw in [("fftn", dict(axes=(0, 0))), ("ifftn", dict(s=(5, 2), axes=(1, 1)))]:
        onp.testing.assert_allclose(getattr(F, f)(x, **kw), getattr(onp.fft, f)(x, **kw), atol=1e-12)
    onp.testing.assert_allclose(F.rfftn(x, s=(4, 3), axes=(0, 0)), onp.fft.rfftn(x, s=(4, 3), axes=(0, 0)))
    onp.testing.assert_allclose(F.irfftn(x, s=(3, 6), axes=(1, 1)), onp.fft.irfftn(x, s=(3, 6), axes=(1, 1)))
    assert F.fftn(x, axes=()) is x or onp.array_equal(F.fftn(x, axes=()), onp.fft.fftn(x, axes=()))
    onp.testing.assert_allclose(F.fftn(x, s=(-1, 6), axes=(0, 1)), onp.fft.fftn(x, s=(-1, 6), axes=(0, 1)))


def test_numpy_2_deprecations():
    """``s`` without ``axes`` means the last ``len(s)`` axes, and ``None`` in ``s`` the
    default length, both with NumPy's DeprecationWarning."""
    x = onp.random.default_rng(1).normal(size=(2, 3, 4))
    for name in ("fftn", "rfftn", "irfftn", "ifftn"):
        with pytest.warns(DeprecationWarning, match="axes"):
            got = getattr(F, name)(x, s=(3, 5))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            want = getattr(onp.fft, name)(x, s=(3, 5))
            onp.testing.assert_allclose(got, want, atol=1e-12)
            with pytest.warns(DeprecationWarning, match="None"):
                got = getattr(F, name)(x, s=(3, None), axes=(0, 2))
            onp.testing.assert_allclose(got, getattr(onp.fft, name)(x, s=(3, None), axes=(0, 2)), atol=1e-12)


def test_errors():
    x = onp.ones(4)
    with pytest.raises(TypeError, match="out= is not supported"):
        F.fft(x, out=onp.empty(4, complex))
    with pytest.raises(ValueError, match="Invalid norm value"):
        F.rfft(x, norm="bad")
    with pytest.raises(ValueError, match="Invalid number of FFT data points"):
        F.fft(x, n=0)
    with pytest.raises(ValueError, match="Invalid number of FFT data points"):
        F.irfft(onp.ones(1))
    with pytest.raises(TypeError, match="takes a real array"):
        F.rfft(x + 1j)
    with pytest.raises(ValueError, match="Shape and axes have different lengths"):
        F.fftn(onp.ones((2, 2)), s=(2,), axes=(0, 1))
    with pytest.raises(onp.exceptions.AxisError):
        F.fft(x, axis=1)


def test_frequencies_and_shifts():
    for n in (1, 4, 5):
        for d in (1.0, 0.25, onp.float32(2.0)):
            for name in ("fftfreq", "rfftfreq"):
                got, want = getattr(F, name)(n, d), getattr(onp.fft, name)(n, d)
                assert got.dtype == want.dtype
                onp.testing.assert_allclose(got, want, rtol=1e-15)
                onp.testing.assert_allclose(
                    fad.jacfwd(lambda d: getattr(F, name)(n, d))(d), -want / d, rtol=1e-6
                )
    x = onp.arange(12.0).reshape(3, 4)
    for axes in (None, 0, 1, (1,), (0, 1), (-1, 0)):
        for name in ("fftshift", "ifftshift"):
            onp.testing.assert_array_equal(getattr(F, name)(x, axes), getattr(onp.fft, name)(x, axes))
    ct = onp.arange(5.0) ** 2
    g = fad.vjp(F.fftshift, onp.zeros(5))[1](ct)[0]
    onp.testing.assert_array_equal(g, onp.fft.ifftshift(ct))  # a roll's transpose: the opposite roll


# ---------------------------------------------------------------------- transforms


@pytest.mark.parametrize(
    "name, kw, shape, in_axes",
    [
        ("fft", dict(n=3), (4, 5), 0),
        ("ifft", dict(n=7, axis=0, norm="ortho"), (4, 5), 1),
        ("rfft", dict(n=6), (3, 2, 5), 2),
        ("irfft", dict(n=5, axis=0), (4, 3), 1),
        ("hfft", dict(n=9, norm="forward"), (3, 4), 0),
        ("ihfft", dict(), (2, 6), 1),
        ("fftn", dict(s=(3, 5), axes=(0, 1)), (2, 4, 3), 2),
        ("rfftn", dict(axes=(-1, 0)), (3, 4, 5), 1),
        ("irfftn", dict(s=(2, 6), axes=(1, 0)), (3, 4, 5), 0),
        ("rfft2", dict(norm="ortho"), (3, 4, 5), 0),
        ("irfft2", dict(), (3, 4, 5), 2),
        ("fftshift", dict(axes=(0,)), (3, 4, 5), 1),
    ],
)
def test_vmap_jit_and_jet(name, kw, shape, in_axes):
    rng = onp.random.default_rng(7)
    real = name in REAL_IN or name == "fftshift"
    x = rng.normal(size=shape) + (0 if real else 1j * rng.normal(size=shape))
    f = lambda x: getattr(F, name)(x, **kw)
    check_vmap(f, (x,), in_axes=in_axes)
    ct = rng.normal(size=onp.shape(f(x))) + 1j * rng.normal(size=onp.shape(f(x)))
    ct = ct if onp.iscomplexobj(f(x)) else ct.real
    pull = lambda x, ct: fad.vjp(f, x)[1](ct)[0]
    check_vmap(pull, (onp.stack([x, 2 * x]), onp.stack([ct, -ct])))  # vmap of the transpose
    onp.testing.assert_allclose(fad.jit(f)(x), f(x), atol=1e-12)
    onp.testing.assert_allclose(fad.jit(pull)(x, ct), pull(x, ct), atol=1e-12)
    t1, t2 = rng.normal(size=shape), rng.normal(size=shape)  # linear: f's series is f of the series
    y, (y1, y2) = fad.jet(f, (x,), ((t1, t2),))
    onp.testing.assert_allclose(y, f(x), atol=1e-12)
    onp.testing.assert_allclose(y1, f(t1), atol=1e-12)
    onp.testing.assert_allclose(y2, f(t2), atol=1e-12)


def test_second_order_through_jit_and_vmap_of_grad():
    f = _scalar_programs(F)["fft2-power"][0]
    z = _scalar_data(1, (3, 4), True)[0]
    onp.testing.assert_allclose(fad.jit(fad.grad(f))(z), fad.grad(f)(z), atol=1e-12)
    zs = onp.stack([z, 2 * z, z.conj()])
    onp.testing.assert_allclose(
        fad.vmap(fad.grad(f))(zs), onp.stack([fad.grad(f)(v) for v in zs]), atol=1e-12
    )


# ------------------------------------------------------------------ NumPy's dispatch


def test_numpy_fft_on_traced_values_dispatches_here():
    x = onp.array([0.5, -1.0, 2.0, 0.25, 1.5])

    def plain(x):  # written against NumPy only
        spec = onp.fft.rfft(x, n=8)
        shifted = onp.fft.fftshift(onp.fft.irfft(spec * spec.conj(), n=8))
        return onp.sum(shifted * onp.arange(8.0)) + onp.fft.fftn(x[None], s=(2, 6), axes=(0, 1)).real.sum()

    def ours(x):
        spec = F.rfft(x, n=8)
        shifted = F.fftshift(F.irfft(spec * spec.conj(), n=8))
        return fnp.sum(shifted * fnp.arange(8.0)) + F.fftn(x[None], s=(2, 6), axes=(0, 1)).real.sum()

    onp.testing.assert_allclose(fad.grad(plain)(x), fad.grad(ours)(x), rtol=1e-12)
    onp.testing.assert_allclose(fad.vmap(plain)(onp.stack([x, -x])), [ours(x), ours(-x)], rtol=1e-12)


def test_import_forms():
    import fad.numpy.fft as m
    from fad.numpy.fft import rfft

    assert m is fnp.fft and rfft is F.rfft
    numpy_names = {n for n in dir(onp.fft) if not n.startswith("_") and n != "test"}
    assert set(m.__all__) == numpy_names  # NumPy's whole interface
    assert all(callable(getattr(m, n)) for n in numpy_names)
