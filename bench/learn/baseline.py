#!/usr/bin/env python3
"""The scikit-learn baseline of `mint learn --cv` (issue 19), on exactly mint's folds.

Usage: bench/learn/baseline.py FOLDS.csv [--json] [--unbalanced] [--full]

FOLDS.csv is what `mint learn ... --cv 5 --folds-out FOLDS.csv` writes: the columns
`segment_id,participant,fold,codes,text`, one row per segment (the coding unit), `codes` the
human codes of that segment among the evaluated ones joined by `;` (empty if none), `fold` from
0 to K-1 (folds grouped by participant). For each fold, a TF-IDF vectoriser of word 1- and
2-grams and a one-vs-rest logistic regression, class-balanced (`class_weight="balanced"`, as
mint's model is) and otherwise with scikit-learn's defaults (L2, C=1, lbfgs, decision at
probability 0.5), are fitted on the other folds and predict the fold. `--unbalanced` drops the
class weights (scikit-learn's defaults throughout): on NHS FFT that model rarely says yes to a
rare code (micro-F1 0.58, macro-F1 0.32, mean kappa 0.28, against 0.67, 0.57 and 0.52
balanced, the figures issue 19 quotes).

The figures pool the predictions of all folds: per code precision, recall, F1 and Cohen's kappa
of the yes/no decision; micro-F1 over every (segment, code) pair; macro-F1 the mean of the
codes' F1; mean kappa the mean of the codes' kappa (a code whose kappa is undefined, because
the human and the model each gave one answer everywhere, is left out of that mean and shown as
"-").
Times are wall-clock seconds summed over the folds: fitting (vectoriser and classifier) and
predicting (transform and predict). `--full` also times one model fitted on every segment and
predicting every segment, to set beside `mint learn -o` and `mint code --model`.

Run it from a virtual environment with the pinned versions (bench/learn/README.md):
    python3 -m venv /tmp/mint-learn-venv
    /tmp/mint-learn-venv/bin/pip install -r bench/learn/requirements.txt
    /tmp/mint-learn-venv/bin/python bench/learn/baseline.py FOLDS.csv
"""

import csv
import json
import sys
import time
import warnings


