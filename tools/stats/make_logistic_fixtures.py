#!/usr/bin/python3
"""Expected values from scikit-learn for WalkScope's logistic regression and standardiser.

Run with Debian's python3 (scikit-learn 1.2.1, numpy 1.24):
    /usr/bin/python3 tools/stats/make_logistic_fixtures.py
Writes test/fixtures/stats/sklearn_logistic.json.

Every dataset here is generated random numbers (numpy default_rng with fixed seeds), not
clinical data. Deterministic: the same versions give a byte-identical file.

Each dataset is fitted at several C with LogisticRegression(penalty="l2", C=c,
fit_intercept=True) by solver "newton-cholesky" with tol 1e-14 (the reference), and again by
"newton-cg" and "lbfgs" with tol 1e-12 (at most 10000 iterations, their own stopping rules)
as a check on sklearn's own convergence: the largest coefficient difference between the
reference and each other solver is stored with the fit (`solverAgreement`). newton-cg agrees
with the reference to about 3e-8 or better; lbfgs stops earlier (differences up to about
1e-2 on badly scaled data) and is listed only to show it is not precise enough to be the
reference. Some cases are fitted on
StandardScaler output (as the app's segment model is), and one case groups rows into
patients (the segment model end to end: standardise, class_weight="balanced" over rows).
"""
import json
import sys
import warnings
from pathlib import Path

import numpy as np
import sklearn
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

OUT = Path(__file__).resolve().parents[2] / "test" / "fixtures" / "stats" / "sklearn_logistic.json"


def generate(rng, n, p, separation, positive_rate):
    """Rows with a linear signal of the given strength (larger: nearer separable) plus noise."""
    x = rng.normal(0.0, 1.0, size=(n, p)) * rng.uniform(0.5, 3.0, size=p) + rng.uniform(-5, 5, size=p)
    beta = rng.normal(0.0, 1.0, size=p)
    z = (x - x.mean(axis=0)) / x.std(axis=0) @ beta * separation / np.sqrt(p)
    offset = np.log(positive_rate / (1 - positive_rate))
    y = (rng.random(n) < 1 / (1 + np.exp(-(z + offset)))).astype(int)
    if y.min() == y.max():
        y[0] = 1 - y[0]
    return x, y


def fit(x, y, c, solver, tol, sample_weight=None, class_weight=None, strict=True):
    """The fitted model; strict: a ConvergenceWarning is an error (the reference must converge)."""
    model = LogisticRegression(penalty="l2", C=c, fit_intercept=True, solver=solver, tol=tol, max_iter=10000,
                               class_weight=class_weight)
    with warnings.catch_warnings():
        warnings.simplefilter("error" if strict else "ignore", ConvergenceWarning)
        model.fit(x, y, sample_weight=sample_weight)
    return model


def dataset(label, x, y, cs, sample_weight=None, class_weight=None, standardise=False, patients=None):
    """One generated dataset and its fits at each C (the rows are rounded to 4 decimals first)."""
    x = np.round(x, 4)
    scaler = None
    design = x
    if standardise:
        scaler = StandardScaler().fit(x)
        design = scaler.transform(x)
    fits = []
    for c in cs:
        ref = fit(design, y, c, "newton-cholesky", 1e-14, sample_weight, class_weight)
        agreement = {}
        for solver in ["newton-cg", "lbfgs"]:
            # these stop on their own criteria near 1e-12 (newton-cg's line search may give up there)
            other = fit(design, y, c, solver, 1e-12, sample_weight, class_weight, strict=False)
            agreement[solver] = float(max(np.max(np.abs(other.coef_[0] - ref.coef_[0])), abs(other.intercept_[0] - ref.intercept_[0])))
        fits.append({
            "c": c,
            "coefficients": ref.coef_[0].tolist(),
            "intercept": float(ref.intercept_[0]),
            "iterations": int(ref.n_iter_[0]),
            # P(y = 1) of every row (after standardising when the dataset is standardised)
            "probabilities": ref.predict_proba(design)[:, 1].tolist(),
            "solverAgreement": agreement,
        })
    out = {
        "label": label,
        "x": x.tolist(),
        "y": y.tolist(),
        "sampleWeight": None if sample_weight is None else np.round(sample_weight, 4).tolist(),
        "classWeight": class_weight,
        "standardise": standardise,
        "fits": fits,
    }
    if scaler is not None:
        out["scalerMean"] = scaler.mean_.tolist()
        out["scalerScale"] = scaler.scale_.tolist()
    if patients is not None:
        out["patients"] = patients
    return out


