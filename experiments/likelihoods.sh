#!/usr/bin/env bash
# Test log-likelihoods on binarised images (issue 6): an RBM trained by PCD and a deep energy-based model trained as
# Grathwohl et al. (ICML 2021), both scored by annealed importance sampling, so the EBM has a baseline a reader can
# judge it by. Each run writes summary.json in its folder; a finished run is not repeated.
#
# Usage: experiments/likelihoods.sh [DATA] [WHAT] [OUT]
#   DATA  mnist-10k (default), fashion-mnist or a folder of IDX files
#   WHAT  rbm, ebm or all (default)
#   OUT   folder for the runs (default results/likelihoods-DATA)
# Environment: RBM_UPDATES (default 3000: the RBM's epochs are chosen to give about this many Adam updates, so that
# both data sets train as long), EBM_ITERATIONS (default 3000), D4J, D4J_THREADS as for table1.sh.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="${1:-mnist-10k}"
what="${2:-all}"
out="${3:-results/likelihoods-$(basename "$data")}"
d4j="${D4J:-$root/d4j}"
updates="${RBM_UPDATES:-3000}"
iterations="${EBM_ITERATIONS:-3000}"
mkdir -p "$out"

if [ "$what" = rbm ] || [ "$what" = all ]; then
    case "$data" in
        mnist-10k) train=8000 ;;
        fashion-mnist) train=60000 ;;
        *) train="${TRAIN_IMAGES:?set TRAIN_IMAGES to the number of training images of $data}" ;;
    esac
    epochs=$(( (updates * 100 + train - 1) / train ))
    if [ ! -f "$out/rbm/summary.json" ]; then
        echo "likelihoods: RBM 500 hidden, PCD-1, $epochs epochs on $data" >&2
        $d4j train-rbm --data "$data" --hidden 500 --method pcd --epochs "$epochs" --ais-every "$epochs" --seed 1 \
            --quiet --out "$out/rbm" $( [ -f "$out/rbm/checkpoint.bin" ] && echo --resume )
    fi
    if [ ! -f "$out/rbm-ais/summary.json" ]; then
        echo "likelihoods: AIS of the RBM (30,000 temperatures, 100 chains)" >&2
        $d4j ais --model-file "$out/rbm/model.json" --data "$data" --chains 100 --temperatures 30000 --seed 1 \
            --quiet --out "$out/rbm-ais"
    fi
fi

if [ "$what" = ebm ] || [ "$what" = all ]; then
    if [ ! -f "$out/ebm/summary.json" ]; then
        echo "likelihoods: MLP-256 EBM, $iterations iterations x 20 GWG steps on $data" >&2
        $d4j ebm --data "$data" --energy mlp --width 256 --iterations "$iterations" --steps 20 \
            --warmup $(( iterations / 10 )) --eval-every 500 --checkpoint-every 500 --test-temperatures 50000 --test-chains 20 --seed 1 \
            --quiet --out "$out/ebm" $( [ -f "$out/ebm/checkpoint.ckpt" ] && echo --resume )
    fi
fi
