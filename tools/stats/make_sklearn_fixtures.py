#!/usr/bin/python3
"""Expected values from scikit-learn for WalkScope's statistics tests.

Run with Debian's python3 (scikit-learn 1.2.1, numpy 1.24, statsmodels 0.13 for kappa
standard errors):
    /usr/bin/python3 tools/stats/make_sklearn_fixtures.py
Writes test/fixtures/stats/sklearn_cases.json (metrics, curves, kappa, undefined kappa, Fleiss) and
test/fixtures/stats/sklearn_folds.json (StratifiedGroupKFold and numpy RandomState).
All cases are generated random numbers, not clinical data. Deterministic: the same
versions give byte-identical files.
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

OUT_DIR = Path(__file__).resolve().parents[2] / "test" / "fixtures" / "stats"


def versions():
    return {"sklearn": sklearn.__version__, "numpy": np.__version__, "python": sys.version.split()[0],
            "note": "generated random cases, not clinical data"}


def kappa_facts(a, b):
    table = confusion_matrix(a, b, labels=[0, 1])
    with np.errstate(invalid="ignore"):
        r = sm_cohens_kappa(table)
    # statsmodels gives NaN where rounding makes the variance slightly negative (one rater constant)
    num = lambda v: None if np.isnan(v) else float(v)
    return {"kappa": num(r.kappa), "se": num(r.std_kappa), "seNull": num(r.std_kappa0),
            "lower": num(r.kappa_low), "upper": num(r.kappa_upp)}


def metric_facts(label, truth, scores, other):
    truth = np.asarray(truth, dtype=int)
    scores = np.asarray(scores, dtype=float)
    other = np.asarray(other, dtype=int)
    calls = (scores >= 0.5).astype(int)
    fpr, tpr, thr = roc_curve(truth, scores, drop_intermediate=False)
    dfpr, dtpr, dthr = roc_curve(truth, scores, drop_intermediate=True)
    prec, rec, pr_thr = precision_recall_curve(truth, scores)
    tn, fp, fn, tp = confusion_matrix(truth, calls, labels=[0, 1]).ravel()
    return {
        "label": label,
        "truth": truth.tolist(), "scores": scores.tolist(), "calls": calls.tolist(), "other": other.tolist(),
        "confusion": {"tp": int(tp), "fp": int(fp), "tn": int(tn), "fn": int(fn)},
        "accuracy": accuracy_score(truth, calls),
        "precision": precision_score(truth, calls, zero_division=0),
        "recall": recall_score(truth, calls, zero_division=0),
        # specificity and NPV are recall and precision of the negative class
        "specificity": recall_score(truth, calls, pos_label=0, zero_division=0),
        "npv": precision_score(truth, calls, pos_label=0, zero_division=0),
        "f1": f1_score(truth, calls, zero_division=0),
        "balancedAccuracy": balanced_accuracy_score(truth, calls),
        "rocFpr": fpr.tolist(), "rocTpr": tpr.tolist(), "rocThresholds": thr.tolist(),
        "rocDroppedFpr": dfpr.tolist(), "rocDroppedTpr": dtpr.tolist(), "rocDroppedThresholds": dthr.tolist(),
        "auroc": roc_auc_score(truth, scores),
        "prPrecision": prec.tolist(), "prRecall": rec.tolist(), "prThresholds": pr_thr.tolist(),
        "averagePrecision": average_precision_score(truth, scores),
        "kappa": cohen_kappa_score(calls, other),
        "kappaStatsmodels": kappa_facts(calls, other),
    }


def random_metric_case(rng, n, positive_rate, ties):
    truth = (rng.random(n) < positive_rate).astype(int)
    if truth.min() == truth.max():
        truth[0] = 1 - truth[0]
    scores = np.clip(rng.normal(0.5 + 0.25 * (truth - 0.5), 0.25), 0, 1)
    if ties:
        scores = np.round(scores * 5) / 5  # few distinct values: many ties
    other = (rng.random(n) < 0.5).astype(int)
    # make sure neither rater gives one single answer throughout (kappa undefined)
    other[0], other[-1] = 0, 1
    label = f"n={n}, {int(truth.sum())} positive{', ties' if ties else ''}"
    return metric_facts(label, truth, scores, other)


def metric_cases(rng):
    cases = [random_metric_case(rng, n, rate, ties) for n, rate, ties in [
        (20, 0.5, False), (57, 0.3, True), (200, 0.45, False), (81, 0.42, True), (9, 0.5, True),
        (500, 0.1, False), (300, 0.03, True), (40, 0.9, False)]]
    # hand-made edge cases
    cases.append(metric_facts("n=2, one of each", [0, 1], [0.3, 0.7], [0, 1]))
    cases.append(metric_facts("n=3, reversed", [1, 0, 0], [0.2, 0.6, 0.9], [1, 0, 1]))
    cases.append(metric_facts("all scores tied", [0, 1, 0, 1, 1], [0.4] * 5, [0, 1, 1, 0, 1]))
    cases.append(metric_facts("0..100 confidences with ties", [0, 0, 1, 1, 0, 1, 1, 0],
                              [10, 40, 40, 90, 40, 75, 100, 0], [0, 1, 1, 1, 0, 1, 0, 0]))
    return cases


def kappa_undefined_cases():
    """Both raters give one and the same call to every case: sklearn's kappa is nan (0/0).
    Stored as null with sklearnIsNan, because JSON has no NaN."""
    out = []
    for n in [1, 3, 10, 40, 49, 100]:
        for call in [0, 1]:
            with np.errstate(invalid="ignore", divide="ignore"):
                k = cohen_kappa_score([call] * n, [call] * n)
            out.append({"n": n, "call": call, "sklearnIsNan": bool(np.isnan(k))})
    return out


def fleiss_case():
    # Fleiss' kappa worked example (10 subjects, 14 raters, 5 categories; kappa 0.210)
    table = [[0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
             [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7]]
    return {"table": table, "kappa": float(sm_fleiss_kappa(np.array(table)))}


# ---- folds -------------------------------------------------------------------------------

def cohort(rng, patients, positive_rate, classes=2, mixed=False):
    """Several videos (1-4) per patient; a patient's videos share the label unless mixed."""
    labels, groups = [], []
    for p in range(patients):
        label = int(rng.random() < positive_rate) if classes == 2 else int(rng.integers(0, classes))
        for _ in range(int(rng.integers(1, 5))):
            labels.append(int(rng.integers(0, classes)) if mixed and rng.random() < 0.3 else label)
            groups.append(int((p * 37) % 1009))  # distinct patient ids, not in input order
    return labels, groups