def read_folds(path):
    """Rows of the folds CSV as (fold, codes set, text), and the sorted codes."""
    csv.field_size_limit(sys.maxsize)
    rows = []
    with open(path, newline="", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        need = {"segment_id", "participant", "fold", "codes", "text"}
        missing = need - set(reader.fieldnames or [])
        if missing:
            raise SystemExit(
                "baseline.py: %s: no column %s (it has: %s)"
                % (path, ", ".join(sorted(missing)), ", ".join(reader.fieldnames or [])))
        for n, row in enumerate(reader, start=2):
            try:
                fold = int(row["fold"])
            except ValueError:
                raise SystemExit("baseline.py: %s:%d: fold %r is not a number"
                                 % (path, n, row["fold"]))
            codes = {c.strip() for c in row["codes"].split(";") if c.strip()}
            rows.append((fold, codes, row["text"], row["participant"]))
    if not rows:
        raise SystemExit("baseline.py: %s: no segments" % path)
    codes = sorted(set().union(*(r[1] for r in rows)))
    if not codes:
        raise SystemExit("baseline.py: %s: no segment has a code" % path)
    return rows, codes


def check_grouping(rows):
    """Every participant is in one fold only (mint groups folds by participant)."""
    seen = {}
    for fold, _, _, participant in rows:
        if seen.setdefault(participant, fold) != fold:
            raise SystemExit("baseline.py: participant %r is in folds %d and %d"
                             % (participant, seen[participant], fold))


def cross_validate(rows, codes, balanced):
    """The pooled confusion counts per code, and the fit and predict times."""
    # Imported here so that --help works without scikit-learn.
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.preprocessing import MultiLabelBinarizer

    binarizer = MultiLabelBinarizer(classes=codes)
    truth = binarizer.fit_transform([r[1] for r in rows])
    counts = {c: [0, 0, 0, 0] for c in codes}  # tp, fp, fn, tn
    fit_s = predict_s = 0.0
    for fold in sorted({r[0] for r in rows}):
        train = [i for i, r in enumerate(rows) if r[0] != fold]
        test = [i for i, r in enumerate(rows) if r[0] == fold]
        start = time.perf_counter()
        vectoriser = TfidfVectorizer(ngram_range=(1, 2))
        x_train = vectoriser.fit_transform([rows[i][2] for i in train])
        weights = "balanced" if balanced else None
        model = OneVsRestClassifier(LogisticRegression(class_weight=weights))
        with warnings.catch_warnings():
            # A code absent from a fold's training part is predicted constant (it says so).
            warnings.simplefilter("ignore", UserWarning)
            model.fit(x_train, truth[train])
        fit_s += time.perf_counter() - start
        start = time.perf_counter()
        predicted = model.predict(vectoriser.transform([rows[i][2] for i in test]))
        predict_s += time.perf_counter() - start
        for k, code in enumerate(codes):
            for row_at, i in enumerate(test):
                human, machine = truth[i, k], predicted[row_at, k]
                slot = (0 if machine else 2) if human else (1 if machine else 3)
                counts[code][slot] += 1
    return counts, fit_s, predict_s


def time_full(rows, codes, balanced):
    """Seconds to fit one model on every segment, and to predict them all."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.preprocessing import MultiLabelBinarizer

    truth = MultiLabelBinarizer(classes=codes).fit_transform([r[1] for r in rows])
    texts = [r[2] for r in rows]
    start = time.perf_counter()
    vectoriser = TfidfVectorizer(ngram_range=(1, 2))
    weights = "balanced" if balanced else None
    model = OneVsRestClassifier(LogisticRegression(class_weight=weights))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        model.fit(vectoriser.fit_transform(texts), truth)
    fit_s = time.perf_counter() - start
    start = time.perf_counter()
    model.predict(vectoriser.transform(texts))
    return round(fit_s, 3), round(time.perf_counter() - start, 3)


def ratio(a, b):
    return a / b if b else None


def figures(tp, fp, fn, tn):
    """Precision, recall, F1 and Cohen's kappa of one code's yes/no decision."""
    n = tp + fp + fn + tn
    f1 = ratio(2 * tp, 2 * tp + fp + fn)
    observed = (tp + tn) / n
    expected = ((tp + fp) * (tp + fn) + (fn + tn) * (fp + tn)) / (n * n)
    kappa = None if expected >= 1 else (observed - expected) / (1 - expected)
    return {
        "precision": ratio(tp, tp + fp) or 0.0,
        "recall": ratio(tp, tp + fn) or 0.0,
        "f1": f1 or 0.0,
        "kappa": kappa,
    }


def summarise(counts, rows, fit_s, predict_s):
    per_code = []
    for code, (tp, fp, fn, tn) in counts.items():
        per_code.append(dict(code=code, human=tp + fn, model=tp + fp,
                             tp=tp, fp=fp, fn=fn, tn=tn, **figures(tp, fp, fn, tn)))
    tp = sum(c[0] for c in counts.values())
    fp = sum(c[1] for c in counts.values())
    fn = sum(c[2] for c in counts.values())
    kappas = [c["kappa"] for c in per_code if c["kappa"] is not None]
    return {
        "segments": len(rows),
        "participants": len({r[3] for r in rows}),
        "folds": len({r[0] for r in rows}),
        "codes": per_code,
        "micro_f1": ratio(2 * tp, 2 * tp + fp + fn) or 0.0,
        "macro_f1": sum(c["f1"] for c in per_code) / len(per_code),
        "mean_kappa": sum(kappas) / len(kappas) if kappas else None,
        "fit_seconds": round(fit_s, 3),
        "predict_seconds": round(predict_s, 3),
    }


def show(x):
    return "-" if x is None else "%.3f" % x


def print_table(result, out):
    width = max(len("code"), *(len(c["code"]) for c in result["codes"]))
    out.write("%-*s %6s %6s %6s %6s %6s %6s\n"
              % (width, "code", "human", "model", "P", "R", "F1", "kappa"))
    for c in result["codes"]:
        out.write("%-*s %6d %6d %6s %6s %6s %6s\n"
                  % (width, c["code"], c["human"], c["model"], show(c["precision"]),
                     show(c["recall"]), show(c["f1"]), show(c["kappa"])))
    out.write("\n%d segments, %d participants, %d folds, %d codes\n"
              % (result["segments"], result["participants"], result["folds"],
                 len(result["codes"])))
    out.write("micro-F1 %s  macro-F1 %s  mean kappa %s\n"
              % (show(result["micro_f1"]), show(result["macro_f1"]),
                 show(result["mean_kappa"])))
    out.write("class weights %s; train %.2f s, predict %.2f s (summed over folds)\n"
              % (result["class_weight"], result["fit_seconds"], result["predict_seconds"]))
    if "full_fit_seconds" in result:
        out.write("one model on every segment: train %.2f s, predict %.2f s\n"
                  % (result["full_fit_seconds"], result["full_predict_seconds"]))


def main(argv):
    as_json = "--json" in argv
    balanced = "--unbalanced" not in argv
    full = "--full" in argv
    args = [a for a in argv if a not in ("--json", "--unbalanced", "--full")]
    if len(args) != 1 or args[0].startswith("-"):
        sys.stderr.write(__doc__)
        return 2
    rows, codes = read_folds(args[0])
    check_grouping(rows)
    counts, fit_s, predict_s = cross_validate(rows, codes, balanced)
    result = summarise(counts, rows, fit_s, predict_s)
    result["class_weight"] = "balanced" if balanced else "none"
    if full:
        result["full_fit_seconds"], result["full_predict_seconds"] = time_full(
            rows, codes, balanced)
    if as_json:
        json.dump(result, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        print_table(result, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
