"""Plots. Each helper draws on the axes it is given (or on a new figure) and returns
them; none changes matplotlib's global settings."""

from __future__ import annotations

import numpy as np

from dnnlib.checks import check_real, checked

# ---------------------------------------------------------------------------
# Plotting. Each helper draws on the axes it is given (or on a new figure)
# and returns them; none changes matplotlib's global settings.
# ---------------------------------------------------------------------------

def plot_costs(costs, learning_rate=None, every=100, ax=None, label=None):
    """Plot a cost curve: costs[k] is the cost at iteration k * every. Returns the axes."""
    import matplotlib.pyplot as plt

    values = np.asarray(costs) if not isinstance(costs, np.ndarray) else costs
    if values.ndim != 1 or values.size == 0:
        raise ValueError(f"costs must be a non-empty list of numbers (one per {every} iterations), "
                         f"found shape {values.shape}")
    check_real("costs", values)
    if isinstance(every, bool) or not isinstance(every, (int, np.integer)) or every < 1:
        raise ValueError(f"every must be a whole number >= 1 of iterations, found {every!r}")
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 3.2))
    iterations = np.arange(len(costs)) * every
    ax.plot(iterations, costs, label=label)
    ax.set_xlabel("iteration")
    ax.set_ylabel("cost")
    if learning_rate is not None:
        ax.set_title(f"learning rate = {learning_rate}")
    return ax


@checked
def plot_images(images, labels=None, predictions=None, classes=(b"non-cat", b"cat"), ncols=8,
                scale=1.2):
    """Show (k, h, w, 3) uint8 images in a grid, titled with their label and prediction.

    labels, predictions -- optional arrays of k class indices (any shape with k values)
    Returns the figure. At most PLOT_IMAGES_MAX (200) images: one subplot each.
    """
    import matplotlib.pyplot as plt

    images = np.asarray(images)
    k = images.shape[0]
    ncols = max(1, min(ncols, k))
    nrows = int(np.ceil(k / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(scale * ncols, scale * 1.25 * nrows), squeeze=False)
    names = [c.decode() if isinstance(c, bytes) else str(c) for c in classes]
    labels = None if labels is None else np.ravel(labels)
    predictions = None if predictions is None else np.ravel(predictions)
    for i, ax in enumerate(axes.flat):
        ax.axis("off")
        if i >= k:
            continue
        ax.imshow(images[i])
        parts = []
        if predictions is not None:
            parts.append("pred: " + names[int(predictions[i])])
        if labels is not None:
            parts.append(("true: " if predictions is not None else "") + names[int(labels[i])])
        ax.set_title("\n".join(parts), fontsize=7)
    fig.tight_layout()
    return fig


@checked
def plot_decision_boundary(predict_fn, X, Y, ax=None, resolution=200):
    """Colour the plane by predict_fn's class and scatter the 2-D points X (2, m) with labels Y (1, m).

    predict_fn -- takes a (2, k) array and returns (1, k) predictions of 0/1
    Returns the axes.
    """
    import matplotlib.pyplot as plt

    if np.shape(X)[0] != 2:
        raise ValueError(f"plot_decision_boundary needs 2-D points X of shape (2, m), found {np.shape(X)}")
    if ax is None:
        _, ax = plt.subplots(figsize=(4.5, 4))
    pad = 0.5
    x0 = np.linspace(X[0].min() - pad, X[0].max() + pad, resolution)
    x1 = np.linspace(X[1].min() - pad, X[1].max() + pad, resolution)
    g0, g1 = np.meshgrid(x0, x1)
    grid = np.vstack([g0.ravel(), g1.ravel()])
    out = np.asarray(predict_fn(grid))
    if out.size != grid.shape[1]:
        raise ValueError(f"predict_fn must return one prediction per point: given {grid.shape}, "
                         f"it returned shape {out.shape}")
    Z = out.reshape(g0.shape)
    ax.contourf(g0, g1, Z, levels=[-0.5, 0.5, 1.5], colors=["#f3c6c6", "#c6d8f3"])
    ax.scatter(X[0], X[1], c=np.ravel(Y), cmap="bwr_r", s=12, edgecolors="k", linewidths=0.3)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    return ax