def split(splitter, labels, groups):
    fold_of_sample = [-1] * len(labels)
    for f, (_, test) in enumerate(splitter.split(np.zeros(len(labels)), labels, groups)):
        for i in test:
            fold_of_sample[int(i)] = f
    return fold_of_sample


class GroupedShuffleStratifiedGroupKFold(StratifiedGroupKFold):
    """StratifiedGroupKFold with the shuffle correction described in scikit-learn PR #32540:
    the same RandomState permutation is applied to the class counts and to the group ids.
    An emulation written here (sklearn 1.2.1 does not have it), reusing sklearn's own
    _find_best_fold."""

    def _iter_test_indices(self, X, y, groups):
        rng = np.random.RandomState(self.random_state)
        _, y_inv, y_cnt = np.unique(np.asarray(y), return_inverse=True, return_counts=True)
        _, groups_inv, groups_cnt = np.unique(groups, return_inverse=True, return_counts=True)
        counts = np.zeros((len(groups_cnt), len(y_cnt)))
        for class_idx, group_idx in zip(y_inv, groups_inv):
            counts[group_idx, class_idx] += 1
        permutation = rng.permutation(len(groups_cnt))
        counts = counts[permutation]
        per_fold = np.zeros((self.n_splits, len(y_cnt)))
        groups_per_fold = [set() for _ in range(self.n_splits)]
        for k in np.argsort(-np.std(counts, axis=1), kind="mergesort"):
            best = self._find_best_fold(y_counts_per_fold=per_fold, y_cnt=y_cnt, group_y_counts=counts[k])
            per_fold[best] += counts[k]
            groups_per_fold[best].add(int(permutation[k]))
        for i in range(self.n_splits):
            yield [idx for idx, g in enumerate(groups_inv) if g in groups_per_fold[i]]


def fold_cases(rng):
    cases = []
    designs = [("81 patients (as the paper), k=5", 81, 0.45, 5, 2, False),
               ("30 patients, k=5", 30, 0.4, 5, 2, False),
               ("12 patients, k=3", 12, 0.5, 3, 2, False),
               ("50 patients, k=4, mixed labels within patients", 50, 0.45, 4, 2, True),
               ("40 patients, 3 classes, k=5", 40, 0.0, 5, 3, False)]
    for label, patients, rate, k, classes, mixed in designs:
        labels, groups = cohort(rng, patients, rate, classes, mixed)
        case = {"label": label, "labels": labels, "groups": groups, "folds": k,
                "noShuffle": split(StratifiedGroupKFold(n_splits=k, shuffle=False), labels, groups),
                "shuffled": [], "grouped": []}
        for seed in [0, 1, 42, 2023, 4294967295]:
            case["shuffled"].append({"seed": seed, "foldOfSample": split(
                StratifiedGroupKFold(n_splits=k, shuffle=True, random_state=seed), labels, groups)})
            case["grouped"].append({"seed": seed, "foldOfSample": split(
                GroupedShuffleStratifiedGroupKFold(n_splits=k, shuffle=True, random_state=seed), labels, groups)})
        cases.append(case)
    return cases


def random_state_facts():
    out = []
    for seed in [0, 1, 42, 2023, 123456789, 4294967295]:
        r = np.random.RandomState(seed)
        uint32 = r.randint(0, 2 ** 32, size=8, dtype=np.uint64).tolist()
        out.append({"seed": seed, "uint32": [int(v) for v in uint32],
                    "permutation10": np.random.RandomState(seed).permutation(10).tolist(),
                    "permutation1000": np.random.RandomState(seed).permutation(1000).tolist()})
    return out


def write(name, payload):
    path = OUT_DIR / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, allow_nan=False))
    print(f"wrote {path} ({path.stat().st_size} bytes)")


def main():
    rng = np.random.default_rng(20231)
    write("sklearn_cases.json", {**versions(), "metrics": metric_cases(rng), "fleiss": fleiss_case(),
                                 "kappaUndefined": kappa_undefined_cases()})
    fold_rng = np.random.default_rng(81)
    write("sklearn_folds.json", {**versions(), "folds": fold_cases(fold_rng), "randomState": random_state_facts()})


if __name__ == "__main__":
    main()
