"""dnnlib.explore: live exploration for the notebooks (05, 06, 07).

Each exploration is a PLAIN function that trains or looks something up and draws on the
matplotlib axes it is given; it returns the numbers it drew, so it can be tested without a
browser. The ``make_*_widget`` functions only wire ipywidgets controls to those functions
(ipywidgets is imported when they are called, so this module imports without it).

* ``train_and_plot``: retrain a network and redraw its cost curve and decision boundary;
  ``make_training_widget`` puts learning rate, depth, width and initialization on controls.
* ``browse_images``: one image of a set with its label (and prediction);
  ``make_image_browser`` puts the index on a slider; ``misclassified`` picks the mistakes.
* ``bigger_test_set``, ``compare_depths``, ``plot_depth_comparison``: a fair depth comparison
  over several seeds, on a generated test set much larger than the shipped 50 images.
* ``real_photos``, ``photo_probabilities``: scikit-image's sample photographs through a model
  trained on the drawings (the distribution-shift lesson). scikit-image is optional (the
  ``photos`` extra): ``photos_available()`` says whether it is installed, and ``real_photos``
  without it raises PhotosUnavailable saying how to install it.

Only dnn_utils' public functions are used (training by its fast path, L_layer_model_fast and
two_layer_model_fast), and the dataset's generator, dnnlib.datasets.make_catvnoncat.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import numpy as np

import dnn_utils
from dnn_utils import (L_layer_model_fast, TrainingDivergedError, accuracy, flatten_images, load_image,
                       plot_costs, plot_decision_boundary, predict, two_layer_model_fast)
from dnnlib.datasets import make_catvnoncat

__all__ = [
    "layer_sizes", "train_and_plot", "make_training_widget",
    "browse_images", "misclassified", "make_image_browser",
    "bigger_test_set", "DEPTH_MODELS", "compare_depths", "plot_depth_comparison",
    "PHOTOS", "PhotosUnavailable", "photos_available", "real_photos", "photo_probabilities",
]

INITS = ("xavier", "he", 0.01)


# ---------------------------------------------------------------------------
# Checking the arguments: nothing is silently truncated (width=2.7 is not 2)
# ---------------------------------------------------------------------------

def _whole(value, arg, minimum=0, what=""):
    """value as an int, or a clear error naming arg: an int (or numpy integer) >= minimum, not a
    float (2.7 would be truncated to 2), not a bool."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        kind = "a non-integer" if isinstance(value, (float, np.floating)) else type(value).__name__
        raise TypeError(f"{arg}{what}: expected a whole number (int) >= {minimum}, found {value!r} ({kind}); "
                        f"it would be truncated, so it is refused")
    if value < minimum:
        raise ValueError(f"{arg}{what}: expected a whole number >= {minimum}, found {value!r}")
    return int(value)


def _whole_values(values, arg, allowed=None):
    """values (any shape) as an int64 array, or a clear error naming arg and the first bad value:
    whole numbers (0.5 would be truncated to 0), and in `allowed` (a range) if given."""
    try:
        a = np.asarray(values)
    except Exception as e:  # noqa: BLE001
        raise TypeError(f"{arg}: expected whole numbers, found {type(values).__name__} ({e})") from None
    if a.dtype == bool or not (np.issubdtype(a.dtype, np.integer) or np.issubdtype(a.dtype, np.floating)):
        raise TypeError(f"{arg}: expected whole numbers (an int array), found dtype {a.dtype}")
    flat = a.ravel()
    if np.issubdtype(a.dtype, np.floating):
        bad = np.flatnonzero(~np.isfinite(flat) | (flat != np.round(flat)))
        if bad.size:
            i = int(bad[0])
            raise ValueError(f"{arg}: expected whole numbers, found {flat[i]!r} at position {i} "
                             f"({bad.size} non-integer value(s)); it would be truncated, so it is refused")
    ints = flat.astype(np.int64)
    if allowed is not None and ints.size:
        outside = np.flatnonzero((ints < allowed.start) | (ints >= allowed.stop))
        if outside.size:
            i = int(outside[0])
            raise ValueError(f"{arg}: expected values in {allowed.start}..{allowed.stop - 1}, "
                             f"found {flat[i]!r} at position {i}")
    return ints.reshape(a.shape)


