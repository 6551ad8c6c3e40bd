"""The core of fad: primitives, traces, tracers and the current-trace state.

Data flows one way::

    user code -> fad.numpy function -> bind(primitive, ...) -> current trace
              -> that primitive's rule for the trace (run one level down) -> ... -> numpy

Design (see shared/STYLE.md):

* **Stackless traces with identity.** There is one *current* trace per thread; every trace knows its
  ``parent``. A value belongs to a trace only if ``value._trace is trace``; any other value (a plain array,
  or a tracer of an enclosing transform) is a constant to it. A trace runs its rules with its parent as the
  current trace, so every enclosing transform sees the operations a rule performs: transforms nest without
  perturbation confusion.
* **Concrete values.** Every tracer wraps a real value, so Python control flow on values works under grad.
* **Symbolic zeros.** ``None`` is a zero tangent or cotangent in every rule; a trace that sees no value of
  its own in an operation passes it straight to its parent, allocating nothing.
* **Dead traces.** A transform's trace is marked dead when it returns; a tracer that escaped reaches the
  bottom trace, which raises :class:`EscapedTracerError`.

Tracer operators (``+``, ``.sum()`` ...) are attached by ``fad.numpy`` (declared for type checkers in
``fad._tracer_api``); other libraries' arrays (Dask, CuPy, array API) are evaluated by ``fad._backend``."""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NoReturn

if TYPE_CHECKING:
    from fad._tracer_api import ArrayMethods
else:
    ArrayMethods = object

from fad import _fpe

# ----------------------------------------------------------------------------- errors


class FadError(Exception):
    """Base class of fad's own errors."""


class EscapedTracerError(FadError, RuntimeError):
    """A traced value was used outside the transform that created it."""

    tracer: Tracer  # the value, and where it was met (read by fad._custom to name the construct)
    prim: Primitive | None
    used_in: str | None


class TracerConversionError(FadError, TypeError):
    """A traced value was made concrete where that loses information (`float(x)` in grad)."""


class MissingRuleError(FadError, NotImplementedError):
    """A primitive has no rule for the transform it met."""


# ------------------------------------------------------------------------- primitives


