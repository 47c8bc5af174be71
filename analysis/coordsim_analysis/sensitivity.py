"""Variance-based sensitivity: first- and total-order Sobol indices from a Saltelli design.

The design (Saltelli et al. 2010, "Variance based sensitivity analysis of model output. Design
and estimator for the total sensitivity index", Comput. Phys. Commun. 181:259-270) for k
parameters and N base rows has N·(k+2) model evaluations, in this order of blocks:

=============  ====================================================================
block          rows
=============  ====================================================================
``A``          N rows: the first k columns of a quasi-random base sample
``B``          N rows: the next k columns (independent of A)
``AB_<p1>``    N rows: A with the column of parameter p1 taken from B
...            ...
``AB_<pk>``    N rows: A with the column of parameter pk taken from B
=============  ====================================================================

Row j of every block belongs to base row j. :func:`saltelli_design` builds this layout as a
DataFrame (one column per parameter, plus ``block`` and ``row``). ``coordsim sweep`` with
``design: saltelli`` writes the same blocks along the ``run`` dimension of its result file, with
integer coordinates ``saltelli_block`` (0 = A, 1 = B, 1 + i = AB_i, i = 1..k in the order of the
root attribute ``parameters``) and ``saltelli_row`` (j); :func:`sensitivity` reads both forms.

Estimators, with f_A, f_B, f_ABi the outputs of the blocks and V = Var([f_A, f_B]):

* first order (Saltelli 2010, Table 2 (b), the default):  S_i = mean(f_B · (f_ABi − f_A)) / V
* first order, ``first_order="jansen"`` (Table 2 (f)):   S_i = (V − mean((f_B − f_ABi)²) / 2) / V
  (what sim/SWEEPS.md shows)
* total order (Jansen 1999, Table 2 (f)):                ST_i = mean((f_A − f_ABi)²) / (2 V)

Confidence intervals: percentile bootstrap over the N base rows (the same rows drawn for every
block), with a fixed-seed ``numpy.random.Generator``.
"""
from __future__ import annotations

from typing import Mapping, Optional, Sequence, Tuple, Union

import numpy as np
import pandas as pd
import xarray as xr

from .compare import DEFAULT_SEED, StepChoice, variable

BLOCK_A = "A"
BLOCK_B = "B"
AB_PREFIX = "AB_"


def block_labels(parameters: Sequence[str]) -> list:
    """Block names in design order: A, B, AB_<p1>, ..., AB_<pk>."""
    return [BLOCK_A, BLOCK_B] + [AB_PREFIX + name for name in parameters]


def saltelli_design(bounds: Mapping[str, Tuple[float, float]], n: int, *, seed: int = DEFAULT_SEED,
                    method: str = "sobol") -> pd.DataFrame:
    """The N·(k+2) parameter sets of a Saltelli design, in the block order of this module.

    Parameters
    ----------
    bounds:
        ``{parameter: (low, high)}`` for the k parameters, sampled uniformly; order is kept.
    n:
        Base rows N. With ``method="sobol"`` (scrambled Sobol' sequence, 2k dimensions) it
        must be a power of two.
    method:
        ``"sobol"`` or ``"random"`` (independent uniforms from a numpy Generator).

    Returns
    -------
    pandas.DataFrame
        Columns ``block`` (A, B, AB_<p>), ``row`` (base row 0..N-1) and one per parameter.
    """
    names = list(bounds)
    k = len(names)
    if k == 0:
        raise ValueError("saltelli_design needs at least one parameter")
    if n < 2:
        raise ValueError(f"n must be at least 2, found {n}")
    if method == "sobol":
        if n & (n - 1):
            raise ValueError(f"n must be a power of two for a Sobol' design, found {n}; use e.g. "
                             f"{1 << int(np.ceil(np.log2(n)))} or method='random'")
        from scipy.stats import qmc

        base = qmc.Sobol(d=2 * k, scramble=True, seed=seed).random_base2(int(np.log2(n)))
    elif method == "random":
        base = np.random.default_rng(seed).random((n, 2 * k))
    else:
        raise ValueError(f"method must be 'sobol' or 'random', found {method!r}")
    low = np.array([float(bounds[name][0]) for name in names])
    high = np.array([float(bounds[name][1]) for name in names])
    if np.any(high < low):
        raise ValueError("every bound must be (low, high) with low <= high")
    a = low + base[:, :k] * (high - low)
    b = low + base[:, k:] * (high - low)
    blocks = [a, b]
    for i in range(k):
        ab = a.copy()
        ab[:, i] = b[:, i]
        blocks.append(ab)
    frame = pd.DataFrame(np.vstack(blocks), columns=names)
    frame.insert(0, "row", np.tile(np.arange(n), k + 2))
    frame.insert(0, "block", np.repeat(block_labels(names), n))
    return frame