# ---------------------------------------------------------------------------
# Retrain and redraw
# ---------------------------------------------------------------------------

def layer_sizes(n_x, depth, width):
    """[n_x, width, ..., width, 1] with `depth` hidden layers: an L-layer network, L = depth + 1."""
    if not isinstance(depth, (int, np.integer)) or isinstance(depth, bool) or depth < 0:
        raise ValueError(f"depth (the number of hidden layers) must be a whole number >= 0, found {depth!r}")
    n_x = _whole(n_x, "n_x", 1, " (the number of input features)")
    width = _whole(width, "width", 1, " (units per hidden layer)")
    return [n_x] + [width] * int(depth) + [1]


def _as_axes_pair(axes):
    """(cost axes, second axes or None) from one axes, a pair, or None (a new figure)."""
    import matplotlib.pyplot as plt

    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(7, 3))
    axes = np.ravel(np.asarray(axes, dtype=object)).tolist()
    if not 1 <= len(axes) <= 2:
        raise ValueError(f"axes must be one or two matplotlib axes, found {len(axes)}")
    return axes[0], (axes[1] if len(axes) == 2 else None)


def train_and_plot(X, Y, learning_rate=0.3, depth=2, width=8, init="xavier", num_iterations=1000,
                   seed=1, axes=None, X_test=None, Y_test=None, dtype=np.float64, resolution=100):
    """Train [n_x, width * depth, 1] with L_layer_model_fast and draw what happened.

    Arguments:
    X, Y -- training data (n_x, m) and labels (1, m)
    learning_rate, num_iterations, init, seed, dtype -- passed to L_layer_model_fast (the course
            loop's training, sooner, with the initialization and dtype as options)
    depth -- the number of hidden layers (0 is logistic regression); width -- units in each
    axes -- one axes (the cost curve) or two: the second shows the decision boundary when X
            is 2-D, else the train and test accuracy as bars. None: a new figure
    X_test, Y_test -- optional held-out data, scored and shown
    resolution -- grid points per side of the decision boundary

    Returns:
    dict with layers_dims, costs (every 100 iterations, as drawn), final_cost (the cost of the
    returned parameters, after the last update: the network the accuracies score; drawn as the
    curve's last point), train_accuracy, test_accuracy (None without test data), diverged (the
    error message or None), parameters (None if training diverged) and seconds
    """
    dims = layer_sizes(np.shape(X)[0], depth, width)
    num_iterations = _whole(num_iterations, "num_iterations", 1)
    resolution = _whole(resolution, "resolution", 2)
    _whole_values(Y, "Y (the labels)", range(2))
    if Y_test is not None:
        _whole_values(Y_test, "Y_test (the labels)", range(2))
    cost_ax, other_ax = _as_axes_pair(axes)
    result = dict(layers_dims=dims, costs=[], final_cost=None, train_accuracy=None, test_accuracy=None,
                  diverged=None, parameters=None, seconds=0.0)
    start = time.perf_counter()
    try:
        parameters, costs = L_layer_model_fast(X, Y, dims, learning_rate, num_iterations, init=init,
                                               seed=seed, dtype=dtype)
    except TrainingDivergedError as e:
        result["diverged"] = str(e)
    else:
        # costs stop at the last multiple of 100 before num_iterations; a bumpy run can still move
        # after it, so the cost of the parameters that are scored is computed and drawn too
        AL, _ = dnn_utils.L_model_forward(np.asarray(X, dtype=dtype), parameters)
        result.update(parameters=parameters, costs=[float(c) for c in costs],
                      final_cost=float(dnn_utils.compute_cost(AL, np.asarray(Y, dtype=dtype))),
                      train_accuracy=accuracy(predict(X, parameters), Y))
        if X_test is not None:
            result["test_accuracy"] = accuracy(predict(X_test, parameters), Y_test)
    result["seconds"] = time.perf_counter() - start

    cost_ax.clear()
    title = f"{dims}, α = {learning_rate}, init = {init}"
    if result["diverged"]:
        cost_ax.text(0.5, 0.5, "training diverged:\ntry a smaller learning rate", ha="center",
                     va="center", transform=cost_ax.transAxes, color="crimson")
        cost_ax.set_title(title, fontsize=9)
    else:
        plot_costs(result["costs"], ax=cost_ax)
        cost_ax.plot([100 * (len(result["costs"]) - 1), num_iterations], [result["costs"][-1], result["final_cost"]],
                     ":", color="C0")
        cost_ax.plot([num_iterations], [result["final_cost"]], "o", ms=4, color="C0")
        cost_ax.set_title(title, fontsize=9)
    if other_ax is not None:
        other_ax.clear()
        if result["diverged"]:
            other_ax.axis("off")
        elif np.shape(X)[0] == 2:
            shown = (X, Y) if X_test is None else (X_test, Y_test)
            plot_decision_boundary(lambda G: predict(G, parameters), *shown, ax=other_ax,
                                   resolution=resolution)
            other_ax.set_title(_accuracy_title(result), fontsize=9)
        else:
            names = ["train"] + ([] if X_test is None else ["test"])
            values = [result["train_accuracy"]] + ([] if X_test is None else [result["test_accuracy"]])
            other_ax.bar(names, values, color=["#7a9cc6", "#c68a7a"][:len(values)])
            other_ax.set_ylim(0, 1.15)   # room for the label above a bar at 1.00
            other_ax.set_ylabel("accuracy")
            for i, v in enumerate(values):
                other_ax.text(i, v + 0.02, f"{v:.2f}", ha="center", fontsize=9)
            other_ax.set_title(_accuracy_title(result), fontsize=9)
    if axes is None:   # our own figure: lay it out (a caller's figure is the caller's to arrange)
        cost_ax.figure.tight_layout()
    return result


