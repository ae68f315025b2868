"""Draw the series' diagrams into notebooks/figures/ (PNG, 700 px wide).

    python tools/draw_diagrams.py [--out DIR]

* architecture.png  -- the L-layer network [12288, 20, 7, 5, 1] and every array's shape
* layer_blocks.png  -- one layer's forward and backward blocks, and what the cache carries
* unrolling.png     -- a 64x64x3 image unrolled into a 12288-vector; m images into X (12288, m)
* forward_backward.png -- the whole forward and backward pass, with the caches between them

Notation, as in the notebooks: [l] superscripts for the layer, ⊙ for the elementwise product,
A^[0] = X, A^[L] = AL = Ŷ. The output depends only on matplotlib (and its bundled DejaVu
font); PNGs carry no date or version, so a rerun gives the same pixels
(tests/test_diagrams.py checks that the committed images are what this script draws).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Rectangle  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "notebooks" / "figures"
WIDTH = 7.0          # inches; at DPI this is the notebook width in pixels
DPI = 100
STYLE = {"font.family": "DejaVu Sans", "mathtext.fontset": "dejavusans", "font.size": 9}

FORWARD = "#dce9f7"   # forward blocks and arrays
BACKWARD = "#f7e0dc"  # backward blocks and gradients
CACHE = "#fff2c2"     # caches
EDGE = "#3b4a5a"
FWD_LINE = "#2f5d8f"
BWD_LINE = "#a3412f"


def new_figure(height):
    fig = plt.figure(figsize=(WIDTH, height), dpi=DPI)
    ax = fig.add_axes([0, 0, 1, 1])
    ax.set_xlim(0, 100)
    ax.set_ylim(0, 100 * height / WIDTH)
    ax.set_aspect("equal")
    ax.axis("off")
    return fig, ax


def box(ax, x, y, w, h, text, colour, fontsize=9, edge=EDGE, lw=1.0, **kw):
    """A rounded box with its lower-left corner at (x, y) and `text` centred in it."""
    ax.add_patch(FancyBboxPatch((x, y), w, h, boxstyle="round,pad=0,rounding_size=1.2",
                                facecolor=colour, edgecolor=edge, lw=lw))
    if text:
        ax.text(x + w / 2, y + h / 2, text, ha="center", va="center", fontsize=fontsize, **kw)


def arrow(ax, start, end, colour=EDGE, text=None, text_at=0.5, offset=(0, 1.3), fontsize=8.5,
          lw=1.2, style="-|>", ls="-", **kw):
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle=style, mutation_scale=10, color=colour,
                                 lw=lw, ls=ls, shrinkA=0, shrinkB=0))
    if text:
        x = start[0] + (end[0] - start[0]) * text_at + offset[0]
        y = start[1] + (end[1] - start[1]) * text_at + offset[1]
        ax.text(x, y, text, ha="center", va="bottom", fontsize=fontsize, color=colour, **kw)


# ---------------------------------------------------------------------------
# (a) the architecture
# ---------------------------------------------------------------------------

def draw_architecture():
    fig, ax = new_figure(4.3)
    dims = [12288, 20, 7, 5, 1]
    xs = [9, 29, 49, 69, 89]
    top, bottom = 49, 26
    shown = [7, 7, 7, 5, 1]
    centres = []
    for n, k, x in zip(dims, shown, xs):
        ys = [(top + bottom) / 2] if k == 1 else list(np.linspace(top, bottom, k))
        centres.append((x, ys, n > k))
    # connections first, under the units
    for (x0, ys0, _), (x1, ys1, _) in zip(centres, centres[1:]):
        for y0 in ys0:
            for y1 in ys1:
                ax.plot([x0, x1], [y0, y1], color="#b8c4d0", lw=0.4, zorder=1)
    colours = ["#eeeeee", FORWARD, FORWARD, FORWARD, "#d9efd6"]
    for (x, ys, elided), colour in zip(centres, colours):
        for i, y in enumerate(ys):
            if elided and i == len(ys) - 2:   # the units not drawn
                ax.add_patch(plt.Circle((x, y), 1.5, facecolor="white", edgecolor="white", zorder=2))
                ax.text(x, y, "⋮", ha="center", va="center", fontsize=12, zorder=3)
                continue
            ax.add_patch(plt.Circle((x, y), 1.5, facecolor=colour, edgecolor=EDGE, lw=0.8, zorder=2))
    heads = ["input (layer 0)\n$n^{[0]} = n_x$ = 12288", "layer 1\n$n^{[1]}$ = 20 ReLU",
             "layer 2\n$n^{[2]}$ = 7 ReLU", "layer 3\n$n^{[3]}$ = 5 ReLU",
             "layer 4 = L\n$n^{[4]}$ = 1 sigmoid"]
    for x, head in zip(xs, heads):
        ax.text(x, top + 3, head, ha="center", va="bottom", fontsize=8.5, linespacing=1.4)
    shapes = [
        "$X = A^{[0]}$\n(12288, m)",
        "$W^{[1]}$ (20, 12288)\n$b^{[1]}$ (20, 1)\n$Z^{[1]}, A^{[1]}$ (20, m)",
        "$W^{[2]}$ (7, 20)\n$b^{[2]}$ (7, 1)\n$Z^{[2]}, A^{[2]}$ (7, m)",
        "$W^{[3]}$ (5, 7)\n$b^{[3]}$ (5, 1)\n$Z^{[3]}, A^{[3]}$ (5, m)",
        "$W^{[4]}$ (1, 5)\n$b^{[4]}$ (1, 1)\n$Z^{[4]}$ (1, m)\n$A^{[4]}$ = AL = $\\hat{Y}$\n(1, m)",
    ]
    for x, text in zip(xs, shapes):
        ax.text(x, bottom - 3.5, text, ha="center", va="top", fontsize=8.5, linespacing=1.5)
    ax.text(50, 1.2, "layers_dims = [12288, 20, 7, 5, 1]:  L = 4 layers (the input is layer 0, not counted)."
            "\n$W^{[l]}$ is ($n^{[l]}$, $n^{[l-1]}$),  $b^{[l]}$ is ($n^{[l]}$, 1),  "
            "$Z^{[l]}$ and $A^{[l]}$ are ($n^{[l]}$, m): one column per example.",
            ha="center", va="bottom", fontsize=8.5, linespacing=1.5)
    return fig


# ---------------------------------------------------------------------------
# (b) one layer's forward and backward blocks
# ---------------------------------------------------------------------------

def draw_layer_blocks():
    fig, ax = new_figure(4.4)
    gold = "#8a6d00"
    # forward block, parameters from above
    fx, fy, fw, fh = 30, 38, 40, 13
    box(ax, fx, fy, fw, fh, "layer $l$ forward\n$Z^{[l]} = W^{[l]} A^{[l-1]} + b^{[l]}$\n"
        "$A^{[l]} = g^{[l]}(Z^{[l]})$", FORWARD, fontsize=9.5, linespacing=1.6)
    arrow(ax, (fx + fw / 2, fy + fh + 5.5), (fx + fw / 2, fy + fh), FWD_LINE)
    ax.text(fx + fw / 2, fy + fh + 6, "parameters $W^{[l]}$, $b^{[l]}$", ha="center", va="bottom",
            fontsize=9, color=FWD_LINE)
    arrow(ax, (6, fy + fh / 2), (fx, fy + fh / 2), FWD_LINE, "$A^{[l-1]}$", offset=(0, 1.0))
    arrow(ax, (fx + fw, fy + fh / 2), (94, fy + fh / 2), FWD_LINE, "$A^{[l]}$", offset=(0, 1.0))
    ax.text(18, fy + fh / 2 - 1.5, "from layer $l-1$", fontsize=8, color=FWD_LINE, ha="center", va="top")
    ax.text(82, fy + fh / 2 - 1.5, "to layer $l+1$", fontsize=8, color=FWD_LINE, ha="center", va="top")
    # the cache, kept by forward, read by backward
    cx, cy, cw, ch = 73, 23, 25, 11
    box(ax, cx, cy, cw, ch, "cache\nlinear: ($A^{[l-1]}$, $W^{[l]}$, $b^{[l]}$)\nactivation: $Z^{[l]}$",
        CACHE, fontsize=8.5, linespacing=1.5)
    arrow(ax, (fx + fw - 3, fy), (cx + 4, cy + ch), gold, ls="--")
    ax.text(fx + fw - 4.5, fy - 3, "kept", fontsize=8.5, color=gold, ha="right", va="center")
    # backward block
    bx, by, bw, bh = 27, 2, 43, 20
    box(ax, bx, by, bw, bh, "layer $l$ backward\n$dZ^{[l]} = dA^{[l]} \\odot g^{[l]\\prime}(Z^{[l]})$\n"
        "$dW^{[l]} = (1/m)\\, dZ^{[l]} A^{[l-1]T}$\n"
        "$db^{[l]} = (1/m)\\, \\Sigma_i\\, dZ^{[l](i)}$\n"
        "$dA^{[l-1]} = W^{[l]T} dZ^{[l]}$", BACKWARD, fontsize=9.5, linespacing=1.6)
    arrow(ax, (cx + 8, cy), (bx + bw, by + bh - 4), gold, ls="--")
    ax.text(cx + 6, cy - 3.5, "read", fontsize=8.5, color=gold, ha="left", va="center")
    arrow(ax, (94, by + 5), (bx + bw, by + 5), BWD_LINE, "$dA^{[l]}$", offset=(0, 1.0))
    ax.text(82, by + 3.5, "from layer $l+1$", fontsize=8, color=BWD_LINE, ha="center", va="top")
    arrow(ax, (bx, by + bh - 5), (6, by + bh - 5), BWD_LINE, "$dA^{[l-1]}$", offset=(0, 1.0))
    ax.text(16.5, by + bh - 6.5, "to layer $l-1$", fontsize=8, color=BWD_LINE, ha="center", va="top")
    arrow(ax, (bx, by + 5), (6, by + 5), BWD_LINE, "$dW^{[l]}$, $db^{[l]}$", offset=(0, 1.0))
    ax.text(16.5, by + 3.5, "to update_parameters", fontsize=8, color=BWD_LINE, ha="center", va="top")
    return fig


# ---------------------------------------------------------------------------
# (c) image -> column
# ---------------------------------------------------------------------------

def toy_image(size=64):
    """A small drawn picture (a face with two pointed ears) as (size, size, 3) uint8, no data file."""
    y, x = np.mgrid[0:size, 0:size] / (size - 1)
    img = np.zeros((size, size, 3))
    img[..., 0] = 0.55 + 0.3 * y
    img[..., 1] = 0.75 - 0.2 * y
    img[..., 2] = 0.9 - 0.1 * x
    head = (x - 0.5) ** 2 / 0.09 + (y - 0.58) ** 2 / 0.07 < 1
    ears = np.zeros_like(head)
    for cx in (0.3, 0.7):
        ears |= (y > 0.2) & (y < 0.45) & (np.abs(x - cx) < (y - 0.2) * 0.55)
    fur = head | ears
    img[fur] = (0.85, 0.5, 0.2)
    for cx in (0.4, 0.6):
        img[(x - cx) ** 2 + (y - 0.55) ** 2 < 0.0018] = (0.15, 0.3, 0.1)
    img[(x - 0.5) ** 2 / 2 + (y - 0.66) ** 2 < 0.0009] = (0.85, 0.45, 0.5)
    return (img * 255).round().astype(np.uint8)


def draw_unrolling():
    fig, ax = new_figure(4.3)
    img = toy_image()
    # the image, its three channels stacked behind it
    ax.imshow(img, extent=(3, 25, 18, 40), interpolation="nearest", zorder=3)
    for k, colour in enumerate(((1, 0, 0), (0, 0.6, 0))):
        off = 2 - k
        ax.add_patch(Rectangle((3 + off * 1.4, 18 + off * 1.4), 22, 22, facecolor=(*colour, 0.25),
                               edgecolor=colour, lw=0.8, zorder=2 - off))
    ax.add_patch(Rectangle((3, 18), 22, 22, fill=False, edgecolor=EDGE, lw=0.8, zorder=4))
    ax.add_patch(Rectangle((3, 38.5), 1.5, 1.5, fill=False, edgecolor="k", lw=1.2, zorder=5))
    ax.text(15, 46, "one image: (64, 64, 3)\nheight × width × RGB", ha="center", va="bottom", fontsize=9,
            linespacing=1.4)
    ax.text(14, 15.5, "boxed: pixel (0, 0), top left;\nthen (0, 1), ..., (63, 63)", ha="center",
            va="top", fontsize=8, linespacing=1.4)
    # the column: pixel (0, 0)'s R, G, B, then pixel (0, 1)'s, ... (row by row, C order)
    vx, vw, h = 45, 4, 3.2
    rgb = {"R": "#f4b6b6", "G": "#b9e3b9", "B": "#b8c8f2"}
    rows = [(i, c, "(0, 0)" if i < 3 else "(0, 1)") for i, c in enumerate("RGBRGB")]
    rows += [None] + [(12285 + i, c, "(63, 63)") for i, c in enumerate("RGB")]
    y = 50
    for row in rows:
        if row is None:
            ax.text(vx + vw / 2, y - 3, "⋮", ha="center", va="center", fontsize=12)
            y -= 6
            continue
        i, c, pixel = row
        ax.add_patch(Rectangle((vx, y - h), vw, h, facecolor=rgb[c], edgecolor=EDGE, lw=0.6))
        ax.text(vx + vw + 1, y - h / 2, f"x[{i}] = {c} of pixel {pixel}", va="center", fontsize=8)
        y -= h
    ax.text(vx + vw / 2, 52, "one column", ha="center", va="bottom", fontsize=9)
    ax.text(vx + vw / 2, y - 2, "x: (12288, 1)\n64 · 64 · 3 = 12288", ha="center", va="top", fontsize=9,
            linespacing=1.4)
    arrow(ax, (28, 30), (43, 30), EDGE, "unroll", offset=(0, 1.2), fontsize=8.5)
    # m images side by side: X
    mx, step = 81, 3.4
    arrow(ax, (67, 27.5), (mx - 2, 27.5), EDGE, "m images", offset=(0, -3.6), fontsize=8.5)
    for j, name in enumerate(("1", "2", "3", None, "m")):
        x = mx + j * step
        if name is None:
            ax.text(x + 1.4, 31, "⋯", ha="center", va="center", fontsize=11)
            continue
        ax.add_patch(Rectangle((x, 14), 2.8, 36, facecolor=FORWARD, edgecolor=EDGE, lw=0.6))
        ax.text(x + 1.4, 51, name, ha="center", va="bottom", fontsize=8)
    ax.text(mx + 8, 55, "image", ha="center", va="bottom", fontsize=8.5)
    ax.text(mx + 8, 12.5, "X: (12288, m)\none column\nper image", ha="center", va="top", fontsize=9,
            linespacing=1.4)
    ax.text(50, 1.2, "X = flatten_images(images) = images.reshape(m, -1).T / 255",
            ha="center", va="bottom", fontsize=8.5, family="DejaVu Sans Mono")
    return fig


# ---------------------------------------------------------------------------
# (d) the whole forward and backward pass
# ---------------------------------------------------------------------------

def draw_forward_backward():
    fig, ax = new_figure(4.4)
    gold = "#8a6d00"
    fy, by, h, w = 35, 12, 10, 14
    blocks = [(6, "1", "RELU"), (28, "2", "RELU"), (64, "L", "SIGMOID")]
    fm, bm = fy + h / 2, by + h / 2          # the rows' middle lines

    def label(x, y, text, colour):
        ax.text(x, y + 1, text, ha="center", va="bottom", fontsize=8.5, color=colour)

    ax.text(1, fy + h + 2, "forward", fontsize=9.5, color=FWD_LINE, weight="bold")
    ax.text(1, by + h + 2, "backward", fontsize=9.5, color=BWD_LINE, weight="bold")
    for x, l, g in blocks:
        if g == "SIGMOID":
            # L_model_backward fuses the sigmoid's backward step into dZ[L] = AL - Y: only LINEAR is left
            fwd, bwd = f"LINEAR →\n{g}\nlayer {l}", f"LINEAR ←\nbackward {l}"
        else:
            fwd, bwd = f"LINEAR → {g}\nlayer {l}", f"LINEAR ← {g}\nbackward {l}"
        box(ax, x, fy, w, h, fwd, FORWARD, fontsize=8, linespacing=1.3)
        box(ax, x, by, w, h, bwd, BACKWARD, fontsize=8, linespacing=1.3)
        arrow(ax, (x + w / 2, fy), (x + w / 2, by + h), gold, ls="--")
        ax.text(x + w / 2 + 0.8, (fy + by + h) / 2, f"cache$^{{[{l}]}}$", fontsize=8, color=gold,
                ha="left", va="center")
        arrow(ax, (x + w / 2, by), (x + w / 2, by - 4.5), BWD_LINE)
        ax.text(x + w / 2, by - 5, f"$dW^{{[{l}]}}$, $db^{{[{l}]}}$", fontsize=8.5, color=BWD_LINE,
                ha="center", va="top")
    # forward: X -> 1 -> 2 -> ... -> L -> AL -> cost
    for (x0, x1), text in (((0.5, 6), "$X$"), ((20, 28), "$A^{[1]}$"), ((42, 49), "$A^{[2]}$"),
                           ((57, 64), "$A^{[L-1]}$"), ((78, 85), "AL")):
        arrow(ax, (x0, fm), (x1, fm), FWD_LINE)
        label((x0 + x1) / 2, fm, text, FWD_LINE)
    ax.text(53, fm, "⋯", fontsize=13, ha="center", va="center", color=FWD_LINE)
    box(ax, 85, fy, 14, h, "cost $J$\nof AL and Y", "#e8e8e8", fontsize=8.5, linespacing=1.4)
    # backward, as L_model_backward does it: dZ[L] = AL - Y -> L -> ... -> 2 -> 1; no dA[0] is kept
    box(ax, 85, by, 14, h, "$dZ^{[L]}$\n$= AL - Y$", BACKWARD, fontsize=9.5, linespacing=1.5)
    arrow(ax, (92, fy), (92, by + h), BWD_LINE)
    for (x0, x1), text in (((85, 78), "$dZ^{[L]}$"), ((64, 57), "$dA^{[L-1]}$"), ((49, 42), "$dA^{[2]}$"),
                           ((28, 20), "$dA^{[1]}$")):
        arrow(ax, (x0, bm), (x1, bm), BWD_LINE)
        label((x0 + x1) / 2, bm, text, BWD_LINE)
    ax.text(3, bm, "no\n$dA^{[0]}$", fontsize=7.5, color=BWD_LINE, ha="center", va="center", linespacing=1.3)
    ax.text(53, bm, "⋯", fontsize=13, ha="center", va="center", color=BWD_LINE)
    ax.text(50, 62, "L_model_forward keeps cache$^{[l]}$ = (($A^{[l-1]}$, $W^{[l]}$, $b^{[l]}$), $Z^{[l]}$) "
            "for each layer; L_model_backward\nreads them in reverse order, layer L first.  Then "
            "update_parameters:  $W^{[l]} \\leftarrow W^{[l]} - \\alpha\\, dW^{[l]}$,  "
            "$b^{[l]} \\leftarrow b^{[l]} - \\alpha\\, db^{[l]}$.",
            ha="center", va="top", fontsize=8.5, linespacing=1.5)
    return fig


DIAGRAMS = {
    "architecture.png": draw_architecture,
    "layer_blocks.png": draw_layer_blocks,
    "unrolling.png": draw_unrolling,
    "forward_backward.png": draw_forward_backward,
}


def draw_all(out=OUT):
    """Write every diagram into `out`; returns the paths written."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    with plt.rc_context(STYLE):
        for name, draw in DIAGRAMS.items():
            fig = draw()
            path = out / name
            # the PNG names its generator (a fixed text: matplotlib's own names its version)
            fig.savefig(path, dpi=DPI, metadata={"Software": "tools/draw_diagrams.py"})
            plt.close(fig)
            paths.append(path)
    return paths


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=str(OUT), help=f"output folder (default {OUT.relative_to(ROOT)})")
    args = parser.parse_args(argv)
    for path in draw_all(args.out):
        print(f"wrote {path} ({path.stat().st_size // 1024} kB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
