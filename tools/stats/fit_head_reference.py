#!/usr/bin/python3
"""scikit-learn's fit of a head on video features, for WalkScope's parity test.

Reads one JSON object on stdin: {"rows": [[...], ...], "labels": [0|1, ...], "c": C,
"classWeight": "balanced"|"none"}, one row per clip labelled with its patient's label.
Standardises with StandardScaler (population SD, as WalkScope) and fits
LogisticRegression(penalty="l2", C, fit_intercept=True, solver="newton-cholesky", tol=1e-14)
with class_weight as asked. Writes {"sklearn", "mean", "scale", "coefficients", "intercept"}
on stdout. The rows are whatever the test sends (clip features of a generated test cohort),
never clinical data. Needs Debian's python3-sklearn.
"""
import json
import sys

import numpy as np
import sklearn
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler


def main():
    job = json.load(sys.stdin)
    x = np.asarray(job["rows"], dtype=np.float64)
    y = np.asarray(job["labels"], dtype=np.int64)
    scaler = StandardScaler().fit(x)
    model = LogisticRegression(penalty="l2", C=float(job["c"]), fit_intercept=True, solver="newton-cholesky", tol=1e-14, max_iter=1000,
                               class_weight="balanced" if job["classWeight"] == "balanced" else None)
    model.fit(scaler.transform(x), y)
    json.dump({"sklearn": sklearn.__version__, "mean": scaler.mean_.tolist(), "scale": scaler.scale_.tolist(),
               "coefficients": model.coef_[0].tolist(), "intercept": float(model.intercept_[0])}, sys.stdout)


if __name__ == "__main__":
    main()