def _accuracy_title(result):
    text = f"train {result['train_accuracy']:.0%}"
    if result["test_accuracy"] is not None:
        text += f", test {result['test_accuracy']:.0%}"
    return text


def _show(fig, image):
    """Draw `fig` into the ipywidgets Image `image` as a PNG (replacing what it showed), then free it.

    An Image widget, not an Output widget: nbclient (which nbgrader and the tests run notebooks
    with) mimics an Output widget by sending messages back to the kernel on the channel where it
    waits for the cell's reply, and then sometimes misses that reply until the cell times out
    (jupyter/nbclient#312; CONTRIBUTING.md). An Image's picture only travels from the kernel to the page.
    """
    import io

    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=80)
    plt.close(fig)
    image.value = buffer.getvalue()


def make_training_widget(X, Y, X_test=None, Y_test=None, *, learning_rates=(0.001, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0),
                         learning_rate=0.3, depths=(0, 1, 2, 3, 4, 5), depth=2, widths=(1, 2, 4, 8, 16, 32),
                         width=8, inits=INITS, init="xavier", num_iterations=1000, seed=1,
                         dtype=np.float64, manual=False, figsize=(8, 3.2)):
    """Controls for learning rate, depth, width and initialization that rerun train_and_plot.

    manual -- False: retrain as soon as a control moves (the 2-D problem of notebook 05 and the
              cat images of notebook 07 both train in well under a second); True: retrain when
              the "Train" button is pressed, for settings where one training takes long

    Returns an ipywidgets VBox; its attribute `last` is train_and_plot's latest result.
    """
    for arg, value, low in (("depth", depth, 0), ("width", width, 1)):
        _whole(value, arg, low)
    for arg, values, low in (("depths", depths, 0), ("widths", widths, 1)):
        for i, v in enumerate(values):
            _whole(v, arg, low, f"[{i}]")
    num_iterations = _whole(num_iterations, "num_iterations", 1)
    _whole_values(Y, "Y (the labels)", range(2))
    if Y_test is not None:
        _whole_values(Y_test, "Y_test (the labels)", range(2))
    import ipywidgets as widgets
    import matplotlib.pyplot as plt

    style = {"description_width": "initial"}
    controls = {
        "learning_rate": widgets.SelectionSlider(options=list(learning_rates), value=learning_rate,
                                                 description="learning rate α", style=style,
                                                 continuous_update=False),
        "depth": widgets.SelectionSlider(options=list(depths), value=depth, description="hidden layers",
                                         style=style, continuous_update=False),
        "width": widgets.SelectionSlider(options=list(widths), value=width, description="units per layer",
                                         style=style, continuous_update=False),
        "init": widgets.Dropdown(options=[(str(s), s) for s in inits], value=init,
                                 description="initialization", style=style),
    }
    image = widgets.Image(format="png")
    status = widgets.Label()
    box = widgets.VBox([widgets.HBox([controls["learning_rate"], controls["depth"]]),
                        widgets.HBox([controls["width"], controls["init"]])])

    def rerun(_change=None):
        values = {k: c.value for k, c in controls.items()}
        fig, axes = plt.subplots(1, 2, figsize=figsize)
        box.last = train_and_plot(X, Y, num_iterations=num_iterations, seed=seed, axes=axes,
                                  X_test=X_test, Y_test=Y_test, dtype=dtype, **values)
        fig.tight_layout()
        status.value = f"trained in {box.last['seconds']:.1f} s"
        _show(fig, image)

    if manual:
        button = widgets.Button(description="Train")
        button.on_click(rerun)
        box.children = box.children + (widgets.HBox([button, status]), image)
    else:
        for c in controls.values():
            c.observe(rerun, names="value")
        box.children = box.children + (status, image)
    box.controls = controls
    box.last = None
    rerun()
    return box


