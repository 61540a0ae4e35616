#!/usr/bin/python3
"""Expected values from scikit-learn for WalkScope's statistics tests.

Run with Debian's python3 (scikit-learn 1.2.1, statsmodels 0.13 for kappa standard errors):
/usr/bin/python3 tools/stats/make_sklearn_fixtures.py
Writes test/fixtures/stats/sklearn_cases.json. The cases are generated random numbers, not
clinical data.
"""
import json
import sys
from pathlib import Path

import numpy as np
import sklearn
from sklearn.metrics import (accuracy_score, average_precision_score, balanced_accuracy_score,
                             cohen_kappa_score, confusion_matrix, f1_score, precision_recall_curve,
                             precision_score, recall_score, roc_auc_score, roc_curve)
from sklearn.model_selection import StratifiedGroupKFold
from statsmodels.stats.inter_rater import cohens_kappa as sm_cohens_kappa
from statsmodels.stats.inter_rater import fleiss_kappa as sm_fleiss_kappa

OUT = Path(__file__).resolve().parents[2] / "test" / "fixtures" / "stats" / "sklearn_cases.json"


def metric_case(rng, n, positive_rate, ties):
    truth = (rng.random(n) < positive_rate).astype(int)
    if truth.min() == truth.max():
        truth[0] = 1 - truth[0]
    scores = np.clip(rng.normal(0.5 + 0.25 * (truth - 0.5), 0.25), 0, 1)
    if ties:
        scores = np.round(scores * 5) / 5  # few distinct values: many ties
    calls = (scores >= 0.5).astype(int)
    other = (rng.random(n) < 0.5).astype(int)
    fpr, tpr, thr = roc_curve(truth, scores, drop_intermediate=False)
    prec, rec, pr_thr = precision_recall_curve(truth, scores)
    tn, fp, fn, tp = confusion_matrix(truth, calls, labels=[0, 1]).ravel()
    return {
        "truth": truth.tolist(), "scores": scores.tolist(), "calls": calls.tolist(), "other": other.tolist(),
        "confusion": {"tp": int(tp), "fp": int(fp), "tn": int(tn), "fn": int(fn)},
        "accuracy": accuracy_score(truth, calls),
        "precision": precision_score(truth, calls, zero_division=0),
        "recall": recall_score(truth, calls, zero_division=0),
        "f1": f1_score(truth, calls, zero_division=0),
        "balancedAccuracy": balanced_accuracy_score(truth, calls),
        "rocFpr": fpr.tolist(), "rocTpr": tpr.tolist(), "rocThresholds": thr.tolist(),
        "auroc": roc_auc_score(truth, scores),
        "prPrecision": prec.tolist(), "prRecall": rec.tolist(), "prThresholds": pr_thr.tolist(),
        "averagePrecision": average_precision_score(truth, scores),
        "kappa": cohen_kappa_score(calls, other),
        "kappaStatsmodels": kappa_facts(calls, other),
    }


def kappa_facts(a, b):
    table = confusion_matrix(a, b, labels=[0, 1])
    r = sm_cohens_kappa(table)
    return {"kappa": float(r.kappa), "se": float(r.std_kappa), "seNull": float(r.std_kappa0),
            "lower": float(r.kappa_low), "upper": float(r.kappa_upp)}


def fold_case(rng, patients, folds):
    labels, groups = [], []
    for p in range(patients):
        label = int(rng.random() < 0.45)
        for _ in range(int(rng.integers(1, 5))):
            labels.append(label)
            groups.append((p * 37) % 1009)  # distinct patient ids, not in input order
    sgkf = StratifiedGroupKFold(n_splits=folds, shuffle=False)
    fold_of_sample = [-1] * len(labels)
    for f, (_, test) in enumerate(sgkf.split(np.zeros(len(labels)), labels, groups)):
        for i in test:
            fold_of_sample[int(i)] = f
    return {"labels": labels, "groups": groups, "folds": folds, "foldOfSample": fold_of_sample}


def main():
    rng = np.random.default_rng(20231)
    metrics = [metric_case(rng, n, rate, ties) for n, rate, ties in [
        (20, 0.5, False), (57, 0.3, True), (200, 0.45, False), (81, 0.42, True), (9, 0.5, True), (500, 0.1, False)]]
    folds = [fold_case(rng, patients, k) for patients, k in [(81, 5), (30, 5), (12, 3), (50, 4)]]
    fleiss_table = [[0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
                    [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7]]
    fleiss = {"table": fleiss_table, "kappa": float(sm_fleiss_kappa(np.array(fleiss_table)))}
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({"sklearn": sklearn.__version__, "numpy": np.__version__, "python": sys.version.split()[0],
                               "note": "generated random cases, not clinical data", "metrics": metrics, "folds": folds, "fleiss": fleiss}))
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