class Primitive:
    """An elementary operation, declared with its rules and every fact about it.

    Every fact about a primitive is an attribute, set in the block that declares it
    (`fad/_prims/`), mostly by the rule generators of `fad.extend` (`elementwise`, `linear`,
    ...). Its rules are written in fad operations, so every enclosing transform traces them
    too. Declaring a primitive registers it under its name.

    * `impl(*args, **params)`: the value, with NumPy (the only place NumPy runs);
    * the rules, `None` where missing (a tangent or cotangent `None` is a zero):
      `jvp(primals, tangents, **params) -> (out, t_out)`,
      `vjp(ct, ans, primals, wants, **params) -> cotangents` (`None` where not `wants[i]`),
      `batch(vals, bdims, **params) -> (out, out_bdim)` (a bdim is `0` or `None`) and
      `taylor(primals, series, order, **params) -> (out, out_series)`; `vjp_fwd(primals,
      **params) -> (out, saved)`, if set, runs instead of the primitive under reverse mode and
      `saved` replaces `ans` (custom_vjp's residuals); without `taylor`, jet derives its rule
      from `jvp`; `multiple_results`: `impl` returns a tuple;
    * `residuals`: per argument, `(keep_ans, keep_args)`: what `vjp` reads to give it its
      cotangent (reverse mode keeps only the shape and dtype of the rest); `None`: everything;
    * `differentiable`: `False` if the derivative is zero wherever it exists;
    * the facts read by `jit` and the simplifier (`fad._passes`), all keywords of the
      constructor: `returns_view` (`impl` may return a view of an input; default `True`),
      `takes_scalars` (`impl` takes Python numbers, as NumPy's ufuncs do), `commutative`
      (`f(x, y) == f(y, x)`), `identity` (`e` with `f(x, e) == x`), `noop_if` (`params ->`
      whether `f(x)` is `x`), `collapses` (`f(f(x, **p), **q) == f(x, **q)`), `negation`
      (`f(x) == -x`), `negated_rhs` (`g` with `f(a, -b) == g(a, b)`), `odd` (`f(-a, b) ==
      f(a, -b) == -f(a, b)`), `twice` (`g` with `f(a, a) == g(a, 2.0)`), `scaling`
      (`f(f(a, c), d) == f(a, c * d)` whenever `c * d` is exact), `unit_matrix` (`I @ x == x
      @ I == x`), `expands` (its output is its operand, broadcast), `strided_view` (its result
      is a strided view of its operand, as a transpose's: `jit` copies it once), `emit` (its
      own code under `jit`: the expression of its result, or None once it wrote its lines, as
      a loop does) and `array_api_impl` (`(xp, *args, **params)`: its value on other array
      libraries); and those set as attributes after construction, without a class default
      (one cost the eager workloads 0.5% more instructions), read by `jit`'s code generation
      with `getattr`: `places` (`params ->` the box of step-1 slices where its result, zeros
      elsewhere, holds its operand, or None: under `jit` a sum with it adds the operand into
      that box), `copies` (`params ->` whether the result is a new array, for a primitive
      whose `returns_view` depends on its parameters, as an index's does: `jit` may then
      compute the operand in memory it keeps between calls), `dot_batch_dims` (`(*avals) ->`
      the number of batch axes, for a product of arrays: the policies of `fad.checkpoint`
      that save products read it) and `effectful` (it is called
      for an effect, as `fad.debug`'s callback: the simplifier keeps it however unused and
      never folds or merges it, and capture records it even with constant operands).

    Args:
        name: A name no other primitive has; programs, `jit`'s code and error messages show
            it.
        impl: `impl(*args, **params)`: computes the value from arrays (NumPy, SciPy, or
            anything that takes and returns arrays); may also be set later.
        differentiable: `False` if the derivative is zero wherever it exists (comparisons,
            `floor`): transforms then treat the output as a constant.
        **facts: Any of the facts and rules above, by name (`returns_view=False`,
            `jvp=...`); each sets the attribute of that name.

    Raises:
        TypeError: If a keyword of `facts` is not a fact fad knows.
        ValueError: If a primitive of that name is already declared.

    Examples:
        >>> import numpy as onp, fad
        >>> from fad import extend
        >>> square_p = extend.Primitive("my_square", onp.square, returns_view=False)
        >>> extend.elementwise(square_p, lambda ans, x: 2 * x, keeps=("x",))
        Primitive('my_square')
        >>> square_p.returns_view, fad.grad(lambda x: extend.bind(square_p, x))(3.0)
        (False, np.float64(6.0))
    """

    __slots__ = tuple("name impl jvp vjp vjp_fwd batch taylor differentiable multiple_results _residuals trim_plans __dict__".split())  # noqa: E501  # fmt: skip
    jvp: Callable[..., Any] | None  # (primals, tangents, **params) -> (out, t_out)
    vjp: Callable[..., Any] | None  # (ct, ans, primals, wants, **params) -> cotangents (None if not wants[i])
    vjp_fwd: Callable[..., Any] | None  # (primals, **params) -> (out, saved)
    batch: Callable[..., Any] | None  # (vals, bdims, **params) -> (out, out_bdim); a bdim is 0 or None
    taylor: Callable[..., Any] | None  # (primals, series, order, **params) -> (out, out_series)
    returns_view = True  # impl may return (a view of) an input; False: always a new array
    takes_scalars = False  # impl takes Python numbers as NumPy's ufuncs do
    commutative = False  # f(x, y) == f(y, x)
    identity: Any = None  # e with f(x, e) == x (and f(e, x) == x if commutative)
    noop_if: Callable[..., bool] | None = None  # params -> whether f(x) is x (shape, dtype unchanged)
    collapses = False  # f(f(x, **p), **q) == f(x, **q)
    negation = False  # f(x) == -x
    negated_rhs: Primitive | None = None  # g: f(a, -b) == g(a, b) (f(-a, b) == g(b, a) if commutative)
    odd = False  # f(-a, b) == f(a, -b) == -f(a, b)
    twice: Primitive | None = None  # g with f(a, a) == g(a, 2.0)
    scaling = False  # f(f(a, c), d) == f(a, c * d) whenever c * d is exact
    unit_matrix = False  # I @ x == x @ I == x for an identity matrix I (exactly, for finite x, not -0.0)
    expands = False  # its output is its operand, broadcast: a ufunc reading it may read the operand
    strided_view = False  # its result is a strided view of its operand (a transpose): jit copies it once
    emit: Callable[..., str | None] | None = None  # (codegen, eqn, lines, indent) -> its expression under jit
    array_api_impl: Callable[..., Any] | None = None  # (xp, *args, **params): its value on other libraries

    def __init__(self, name: str, impl: Any = None, *, differentiable: bool = True, **facts: Any) -> None:
        self.name, self.impl, self.differentiable, self.multiple_results = name, impl, differentiable, False
        self.jvp = self.vjp = self.vjp_fwd = self.batch = self.taylor = self.residuals = None
        for k, v in facts.items():
            if not hasattr(Primitive, k):
                raise TypeError(f"Primitive('{name}'): '{k}' is not a fact fad knows; see Primitive")
            setattr(self, k, v)
        if name in REGISTRY:
            raise ValueError(f"A primitive named '{name}' is already declared; choose another name.")
        REGISTRY[name] = self

    def bind(self, *args: Any, **params: Any) -> Any:
        """Apply the primitive to `args` under the current trace: `bind(self, *args, **params)`.

        Args:
            *args: Its array arguments.
            **params: Its static parameters.

        Returns:
            The result, as `bind` returns it.
        """
        return _state.trace.process(self, args, params)

    @property
    def residuals(self) -> Any:
        return self._residuals

    @residuals.setter
    def residuals(self, keep: Any) -> None:  # also resets reverse mode's cache of what to drop (fad._vjp)
        self._residuals = keep
        self.trim_plans: dict[int, Any] | None = None if keep is None else {}

    def __repr__(self) -> str:
        return f"Primitive({self.name!r})"