# ---------------------------------------------------------------------------
# Browsing images
# ---------------------------------------------------------------------------

def _name(classes, k):
    c = classes[int(k)]
    return c.decode() if isinstance(c, bytes) else str(c)


def browse_images(images, labels, index, predictions=None, probabilities=None,
                  classes=(b"non-cat", b"cat"), indices=None, ax=None):
    """Show image `index` of `images` (k, h, w, 3) with its label, and the model's answer if given.

    labels, predictions, probabilities -- k values each (any shape); probabilities are P(cat)
    indices -- the images' numbers in the whole set (e.g. which test images were misclassified),
               shown in the title; defaults to 0 .. k-1

    Returns:
    dict with index (the number in the whole set), label, prediction, probability, title
    """
    import matplotlib.pyplot as plt

    images = np.asarray(images)
    k = images.shape[0]
    index = _whole(index, "index")
    labels = _whole_values(labels, "labels", range(len(classes)))
    if predictions is not None:
        predictions = _whole_values(predictions, "predictions", range(len(classes)))
    if indices is not None:
        indices = _whole_values(indices, "indices", range(0, 2**62))
    if not 0 <= index < k:
        raise IndexError(f"index must be in 0..{k - 1} for {k} images, found {index}")
    if ax is None:
        _, ax = plt.subplots(figsize=(2.6, 2.9))
    number = int(index if indices is None else np.ravel(indices)[index])
    label = int(np.ravel(labels)[index])
    title = f"#{number}: {_name(classes, label)}"
    prediction = probability = None
    if predictions is not None:
        prediction = int(np.ravel(predictions)[index])
        title += f"\nmodel says {_name(classes, prediction)}"
    if probabilities is not None:
        probability = float(np.ravel(probabilities)[index])
        title += f" (P(cat) = {probability:.2f})"
    ax.clear()
    ax.imshow(images[index])
    ax.axis("off")
    colour = "black" if prediction is None or prediction == label else "crimson"
    ax.set_title(title, fontsize=9, color=colour)
    return dict(index=number, label=label, prediction=prediction, probability=probability, title=title)


def misclassified(X, Y, parameters):
    """The examples `parameters` gets wrong.

    Returns:
    indices -- (k,) positions of the mistakes among X's columns
    predictions -- (k,) the model's wrong answers
    probabilities -- (k,) its output P(y = 1) on them
    """
    Y = _whole_values(Y, "Y (the labels)", range(2))
    AL, _ = dnn_utils.L_model_forward(X, parameters)
    wrong = np.flatnonzero(predict(X, parameters)[0] != np.ravel(Y))
    return wrong, (AL[0, wrong] > 0.5).astype(np.int64), AL[0, wrong]


