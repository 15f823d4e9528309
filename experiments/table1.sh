#!/usr/bin/env bash
# Table 1 of Jang, Gu and Poole (ICLR 2017) with discrete4j: structured output prediction (SBN) and VAEs with
# Bernoulli and categorical latents, one column per gradient estimator, collected from each run's summary.json into
# a markdown table (table1.md) beside the runs.
#
# Usage: experiments/table1.sh [DATA] [EPOCHS] [OUT] [EVAL_SAMPLES] [extra d4j options...]
#   DATA          mnist-10k (default), fashion-mnist or a folder of IDX files
#   EPOCHS        passes over the training set for every run (default 100)
#   OUT           folder for the runs and the table (default results/table1-DATA-EPOCHS)
#   EVAL_SAMPLES  importance samples per test image (default 1000, as the paper)
# Environment:
#   ESTIMATORS    the columns (default below; "annealed-st" is st with the temperature schedule, "st" is plain ST)
#   ROWS          any of sbn-bernoulli sbn-categorical vae-bernoulli vae-categorical (default: all four)
#   D4J           the command that runs d4j (default: the d4j launcher of this checkout)
#   D4J_THREADS   intra-op threads of each run (the launcher's default: all cores)
# A run whose summary.json exists is not repeated; an interrupted run resumes from its checkpoint.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="${1:-mnist-10k}"
epochs="${2:-100}"
out="${3:-results/table1-$(basename "$data")-$epochs}"
samples="${4:-1000}"
shift $(( $# < 4 ? $# : 4 ))
extra=("$@")
d4j="${D4J:-$root/d4j}"
estimators="${ESTIMATORS:-reinforce nvil rloo muprop st annealed-st gumbel-softmax st-gumbel-softmax reinmax gumbel-rao arm disarm}"
rows="${ROWS:-sbn-bernoulli sbn-categorical vae-bernoulli vae-categorical}"
mkdir -p "$out"

for row in $rows; do
    command="${row%%-*}"
    latent="${row#*-}"
    for column in $estimators; do
        dir="$out/$row/$column"
        if [ -f "$dir/summary.json" ]; then
            continue
        fi
        estimator="$column"
        schedule=()
        case "$column" in
            annealed-st) estimator=st; schedule=(--tau 1 --tau-min 0.5 --tau-rate 1e-4 --tau-every 500) ;;
            st) schedule=(--tau 1 --tau-rate 0) ;;
        esac
        if [ "$latent" = categorical ] && { [ "$estimator" = arm ] || [ "$estimator" = disarm ]; }; then
            continue # binary-only estimators
        fi
        resume=()
        if [ -f "$dir/checkpoint.bin" ]; then
            resume=(--resume)
        fi
        mkdir -p "$out/$row"
        echo "table1: $row $column" >&2
        start=$(date +%s)
        if ! $d4j "$command" --latent "$latent" --estimator "$estimator" "${schedule[@]}" --data "$data" \
                --epochs "$epochs" --eval-samples "$samples" --seed 1 --quiet --out "$dir" "${resume[@]}" \
                "${extra[@]}" > "$dir.log" 2>&1; then
            echo "table1: $row $column failed, see $dir.log" >&2
        fi
        echo "table1: $row $column done in $(( $(date +%s) - start )) s" >&2
    done
done

python3 - "$out" "$data" "$epochs" "$samples" "$rows" "$estimators" <<'PY'
import json, os, sys
out, data, epochs, samples, rows, columns = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5].split(), sys.argv[6].split()
paper = {  # Jang, Gu and Poole, ICLR 2017, Table 1 (nats): SF, DARN, MuProp, ST, Annealed ST, Gumbel-S., ST Gumbel-S.
    "sbn-bernoulli": [72.0, 59.7, 58.9, 58.9, 58.7, 58.5, 59.3], "sbn-categorical": [73.1, 67.9, 63.0, 61.8, 61.1, 59.0, 59.7],
    "vae-bernoulli": [112.2, 110.9, 109.7, 116.0, 111.5, 105.0, 111.5], "vae-categorical": [110.6, 128.8, 107.0, 110.9, 107.8, 101.5, 107.8]}
names = {"sbn-bernoulli": "SBN (Bern.)", "sbn-categorical": "SBN (Cat.)", "vae-bernoulli": "VAE (Bern.)", "vae-categorical": "VAE (Cat.)"}
def figure(row, col, key):
    f = os.path.join(out, row, col, "summary.json")
    if not os.path.exists(f):
        return None
    s = json.load(open(f))
    if key == "negative_elbo":
        return -s["test_elbo"]
    return s.get(key)
def table(title, key_for):
    lines = [title, "", "| task | " + " | ".join(columns) + " |", "|---|" + "---|" * len(columns)]
    for row in rows:
        cells = []
        values = {c: figure(row, c, key_for(row)) for c in columns}
        best = min([v for v in values.values() if v is not None], default=None)
        for c in columns:
            v = values[c]
            cells.append("n/a" if v is None else ("**%.1f**" % v if v == best else "%.1f" % v))
        lines.append("| %s | %s |" % (names.get(row, row), " | ".join(cells)))
    return "\n".join(lines)
md = ["# Table 1 with discrete4j: %s, %s epochs, m = %s" % (data, epochs, samples), "",
      "Nats per test image, lower is better; the best of each row in bold. Command: `experiments/table1.sh %s %s %s %s`."
      % (data, epochs, out, samples), "",
      "Columns are registry names; annealed-st is st with tau = max(0.5, exp(-1e-4 t)) updated every 500 steps (the"
      " slope-annealed ST), so it equals st in runs of fewer than 500 steps. rloo averages k = 4 draws per step.", "",
      table("## As the paper reports: SBN rows -log p(lower | upper) with m samples, VAE rows the negative ELBO",
            lambda r: "test_nll_bound" if r.startswith("sbn") else "negative_elbo"), "",
      table("## Importance-sampled bound on -log p with m samples (every row)", lambda r: "test_nll_bound"), "",
      "## The paper's Table 1 (MNIST, 60,000 training images, SGD with momentum, tuned learning rates)", "",
      "| task | SF | DARN | MuProp | ST | Annealed ST | Gumbel-S. | ST Gumbel-S. |", "|---|---|---|---|---|---|---|---|"]
for row in rows:
    md.append("| %s | %s |" % (names[row], " | ".join("%.1f" % v for v in paper[row])))
md += ["", "Training seconds per run:", "", "| task | " + " | ".join(columns) + " |", "|---|" + "---|" * len(columns)]
for row in rows:
    md.append("| %s | %s |" % (names[row], " | ".join("n/a" if figure(row, c, "train_seconds") is None else
                                                     "%.0f" % figure(row, c, "train_seconds") for c in columns)))
open(os.path.join(out, "table1.md"), "w").write("\n".join(md) + "\n")
print("\n".join(md))
PY