class _Flags(threading.local):
    """Switches read by the transforms (see fad._debug): a class attribute is the default
    for every thread, an instance attribute overrides it in one thread only."""

    debug_nans = False


FLAGS = _Flags()

#: Every primitive ever declared, by name (used by the completeness tests and the docs).
REGISTRY: dict[str, Primitive] = {}


def bind(prim: Primitive, *args: Any, **params: Any) -> Any:
    """Apply `prim` to `args` under the current trace.

    Outside every transform this computes `prim.impl(*args, **params)`; under a transform,
    the innermost transform's rule for `prim` runs.

    Args:
        prim: The primitive.
        *args: Its array arguments (arrays, scalars or traced values).
        **params: Its static parameters, passed by keyword to `impl` and to every rule.

    Returns:
        The result (a tuple if `prim.multiple_results`): an array outside transforms, a
        traced value under one.

    Raises:
        MissingRuleError: If a transform meets `prim` and `prim` has no rule for it.

    Examples:
        >>> import numpy as onp
        >>> from fad import extend
        >>> scale_p = extend.Primitive("my_scale", lambda x, *, by: by * x)
        >>> extend.bind(scale_p, onp.array([1.0, 2.0]), by=3.0)
        array([3., 6.])
    """
    return _state.trace.process(prim, args, params)


class Aval:
    """The shape and dtype of an array without its values (what reverse mode keeps of an input)."""

    __slots__ = ("shape", "dtype")

    def __init__(self, shape: Any, dtype: Any) -> None:
        self.shape = shape
        self.dtype = dtype

    @property
    def ndim(self) -> int:
        return len(self.shape)

    def __repr__(self) -> str:
        return f"Aval({self.shape}, {self.dtype})"


# ----------------------------------------------------------------------------- traces


class Trace:
    """A transform in progress. Subclasses implement :meth:`process`. ``name`` is the user-facing
    transform ("grad", "jvp", "vmap", ...), used in error messages; ``alive`` turns false when it returns."""

    __slots__ = ("parent", "name", "alive", "__weakref__")

    def __init__(self, parent: Any, name: Any) -> None:
        # (a transform's entry point brackets the whole call: it runs on BOTTOM)
        self.parent = BOTTOM if parent is EVAL and parent is not None else parent
        self.name = name
        self.alive = True

    def process(self, prim: Any, args: Any, params: Any) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    # What the layers above (API, staging, control flow) ask of any trace: each answers for its own values,
    # so none of them switches on a tracer's type.
    def owns(self, x: Any) -> Any:
        """Whether ``x`` is a value of this trace."""
        return getattr(x, "_trace", None) is self

    def lower(self, x: Any) -> Any:
        """``x`` as seen one level down (this trace's part dropped)."""
        return x._value() if getattr(x, "_trace", None) is self else x

    def split(self, x: Any) -> Any:
        """``(x one level down, this trace's part or None)``: tangent, Taylor terms, batch axis."""
        return (x._value(), x) if getattr(x, "_trace", None) is self else (x, None)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}{'' if self.alive else ' (dead)'}>"