def main():
    rng = np.random.default_rng(20240611)
    sets = []
    # p = 1, small and noisy, the whole C range
    x, y = generate(rng, 30, 1, 1.0, 0.5)
    sets.append(dataset("p=1 n=30 noisy", x, y, [0.001, 0.1, 1.0, 100.0]))
    # p = 5, near separable, standardised as the app does
    x, y = generate(rng, 200, 5, 8.0, 0.4)
    sets.append(dataset("p=5 n=200 near-separable standardised", x, y, [0.01, 1.0, 100.0], standardise=True))
    # p = 5, imbalanced, class_weight balanced
    x, y = generate(rng, 500, 5, 1.5, 0.2)
    sets.append(dataset("p=5 n=500 imbalanced class_weight=balanced standardised", x, y, [0.001, 0.1, 10.0], class_weight="balanced", standardise=True))
    # p = 12, large and noisy, with arbitrary sample weights
    x, y = generate(rng, 2000, 12, 0.8, 0.45)
    w = np.round(rng.uniform(0.2, 3.0, size=len(y)), 4)
    sets.append(dataset("p=12 n=2000 noisy sample weights", x, y, [0.01, 1.0, 100.0], sample_weight=w))
    # p = 12 on raw (unstandardised) features with very different scales, balanced
    x, y = generate(rng, 300, 12, 3.0, 0.3)
    x[:, 3] *= 50.0
    sets.append(dataset("p=12 n=300 raw scales class_weight=balanced", x, y, [1.0], class_weight="balanced"))
    # the segment model end to end: 40 patients with 3-12 segments each, and a constant column
    patients, rows, labels = [], [], []
    for i in range(40):
        label = int(i % 2)
        segments = int(rng.integers(3, 13))
        centre = rng.normal(0.0, 1.0, size=4) + 0.8 * label
        patient_rows = centre + rng.normal(0.0, 0.7, size=(segments, 4))
        patient_rows = np.column_stack([patient_rows, np.full(segments, 7.0)])
        patients.append({"code": f"SYN-{i + 1:03d}", "label": label, "rows": list(range(len(rows), len(rows) + segments))})
        rows.extend(patient_rows.tolist())
        labels.extend([label] * segments)
    sets.append(dataset("segment model: 40 generated patients, class_weight=balanced, a constant column", np.array(rows), np.array(labels),
                        [0.01, 1.0], class_weight="balanced", standardise=True, patients=patients))
    worst = {solver: max(f["solverAgreement"][solver] for d in sets for f in d["fits"]) for solver in ["newton-cg", "lbfgs"]}
    payload = {"sklearn": sklearn.__version__, "numpy": np.__version__, "python": sys.version.split()[0],
               "note": "generated random numbers, not clinical data",
               "reference": "LogisticRegression(penalty='l2', fit_intercept=True, solver='newton-cholesky', tol=1e-14)",
               "worstSolverDisagreement": worst, "datasets": sets}
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(payload, allow_nan=False))
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes); largest coefficient difference to the reference: {worst}")
    for d in sets:
        for f in d["fits"]:
            print(f"  {d['label']} C={f['c']}: {f['iterations']} iterations, {f['solverAgreement']}")


if __name__ == "__main__":
    main()
