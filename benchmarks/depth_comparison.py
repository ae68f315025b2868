"""A fair depth comparison: logistic regression, the 2-layer and the L-layer model, several seeds,
on a generated test set much larger than the shipped 50 images. Then scikit-image's real photos
through the models trained on the drawings.

Usage::

    python -m benchmarks.depth_comparison [--n-test 2000] [--test-seed 2]
        [--seeds 0 1 2 3 4] [--iterations 2500] [--no-photos] [--plot depth.png] [--json out.json]

(from the clone's root; `python benchmarks/depth_comparison.py` works too where the project is
installed, e.g. `pip install -e .`). Every model is trained on the shipped training set (209
images), as in the course (X = flatten(images) / 255, learning rate 0.0075, 2500 iterations, by
the fast path: the course loop's iterates), once per initialization seed.
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np

from dnn_utils import accuracy, flatten_images, load_data, predict
from dnnlib import explore as dnn_explore


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n-test", type=int, default=2000)
    parser.add_argument("--test-seed", type=int, default=2, help="generator seed (the shipped files are 1)")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3, 4])
    parser.add_argument("--iterations", type=int, default=2500)
    parser.add_argument("--no-photos", action="store_true")
    parser.add_argument("--plot", help="save plot_depth_comparison's figure to this PNG")
    parser.add_argument("--json", help="save the accuracies (and photo probabilities) to this JSON file")
    args = parser.parse_args(argv)

    def log(msg):
        print(msg, file=sys.stderr, flush=True)

    train_x_orig, train_y, small_x_orig, small_y, _ = load_data()
    start = time.perf_counter()
    test_x_orig, test_y = dnn_explore.bigger_test_set(args.n_test, args.test_seed)
    log(f"generated {args.n_test} test images in {time.perf_counter() - start:.1f} s")
    train_x, test_x, small_x = (flatten_images(a) for a in (train_x_orig, test_x_orig, small_x_orig))

    results = dnn_explore.compare_depths(train_x, train_y, test_x, test_y, seeds=args.seeds,
                                         num_iterations=args.iterations, log=log)
    se = lambda p: np.sqrt(p * (1 - p) / args.n_test)  # noqa: E731
    print(f"test set: {args.n_test} generated images (seed {args.test_seed}); init seeds {args.seeds}")
    print("| model | train | test mean ± std over seeds (min-max) | std. error of one run | "
          "shipped 50 test (min-max) | seconds per run |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, r in results.items():
        small = [accuracy(predict(small_x, p), small_y) for p in r["parameters"]]
        print(f"| {name} | {r['train'].mean():.3f} | {r['test_mean']:.3f} ± {r['test_std']:.3f} "
              f"({r['test'].min():.3f}-{r['test'].max():.3f}) | {se(r['test_mean']):.3f} | "
              f"{min(small):.2f}-{max(small):.2f} | {r['seconds'] / len(args.seeds):.1f} |")

    if args.plot:
        import matplotlib
        matplotlib.use("Agg")
        ax = dnn_explore.plot_depth_comparison(results, m_test=args.n_test)
        ax.figure.tight_layout()
        ax.figure.savefig(args.plot, dpi=100)

    saved = {"n_test": args.n_test, "test_seed": args.test_seed, "seeds": args.seeds,
             "iterations": args.iterations,
             "models": {name: {"layers_dims": r["layers_dims"], "train": r["train"].tolist(),
                               "test": r["test"].tolist(), "seconds": r["seconds"]}
                        for name, r in results.items()}}
    if not args.no_photos:
        photos = dnn_explore.real_photos()
        print("\nP(cat) on scikit-image's photos, each model at each seed")
        print("| photo | " + " | ".join(results) + " |")
        print("| --- |" + " --- |" * len(results))
        probs = {name: [dnn_explore.photo_probabilities(p, photos) for p in r["parameters"]]
                 for name, r in results.items()}
        for photo in photos:
            cells = []
            for name in results:
                values = [d[photo] for d in probs[name]]
                cells.append(" ".join(f"{v:.3f}" for v in values))
            print(f"| {photo} ({dnn_explore.PHOTOS[photo]}) | " + " | ".join(cells) + " |")
        saved["photos"] = {name: [{k: round(v, 6) for k, v in d.items()} for d in probs[name]] for name in probs}
    if args.json:
        import json
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(saved, fh, indent=1)
    print(f"\ntotal {time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