class EvalTrace(Trace):
    """The bottom trace: evaluates primitives on concrete values with their ``impl``."""

    __slots__ = ()

    def process(self, prim: Any, args: Any, params: Any) -> Any:
        if not NUMPY_TYPES.issuperset(map(type, args)):  # one pass in C: a tracer, or not NumPy
            return evaluate_other(prim, args, params)
        return prim.impl(*args, **params)


class TopEvalTrace(EvalTrace):
    """``EVAL``, in force outside every transform: NumPy's warnings in a user's eager call
    point at the user's line (fad._fpe). Transforms bottom out at ``BOTTOM`` instead."""

    __slots__ = ()

    def process(self, prim: Any, args: Any, params: Any) -> Any:
        token = _fpe.enter()
        try:
            return EvalTrace.process(self, prim, args, params)
        finally:
            _fpe.leave(token)


EVAL: TopEvalTrace = None  # type: ignore[assignment]  # (Trace.__init__ reads it)
BOTTOM = EvalTrace(None, "eval")
EVAL = TopEvalTrace(None, "eval")
TRACER_TYPES: set[type] = set()  # every Tracer subclass (the evaluation trace refuses them)
NUMPY_TYPES: set[type] = set()  # the types EvalTrace gives straight to impl; evaluate_other the rest:
evaluate_other: Callable[[Primitive, Any, dict[str, Any]], Any] = None  # type: ignore[assignment]
concrete: Callable[[Any, str], Any] = None  # type: ignore[assignment]  # both set by fad._backend


class _State(threading.local):
    """The current trace, one per thread (so transforms in threads do not interfere)."""

    def __init__(self) -> None:
        self.trace: Trace = EVAL


_state = _State()


def current_trace() -> Any:
    return _state.trace


class use_trace:
    """Context manager making ``trace`` the current one (restores the previous on exit)."""

    __slots__ = ("trace", "prev")

    def __init__(self, trace: Any) -> None:
        self.trace = trace

    def __enter__(self) -> Any:
        self.prev = _state.trace
        _state.trace = self.trace
        return self.trace

    def __exit__(self, *exc: Any) -> Any:
        _state.trace = self.prev
        return False


def run_rule(trace: Any, rule: Any, *args: Any, **params: Any) -> Any:
    """Run ``rule`` with ``trace.parent`` as the current trace."""
    st = _state
    prev = st.trace
    st.trace = trace.parent
    try:
        return rule(*args, **params)
    finally:
        st.trace = prev


def missing_rule(prim: Any, transform: Any) -> Any:
    return MissingRuleError(
        f"The primitive '{prim.name}' has no {transform} rule, so it cannot be used under "
        f"this transform. Use a different operation, or give '{prim.name}' a {transform} "
        f"rule (see fad.extend)."
    )


def escaped_error(tracer: Any, prim: Any, used_in: Any = None, fix: Any = None) -> Any:
    """``used_in``: the construct whose user function met ``tracer``; ``fix``: what to do."""
    trace = tracer._trace
    where = f" (in the operation '{prim.name}')" if prim is not None else ""
    if not trace.alive:
        msg = (
            f"A value traced by fad.{trace.name} was used after fad.{trace.name} returned{where}. The "
            "value escaped the transformed function, for example through a global, a list or an "
            "attribute set inside it. Return it from the function instead, and use the transform's result."
        )
    elif used_in is not None:
        msg = (
            f"The function given to {used_in} used a value traced by fad.{trace.name} that is not one of "
            f"its arguments{where}: a closure, a global or an attribute, which the rules of {used_in} "
            f"cannot reach. {fix}"
        )
    else:
        msg = (
            f"A value traced by fad.{trace.name} was used outside that transform{where}, for example from "
            "another thread or after being stored. Pass values into transformed functions as arguments "
            "and return them as results."
        )
    err = EscapedTracerError(msg)
    err.tracer, err.prim = tracer, prim  # read by fad._custom to name the construct
    return err


# ---------------------------------------------------------------------------- tracers


