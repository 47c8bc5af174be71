"""Morris screening (coordsim.analysis.morris): known answers on a linear function and on the
Sobol g-function with Campolongo et al. (2007)'s coefficients, against a brute-force computation
of the same elementary effects; and a `design: morris` sweep of the county end to end."""
import numpy as np
import pytest

from coordsim.analysis import morris as m

# Campolongo, Cariboni and Saltelli (2007), section 4: g-function coefficients. The importance of
# x_i falls as a_i grows (the term (|4x - 2| + a) / (1 + a) varies by a factor (2 + a) / a), so the
# published mu* ranking is x3 (a = 0.5), x4 (2), x2 (12), x6 (33), then x1 (78) and x5 (97).
G_A = [78, 12, 0.5, 2, 97, 33]


def textbook_design(r, k, p, rng):
    """Morris (1991)'s construction B* = (J x* + (delta/2)((2B - J) D* + J)) P*, written out
    independently of the engine's generator. Returns the (r (k+1), k) points and, per
    trajectory, the base x*, the directions D* and the order P*."""
    delta = p / (2 * (p - 1))
    B = np.tril(np.ones((k + 1, k)), -1)
    J = np.ones((k + 1, k))
    points, plans = [], []
    for _ in range(r):
        x_star = rng.integers(0, p // 2, size=k) / (p - 1)
        d = rng.choice([-1.0, 1.0], size=k)
        order = rng.permutation(k)
        P = np.eye(k)[order]
        b_star = (J * x_star + (delta / 2) * ((2 * B - J) @ np.diag(d) + J)) @ P
        points.append(b_star)
        plans.append((x_star, d, order))
    return np.vstack(points), plans, delta


def brute_force_effects(f, plans, delta, k):
    """Each parameter's effect by its definition: evaluate f at the point before and after the
    parameter's move, rebuilt from x*, D* and P* (not from the design's rows)."""
    effects = np.empty((len(plans), k))
    for t, (x_star, d, order) in enumerate(plans):
        # (M P)[r, order[c]] = M[r, c]: the parameter in column order[c] has base x*_c and
        # direction d_c, and moves between rows c and c + 1.
        x = np.empty(k)
        for c in range(k):
            x[order[c]] = x_star[c] + (delta / 2) * (1 - d[c])
        for c in range(k):
            i = order[c]
            before = f(x[None, :])[0]
            x[i] += d[c] * delta
            after = f(x[None, :])[0]
            effects[t, i] = (after - before) / (d[c] * delta)
    return effects


def run_estimator(f, points, r, k, bounds=None):
    trajectory = np.repeat(np.arange(r), k + 1)
    step = np.tile(np.arange(k + 1), r)
    return m.elementary_effects(points, f(points), trajectory, step, bounds)


def test_linear_function_has_its_coefficients_as_effects():
    # For y = b . x every elementary effect is exactly the slope b_i (per unit of x_i) and b_i
    # times the range per unit of range: mu* = |b_i| range_i, sigma = 0.
    rng = np.random.default_rng(5)
    r, k, p = 12, 4, 4
    unit, _, _ = textbook_design(r, k, p, rng)
    low, high = np.array([0.0, -1.0, 10.0, 0.5]), np.array([1.0, 1.0, 20.0, 0.6])
    points = low + unit * (high - low)
    b = np.array([2.0, -3.0, 0.25, 40.0])
    effects = run_estimator(lambda x: x @ b, points, r, k, bounds=list(zip(low, high)))
    table = m.morris_indices(effects, ["a", "b", "c", "d"])
    np.testing.assert_allclose(table.loc[["a", "b", "c", "d"], "mu_star"], np.abs(b) * (high - low), rtol=1e-9)
    np.testing.assert_allclose(table.loc[["a", "b", "c", "d"], "mu"], b * (high - low), rtol=1e-9)
    np.testing.assert_allclose(table["sigma"], 0.0, atol=1e-9)


def test_g_function_effects_equal_brute_force_and_rank_as_published():
    rng = np.random.default_rng(2007)
    r, k, p = 60, 6, 4
    points, plans, delta = textbook_design(r, k, p, rng)
    f = lambda x: m.sobol_g(x, G_A)  # noqa: E731
    effects = run_estimator(f, points, r, k, bounds=[(0.0, 1.0)] * k)
    np.testing.assert_allclose(effects, brute_force_effects(f, plans, delta, k), rtol=1e-12, atol=1e-15)
    table = m.morris_indices(effects, [f"x{i + 1}" for i in range(k)])
    assert list(table.index[:4]) == ["x3", "x4", "x2", "x6"]
    assert set(table.index[4:]) == {"x1", "x5"}


def test_estimator_refuses_a_design_that_is_not_one_at_a_time():
    points = np.array([[0.0, 0.0], [1.0, 1.0], [1.0, 0.0]])
    with pytest.raises(ValueError, match="differ in 2 parameters"):
        m.elementary_effects(points, np.zeros(3), [0, 0, 0], [0, 1, 2])


def test_morris_sweep_of_the_county(run_cli, scenarios_dir, tmp_path):
    sweep = tmp_path / "morris.yaml"
    sweep.write_text(f"""base: {scenarios_dir / 'governance' / 'county.yaml'}
design: morris
trajectories: 5
levels: 4
replications: 1
steps: 40
variants: [baseline]
fail_on_nan: none
parameters:
  lead.rank: {{bounds: [0.1, 0.9]}}
  allocation.temperature: {{bounds: [0.01, 0.2]}}
  leadership.attention_budget: {{bounds: [0.2, 3.0]}}
""")
    out = tmp_path / "morris.h5"
    result = run_cli("sweep", sweep, "-o", out, "--quiet", "--threads", 2)
    assert result.returncode == 0, result.stderr
    table = m.morris(out, "hours_joint_total")
    assert set(table.index) == {"lead.rank", "allocation.temperature", "leadership.attention_budget"}
    assert (table["r"] == 5).all()
    assert np.isfinite(table["mu_star"]).all()
    assert (table["mu_star"] >= table["mu"].abs() - 1e-9).all()
