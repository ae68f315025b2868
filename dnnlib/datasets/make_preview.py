"""Draw datasets/preview.png: the first 32 training images, titled "cat" / "non-cat".

Usage (the console command, or the module; --out is required)::

    dnn-make-preview --out PATH [--data DIR]
    python -m dnnlib.datasets.make_preview --out PATH [--data DIR]

``--data`` defaults to the shipped dataset; in a clone, ``--out datasets/preview.png``
(from the clone's root) redraws the picture of datasets/README.md.

The grid has 4 rows of 8 images.  The file is written atomically (a temporary
file in the same folder, fsynced, then ``os.replace``; leftovers of a killed run
are removed by the next), with matplotlib's Agg backend and
no change to the global rcParams.
"""

from __future__ import annotations

import argparse
import os
import sys

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from dnnlib.data import load_data
from dnnlib.files import write_files_atomically

ROWS, COLS = 4, 8
DPI = 80


def preview_figure(images, labels, classes, rows=ROWS, cols=COLS):
    """A Figure (not registered with pyplot) of rows x cols titled images."""
    fig = Figure(figsize=(cols * 0.95, rows * 1.1), dpi=DPI)
    FigureCanvasAgg(fig)
    axes = fig.subplots(rows, cols)
    for k, ax in enumerate(axes.flat):
        ax.axis("off")
        if k < len(images):
            ax.imshow(images[k], interpolation="nearest")
            ax.set_title(classes[int(labels[k])], fontsize=8, pad=2,
                         color="tab:green" if labels[k] == 1 else "black")
    fig.subplots_adjust(left=0.01, right=0.99, bottom=0.01, top=0.95, wspace=0.08, hspace=0.25)
    return fig


def write_png(fig, path):
    """Save ``fig`` as PNG to ``path`` atomically (rendered in memory, then one atomic write)."""
    import io

    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI,
                metadata={"Software": "dnn-make-preview (dnnlib/datasets/make_preview.py)"})
    write_files_atomically({path: buffer.getbuffer()}, "the preview image")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", required=True, metavar="PATH",
                        help="output PNG (required; in a clone: datasets/preview.png)")
    parser.add_argument("--data", default=None, metavar="DIR",
                        help="folder with train_catvnoncat.h5 (default: the shipped dataset)")
    args = parser.parse_args(argv)
    try:
        x, y, _, _, classes = load_data(args.data)
        n = ROWS * COLS
        write_png(preview_figure(x[:n], y[0, :n], [c.decode() for c in classes]), args.out)
    except (OSError, ValueError) as e:  # a missing or damaged dataset, a full disk: said plainly
        print(f"error: {e}", file=sys.stderr)
        return 2
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
