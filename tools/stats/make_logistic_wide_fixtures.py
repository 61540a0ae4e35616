#!/usr/bin/python3
"""Expected values from scikit-learn for WalkScope's wide logistic regression (Newton-CG).

Run with Debian's python3 (scikit-learn 1.2.1, numpy 1.24):
    /usr/bin/python3 tools/stats/make_logistic_wide_fixtures.py
Writes test/fixtures/stats/sklearn_logistic_wide.json.

The dataset is generated random numbers (numpy default_rng with a fixed seed), not clinical
data: n = 150 rows of p = 400 columns (wider than tall, as the 3D-CNN clip features are), each
column a normal draw with its own scale and offset rounded to a whole number (so the stored
rows are short in JSON), and labels from a linear signal with about 35% positives. sklearn
fits StandardScaler output with class_weight="balanced" at C = 0.01, 1 and 100, as the app's
segment model does. Deterministic: the same versions give a byte-identical file.

The reference is solver "newton-cholesky" with tol 1e-14, as in make_logistic_fixtures.py
(a 401 x 401 Hessian is cheap for sklearn); "newton-cg" and "lbfgs" with tol 1e-12 (at most
10000 iterations) are fitted too, and their largest coefficient or intercept difference to
the reference is stored with each fit (`solverAgreement`) and printed.
"""
import json
import sys
from pathlib import Path

import numpy as np
import sklearn
from sklearn.preprocessing import StandardScaler

from make_logistic_fixtures import fit

OUT = Path(__file__).resolve().parents[2] / "test" / "fixtures" / "stats" / "sklearn_logistic_wide.json"
SOLVERS = ["newton-cg", "lbfgs"]


def generate(rng, n, p, separation, positive_rate):
    """Whole-number rows (per-column scale 2-8, offset -10..10) and labels from a linear signal."""
    raw = rng.normal(0.0, 1.0, size=(n, p)) * rng.uniform(2.0, 8.0, size=p) + rng.uniform(-10, 10, size=p)
    x = np.round(raw)
    beta = rng.normal(0.0, 1.0, size=p)
    z = (x - x.mean(axis=0)) / x.std(axis=0) @ beta * separation / np.sqrt(p)
    offset = np.log(positive_rate / (1 - positive_rate))
    y = (rng.random(n) < 1 / (1 + np.exp(-(z + offset)))).astype(int)
    return x, y


def fits_at(design, y, cs, class_weight):
    """The reference fit at each C, with the other solvers' disagreement."""
    fits = []
    for c in cs:
        ref = fit(design, y, c, "newton-cholesky", 1e-14, class_weight=class_weight)
        agreement = {}
        for solver in SOLVERS:
            other = fit(design, y, c, solver, 1e-12, class_weight=class_weight, strict=False)
            agreement[solver] = float(max(np.max(np.abs(other.coef_[0] - ref.coef_[0])), abs(other.intercept_[0] - ref.intercept_[0])))
        fits.append({
            "c": c,
            "coefficients": ref.coef_[0].tolist(),
            "intercept": float(ref.intercept_[0]),
            "iterations": int(ref.n_iter_[0]),
            "probabilities": ref.predict_proba(design)[:, 1].tolist(),
            "solverAgreement": agreement,
        })
    return fits


def main():
    rng = np.random.default_rng(20250612)
    n, p = 150, 400
    x, y = generate(rng, n, p, 2.0, 0.35)
    assert 0 < y.sum() < n and np.all(x.std(axis=0) > 0)
    scaler = StandardScaler().fit(x)
    fits = fits_at(scaler.transform(x), y, [0.01, 1.0, 100.0], "balanced")
    data = {
        "label": f"p={p} n={n} whole-number columns, standardised, class_weight=balanced",
        "x": x.astype(int).tolist(),
        "y": y.tolist(),
        "sampleWeight": None,
        "classWeight": "balanced",
        "standardise": True,
        "scalerMean": scaler.mean_.tolist(),
        "scalerScale": scaler.scale_.tolist(),
        "fits": fits,
    }
    worst = {solver: max(f["solverAgreement"][solver] for f in fits) for solver in SOLVERS}
    payload = {"sklearn": sklearn.__version__, "numpy": np.__version__, "python": sys.version.split()[0],
               "note": "generated random numbers, not clinical data",
               "reference": "LogisticRegression(penalty='l2', fit_intercept=True, solver='newton-cholesky', tol=1e-14)",
               "worstSolverDisagreement": worst, "datasets": [data]}
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(payload, allow_nan=False))
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes); {int(y.sum())} of {n} positive; largest coefficient difference to the reference: {worst}")
    for f in fits:
        print(f"  C={f['c']}: {f['iterations']} iterations, {f['solverAgreement']}")


if __name__ == "__main__":
    main()