def make_image_browser(images, labels, predictions=None, probabilities=None,
                       classes=(b"non-cat", b"cat"), indices=None, figsize=(2.6, 2.9)):
    """A slider over the images that reruns browse_images. Returns an ipywidgets VBox whose
    attribute `last` is browse_images' latest result."""
    import ipywidgets as widgets
    import matplotlib.pyplot as plt

    k = np.asarray(images).shape[0]
    if k == 0:
        raise ValueError("there are no images to browse")
    # checked here, not at the first move of the slider
    labels = _whole_values(labels, "labels", range(len(classes)))
    if predictions is not None:
        predictions = _whole_values(predictions, "predictions", range(len(classes)))
    if indices is not None:
        indices = _whole_values(indices, "indices", range(0, 2**62))
    slider = widgets.IntSlider(value=0, min=0, max=k - 1, description="image", continuous_update=False)
    image = widgets.Image(format="png")
    box = widgets.VBox([slider, image])

    def rerun(_change=None):
        fig, ax = plt.subplots(figsize=figsize)
        box.last = browse_images(images, labels, slider.value, predictions, probabilities, classes,
                                 indices, ax=ax)
        fig.tight_layout()
        _show(fig, image)

    slider.observe(rerun, names="value")
    box.slider = slider
    rerun()
    return box


# ---------------------------------------------------------------------------
# A fair depth comparison
# ---------------------------------------------------------------------------

def bigger_test_set(n=1000, seed=2):
    """n new test images drawn by the shipped dataset's generator (half cats).

    The shipped files are seed 1; any other seed gives images independent of them.
    About 100 images a second on one core.

    Returns:
    test_x_orig -- (n, 64, 64, 3) uint8;  test_y -- (1, n) int64
    """
    n = _whole(n, "n", 1, " (the number of images)")
    seed = _whole(seed, "seed")
    x, y = make_catvnoncat.make_split(n, "test", seed)
    return x, y.reshape(1, -1)


#: name -> (model function, hidden layer sizes): logistic regression is the network with no
#: hidden layer, LINEAR -> SIGMOID
DEPTH_MODELS = {
    "logistic regression": (L_layer_model_fast, []),
    "2-layer [n_x, 7, 1]": (two_layer_model_fast, [7]),
    "L-layer [n_x, 20, 7, 5, 1]": (L_layer_model_fast, [20, 7, 5]),
}


def compare_depths(train_x, train_y, test_x, test_y, seeds=(0, 1, 2, 3, 4), models=None,
                   learning_rate=0.0075, num_iterations=2500, dtype=np.float64, log=None):
    """Train each model once per initialization seed, as the course trains them (by the fast path:
    the course loop's iterates, sooner), and score it.

    train_x, test_x -- (n_x, m) flattened images (flatten_images)
    models -- name -> (model function, hidden sizes); default DEPTH_MODELS

    Returns:
    dict name -> dict(layers_dims, seeds, train, test (arrays of accuracies, one per seed),
                      test_mean, test_std (over seeds), seconds, parameters (one dict per seed))
    """
    models = DEPTH_MODELS if models is None else models
    seeds = [_whole(s, "seeds", 0, f"[{i}]") for i, s in enumerate(seeds)]
    if not seeds:
        raise ValueError("seeds: expected at least one seed, found none")
    num_iterations = _whole(num_iterations, "num_iterations", 1)
    for name, (_, hidden) in models.items():
        for i, h in enumerate(hidden):
            _whole(h, f"models[{name!r}]", 1, f" hidden size [{i}]")
    _whole_values(train_y, "train_y (the labels)", range(2))
    _whole_values(test_y, "test_y (the labels)", range(2))
    results = {}
    for name, (model, hidden) in models.items():
        dims = [train_x.shape[0], *hidden, 1]
        train_acc, test_acc, trained = [], [], []
        start = time.perf_counter()
        for seed in seeds:
            parameters, _ = model(train_x, train_y, dims, learning_rate, num_iterations, seed=seed,
                                  dtype=dtype)
            trained.append(parameters)
            train_acc.append(accuracy(predict(train_x, parameters), train_y))
            test_acc.append(accuracy(predict(test_x, parameters), test_y))
            if log:
                log(f"{name} seed {seed}: train {train_acc[-1]:.3f} test {test_acc[-1]:.3f}")
        test_acc = np.array(test_acc)
        results[name] = dict(layers_dims=dims, seeds=list(seeds), train=np.array(train_acc),
                             test=test_acc, test_mean=float(test_acc.mean()),
                             test_std=float(test_acc.std(ddof=1)) if len(seeds) > 1 else 0.0,
                             seconds=time.perf_counter() - start, parameters=trained)
    return results