def _estimates(f_a: np.ndarray, f_b: np.ndarray, f_ab: np.ndarray,
               first_order: str = "saltelli") -> Tuple[np.ndarray, np.ndarray]:
    """S1 and ST along the last axis of (..., N) arrays; f_ab has shape (k, ..., N)."""
    variance = np.var(np.concatenate([f_a, f_b], axis=-1), axis=-1, ddof=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        if first_order == "jansen":
            first = (variance - 0.5 * np.mean((f_b - f_ab) ** 2, axis=-1)) / variance
        else:
            first = np.mean(f_b * (f_ab - f_a), axis=-1) / variance
        total = 0.5 * np.mean((f_a - f_ab) ** 2, axis=-1) / variance
    return first, total


def sobol_indices(y: np.ndarray, parameters: Sequence[str], *, n_boot: int = 1000, level: float = 0.95,
                  seed: int = DEFAULT_SEED, first_order: str = "saltelli") -> pd.DataFrame:
    """First- and total-order Sobol indices from outputs `y` of a Saltelli design.

    `y` holds N·(k+2) values in block order (A, B, AB_<p1>, ..., AB_<pk>). Base rows with a
    NaN in any block are dropped. `first_order`: ``"saltelli"`` (default) or ``"jansen"``. Returns a DataFrame indexed by parameter with columns ``S1,
    S1_low, S1_high, ST, ST_low, ST_high`` and ``n`` (base rows used).
    """
    if first_order not in ("saltelli", "jansen"):
        raise ValueError(f"first_order must be 'saltelli' or 'jansen', found {first_order!r}")
    names = list(parameters)
    k = len(names)
    y = np.asarray(y, dtype=float).ravel()
    if k == 0 or y.size % (k + 2):
        raise ValueError(f"{y.size} outputs do not form a Saltelli design for {k} parameter(s) "
                         f"(expected N·(k+2) = N·{k + 2} values)")
    n = y.size // (k + 2)
    blocks = y.reshape(k + 2, n)
    complete = np.isfinite(blocks).all(axis=0)
    blocks = blocks[:, complete]
    used = int(complete.sum())
    if used < 2:
        raise ValueError("fewer than two complete base rows; cannot estimate Sobol indices")
    f_a, f_b, f_ab = blocks[0], blocks[1], blocks[2:]
    first, total = _estimates(f_a, f_b, f_ab, first_order)

    rng = np.random.default_rng(seed)
    boot_first = np.empty((n_boot, k))
    boot_total = np.empty((n_boot, k))
    batch = max(1, min(n_boot, 4_000_000 // (used * (k + 2))))
    for start in range(0, n_boot, batch):
        stop = min(n_boot, start + batch)
        index = rng.integers(0, used, size=(stop - start, used))  # same base rows in every block
        s1, st = _estimates(f_a[index], f_b[index], f_ab[:, index], first_order)
        boot_first[start:stop] = s1.T
        boot_total[start:stop] = st.T
    alpha = 1.0 - level
    quantiles = [alpha / 2.0, 1.0 - alpha / 2.0]
    first_ci = np.quantile(boot_first, quantiles, axis=0)
    total_ci = np.quantile(boot_total, quantiles, axis=0)
    frame = pd.DataFrame({"S1": first, "S1_low": first_ci[0], "S1_high": first_ci[1], "ST": total,
                          "ST_low": total_ci[0], "ST_high": total_ci[1], "n": used},
                         index=pd.Index(names, name="parameter"))
    return frame


def _parameters_from_blocks(blocks: Sequence[str]) -> list:
    order = list(dict.fromkeys(str(b) for b in blocks))
    if order[:2] != [BLOCK_A, BLOCK_B] or not all(b.startswith(AB_PREFIX) for b in order[2:]):
        raise ValueError(f"blocks must be A, B, AB_<parameter>... in this order, found {order}")
    return [b[len(AB_PREFIX):] for b in order[2:]]


def _check_design(frame: pd.DataFrame, parameters: Sequence[str]) -> None:
    """Each AB_i block must be A with column i from B, when the parameter columns are present."""
    if not all(name in frame.columns for name in parameters):
        return
    n = len(frame) // (len(parameters) + 2)
    values = frame[list(parameters)].to_numpy(dtype=float).reshape(len(parameters) + 2, n, len(parameters))
    for i, name in enumerate(parameters):
        expected = values[0].copy()
        expected[:, i] = values[1][:, i]
        if not np.allclose(values[2 + i], expected, equal_nan=True):
            raise ValueError(f"block AB_{name} is not block A with column {name!r} from block B; "
                             "rows must be in the order of saltelli_design()")


def sensitivity(data: Union[pd.DataFrame, xr.Dataset, xr.DataArray], outcome: Optional[str] = None, *,
                parameters: Optional[Sequence[str]] = None, dim: Optional[str] = None,
                variant: Optional[str] = None, step: StepChoice = "last", n_boot: int = 1000, level: float = 0.95,
                seed: int = DEFAULT_SEED, first_order: str = "saltelli") -> pd.DataFrame:
    """Sobol indices of `outcome` over a Saltelli design (layout: see the module docstring).

    `data` is one of

    * a DataFrame from :func:`saltelli_design` with the outcome added as a column (rows in
      design order, ``block`` column present);
    * a group of a ``coordsim sweep`` Saltelli file (``coordsim.open_groups(path)["summary"]``
      or ``["series"]``): dimension ``run`` with coordinates ``saltelli_block`` and
      ``saltelli_row``; parameter names from the ``parameters`` attribute (open_groups copies
      the file's root attributes to every group) unless given;
    * any Dataset/DataArray with a design dimension `dim` (default ``run`` or ``sample``) of
      length N·(k+2) in design order and a string ``block`` coordinate (A, B, AB_<p>) along it.

    With a ``variant`` dimension one variant is used (`variant`, default the first, the
    baseline); a ``replication`` dimension is averaged (the replications of one design point
    share its seed); a ``step`` dimension is reduced as in
    :func:`coordsim.analysis.compare` (default: last step). Runs with NaN (failed) are dropped
    with their base row. Returns what :func:`sobol_indices` returns.
    """
    options = dict(n_boot=n_boot, level=level, seed=seed, first_order=first_order)
    if isinstance(data, pd.DataFrame):
        if outcome is None:
            raise ValueError("name the outcome column")
        names = list(parameters) if parameters is not None else _parameters_from_blocks(data["block"])
        if "block" in data.columns and list(dict.fromkeys(data["block"])) != block_labels(names):
            raise ValueError(f"blocks must be {block_labels(names)} in this order")
        _check_design(data, names)
        return sobol_indices(data[outcome].to_numpy(dtype=float), names, **options)

    array = data if isinstance(data, xr.DataArray) else variable(data, outcome)
    attrs = dict(getattr(data, "attrs", {}))
    if dim is None:
        dim = "run" if "run" in array.dims else "sample"
    if dim not in array.dims:
        raise ValueError(f"expected a design dimension {dim!r}; found dims {array.dims}")
    if "variant" in array.dims:
        chosen = str(array["variant"].values[0]) if variant is None else variant
        array = array.sel(variant=chosen)
    if "step" in array.dims:
        if step == "last":
            array = array.isel(step=-1)
        elif step == "mean":
            array = array.mean("step")
        else:
            array = array.sel(step=int(step))
    if "replication" in array.dims:
        array = array.mean("replication")
    extra = [d for d in array.dims if d != dim]
    if extra:
        raise ValueError(f"outcome has dimensions {extra} besides {dim!r}; select or reduce them first")

    if "saltelli_block" in array.coords:
        if parameters is not None:
            names = list(parameters)
        elif "parameters" in attrs:
            listed = attrs["parameters"]
            names = [listed] if isinstance(listed, str) else [str(p) for p in listed]
        else:
            raise ValueError("give `parameters` (the sweep's dotted paths, in its order) or open the file with "
                             "coordsim.open_groups(), which keeps the root attribute 'parameters'")
        block = np.asarray(array["saltelli_block"].values, dtype=np.int64)
        row = np.asarray(array["saltelli_row"].values, dtype=np.int64) if "saltelli_row" in array.coords \
            else np.zeros_like(block)
        counts = np.bincount(block, minlength=len(names) + 2)
        if len(counts) != len(names) + 2 or len(set(counts.tolist())) != 1:
            raise ValueError(f"saltelli_block does not hold k+2 = {len(names) + 2} equal blocks for parameters "
                             f"{names}: block sizes {counts.tolist()}")
        order = np.lexsort((row, block))  # A rows, B rows, AB_1 rows, ... each by saltelli_row
        return sobol_indices(array.values[order], names, **options)

    if parameters is not None:
        names = list(parameters)
    elif "block" in array.coords:
        names = _parameters_from_blocks(array["block"].values)
    else:
        raise ValueError("give `parameters` or a 'block' coordinate along the design dimension")
    return sobol_indices(array.values, names, **options)


def ishigami(x: np.ndarray, a: float = 7.0, b: float = 0.1) -> np.ndarray:
    """The Ishigami function on [-pi, pi]^3, the usual test of Sobol estimators.

    Analytic indices (a=7, b=0.1): S1 = 0.3139, S2 = 0.4424, S3 = 0; ST1 = 0.5576,
    ST2 = 0.4424, ST3 = 0.2437.
    """
    x = np.asarray(x, dtype=float)
    return np.sin(x[..., 0]) + a * np.sin(x[..., 1]) ** 2 + b * x[..., 2] ** 4 * np.sin(x[..., 0])