class Tracer(ArrayMethods):
    """A value being traced by one transform. Immutable and unhashable, like an array.

    Transforms pass tracers to a function in place of its array arguments; `fad.numpy`
    functions, operators and array methods (`x.sum()`, `x.T`, `x[0]`) work on them as on
    arrays. User code needs the class only for `isinstance` tests (e.g. to skip a side
    effect under a transform).

    Attributes:
        shape: The shape of the value (a tuple of ints).
        dtype: Its NumPy dtype.
        ndim: Its number of axes.
        size: Its number of elements.

    Examples:
        >>> import fad
        >>> from fad.typing import Tracer
        >>> seen = []
        >>> fad.grad(lambda x: seen.append(isinstance(x, Tracer)) or x * x)(3.0)
        np.float64(6.0)
        >>> seen, isinstance(3.0, Tracer)
        ([True], False)
    """

    __slots__ = ("_trace",)
    _trace: Trace  # the attributes each subclass defines:
    _value: Callable[[], Any]  # the value one level down, which may itself be a tracer
    shape: tuple[int, ...]
    dtype: Any
    __getitem__: Callable[[Tracer, Any], Any]  # (attached by fad.numpy)
    __array_priority__ = 1000
    __hash__ = None  # type: ignore[assignment]  # unhashable, like numpy arrays

    # Let NumPy's binary operators defer to ours (ndarray * tracer -> tracer.__rmul__).
    __array_ufunc__ = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        TRACER_TYPES.add(cls)

    @property
    def ndim(self) -> int:
        return len(self.shape)

    @property
    def size(self) -> int:
        return math.prod(self.shape)

    def __len__(self) -> int:
        if not self.shape:
            raise TypeError("len() of unsized object (a 0-d traced value)")
        return self.shape[0]

    def __iter__(self) -> Any:
        if not self.shape:
            raise TypeError("iteration over a 0-d traced value")
        return (self[i] for i in range(self.shape[0]))

    def _concrete(self, what: Any) -> Any:
        """The concrete value for ``bool()``/``if``; subclasses may refuse."""
        if not self._trace.alive:
            raise escaped_error(self, None)
        v = self._value()
        return v._concrete(what) if isinstance(v, Tracer) else concrete(v, what)

    def __bool__(self) -> bool:
        return bool(self._concrete("bool"))

    def _example(self) -> Any:
        """A concrete value of the tracer's own shape and dtype (what staging captures on)."""
        v = self._value()
        return v._example() if isinstance(v, Tracer) else v

    def _no_conversion(self, what: Any, fix: Any) -> NoReturn:
        raise TracerConversionError(
            f"{what} was called on a value traced by fad.{self._trace.name} "
            f"(shape {self.shape}, dtype {self.dtype}). That would drop its derivative. {fix}"
        )

    def __float__(self) -> NoReturn:
        self._no_conversion(
            "float()",
            "Keep it as an array (use fad.numpy functions on it), or call "
            "fad.stop_gradient(x) first if you really want a constant.",
        )

    def __int__(self) -> NoReturn:
        self._no_conversion("int()", "Integer conversion of a traced value is not supported.")

    def __complex__(self) -> NoReturn:
        self._no_conversion("complex()", "Complex conversion of a traced value is not supported.")

    def __index__(self) -> NoReturn:
        self._no_conversion(
            "Using it as an index (operator.index)",
            "Index with concrete integers, or use fad.numpy.take for traced indices.",
        )

    def __array__(self, dtype: Any = None, copy: Any = None) -> NoReturn:
        raise TracerConversionError(
            f"A value traced by fad.{self._trace.name} (shape {self.shape}, dtype "
            f"{self.dtype}) was converted to a NumPy array (numpy.asarray or a NumPy "
            "function). NumPy cannot see derivatives: use the fad.numpy function of the same "
            "name (import fad.numpy as np)."
        )

    def __setitem__(self, idx: Any, value: Any) -> NoReturn:
        raise TypeError(
            "fad arrays are immutable: x[idx] = v is not supported on a traced value. Use "
            "the functional update x = x.at[idx].set(v) (or .add, .multiply, .min, .max)."
        )

    def __repr__(self) -> str:
        return f"Traced<{self._trace.name}>(shape={self.shape}, dtype={self.dtype})"


class PrimalTracer(Tracer):
    """A tracer carrying its value one level down as ``primal`` (forward, reverse mode)."""

    __slots__ = ("primal", "shape", "dtype")  # set by each subclass's __init__: read often
    primal: Any

    def _value(self) -> Any:
        return self.primal