def plot_depth_comparison(results, m_test=None, ax=None):
    """Each seed's test accuracy as a dot, the mean as a bar with ± one standard deviation.

    m_test -- the number of test images: draws the ±2 standard errors of one accuracy measured
              on them (sqrt(p(1-p)/m)), what test-set size alone leaves uncertain
    Returns the axes.
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(6, 3.2))
    names = list(results)
    for i, name in enumerate(names):
        r = results[name]
        ax.bar(i, r["test_mean"], color="#c6d8f3", edgecolor="#4a6fa5", width=0.6)
        first = i == 0
        ax.errorbar(i, r["test_mean"], yerr=r["test_std"], color="#4a6fa5", capsize=6,
                    label="mean ± 1 std over seeds" if first else None)
        ax.plot(np.full(len(r["test"]), i) + np.linspace(-0.15, 0.15, len(r["test"])), r["test"], "o",
                color="k", markersize=3, label="one seed" if first else None)
        if m_test:
            p, se = r["test_mean"], np.sqrt(r["test_mean"] * (1 - r["test_mean"]) / m_test)
            ax.plot([i + 0.34] * 2, [p - 2 * se, p + 2 * se], color="crimson", lw=2,
                    label=f"± 2 standard errors of {m_test} test images" if first else None)
    ax.set_xticks(range(len(names)))
    ax.set_xticklabels(names, fontsize=8)
    low = min(r["test"].min() for r in results.values())
    ax.set_ylim(max(0.0, low - 0.1), 1.0)
    ax.set_ylabel("test accuracy")
    ax.legend(fontsize=7, loc="upper left")
    return ax


# ---------------------------------------------------------------------------
# Real photographs (scikit-image's sample images)
# ---------------------------------------------------------------------------

#: scikit-image sample photographs shipped inside the package (no download), and what they show
PHOTOS = {
    "chelsea": "a cat",
    "coffee": "a cup of coffee",
    "astronaut": "an astronaut",
    "rocket": "a rocket on its launch pad",
    "motorcycle": "a motorcycle",
    "camera": "a photographer (grayscale)",
}


#: how to get the photographs where scikit-image is missing (the learner's install leaves it out)
PHOTOS_INSTALL = 'pip install "deep-nn-from-scratch[photos]"'


class PhotosUnavailable(ImportError):
    """scikit-image, which ships the sample photographs, is not installed (an optional extra)."""


def _skimage_data():
    """skimage.data, or PhotosUnavailable saying what to install."""
    try:
        import skimage.data
    except ImportError as e:
        raise PhotosUnavailable(
            f"the real photographs come from scikit-image, an optional part of this course that the "
            f"learner's install leaves out (about 200 MB with scipy). To see them, run\n"
            f"    {PHOTOS_INSTALL}\n"
            f"(in a notebook: %pip install ..., then restart the kernel). Import failed: {e}") from None
    return skimage.data


def photos_available():
    """Whether real_photos can run: scikit-image is installed and imports."""
    try:
        _skimage_data()
    except PhotosUnavailable:
        return False
    return True


def real_photos(names=None, size=64):
    """scikit-image's sample photographs as (size, size, 3) uint8 images, each prepared by
    dnn_utils.load_image exactly as a learner's own photo would be (centre crop, resize).

    Returns a dict name -> image, in the order of `names` (default: all of PHOTOS).
    Raises PhotosUnavailable (an ImportError) naming the install command if scikit-image is
    missing: it is the optional ``photos`` extra.
    """
    from PIL import Image

    names = list(PHOTOS) if names is None else list(names)
    unknown = [n for n in names if n not in PHOTOS]
    if unknown:
        raise ValueError(f"unknown photos {unknown}; choose from {list(PHOTOS)}")
    data = _skimage_data()
    photos = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            array = data.stereo_motorcycle()[0] if name == "motorcycle" else getattr(data, name)()
            path = Path(tmp) / f"{name}.png"
            Image.fromarray(np.asarray(array, dtype=np.uint8)).save(path)
            photos[name] = load_image(path, size=size)
    return photos


def photo_probabilities(parameters, photos):
    """The model's P(cat) for each photo (a dict name -> (64, 64, 3) image): dict name -> float."""
    names = list(photos)
    X = flatten_images(np.stack([photos[n] for n in names]))
    AL, _ = dnn_utils.L_model_forward(X, parameters)
    return {n: float(p) for n, p in zip(names, AL[0])}
