"""Generate a synthetic "cat vs non-cat" dataset in the course's HDF5 schema.

Every image is drawn with Pillow's ImageDraw primitives (ellipses, polygons,
lines) at RENDER x RENDER pixels, post-processed with integer numpy arithmetic
and downsampled to 64 x 64 x 3 uint8 with Pillow's LANCZOS filter, so edges
look natural.  No fonts, no photos, nothing downloaded.

Determinism
-----------
Image ``i`` of a split is drawn from its own random generator,
``np.random.default_rng(SeedSequence(seed, spawn_key=(split, i)))``, so

* the same seed always gives byte-identical arrays;
* train (split 0) and test (split 1) come from independent streams;
* image ``i`` does not depend on how many images are requested, only its
  label does (labels are a seeded permutation with a fixed cat fraction).

Only uniform random draws (``integers``/``random``) are used: no Gaussian
samplers or transcendental functions whose last bit could vary by platform
(except the cos/sin inside Pillow's small rotations).

Usage (the console command, or the module; --out is required)::

    dnn-make-catvnoncat --out DIR [--n-train 209] [--n-test 50] [--seed 1]
    python -m dnnlib.datasets.make_catvnoncat --out DIR [...]

The defaults draw the shipped dataset: in a clone, ``--out datasets`` (run from the
clone's root) rewrites the shipped files. Nothing is written to a default place, so the
command does the same from a clone and from an installed copy.

or, from Python::

    from dnnlib.datasets.make_catvnoncat import make_dataset
    train_x, train_y, test_x, test_y = make_dataset(209, 50, seed=1)
"""

from __future__ import annotations

import argparse
import os
import sys

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from dnnlib.data import PAIR_ID_ATTR, dataset_pair_id
from dnnlib.files import PAIR_LOCK, check_writable_folder, folder_lock, write_files_atomically

RENDER = 192          # drawing resolution (pixels)
SIZE = 64             # final resolution (pixels)
DEFAULT_SEED = 1
DEFAULT_N_TRAIN = 209
DEFAULT_N_TEST = 50
#: the most images one split may have (100,000 images of 64x64x3 bytes are 1.2 GB), checked
#: before anything is allocated
MAX_IMAGES = 100_000
# Fraction of cats: half. (The course files have 72/209 and 33/50; with that prior this
# synthetic data left the L-layer model near chance, see datasets/README.md.)
CAT_FRACTION = {"train": 0.5, "test": 0.5}
SPLIT_KEY = {"train": 0, "test": 1}
# How hard the pictures are.  Every kind of variation stays; these set how often the
# hardest cases occur and how strong the degradations are.
P_CLOSE_UP = 0.05                    # subject enlarged 1.4x, partially cropped
P_OCCLUDE = 0.06                     # a foreground occluder (table, plant, bars, box)
BLUR_RADII = (0, 0, 0, 0, 0, 1, 1, 2)  # Gaussian blur radius at RENDER size, one picked
NOISE_LEVELS = (0, 0, 0, 3, 5, 8)    # +-noise added to each channel, one picked
MAX_ANGLE = 6                        # small rotations, degrees
CAT_EAR_HEIGHT = (0.9, 1.1)          # cats' pointed ears, in head radii (other animals: 0.6-0.9)
CAT_EYE_SIZE = (0.23, 0.27)          # cats' almond eyes (half width), in head radii
WHISKER_WIDTH = 0.05                 # whisker stroke, in head radii (about 1 pixel at 64x64)
P_PINK_INNER_EAR = 0.95              # cats' inner ears are pink (else a darker fur shade)
PROFILE_EYE_SIZE = (0.17, 0.21)      # the one eye of a cat in profile
SITTING_SCALE = (0.17, 0.19)         # head radius of a sitting cat, as a share of the image
SITTING_CY = (0.27, 0.31)            # height of its head centre, as a share of the image
CLASSES = np.array([b"non-cat", b"cat"], dtype="S7")

# --------------------------------------------------------------------------
# Colours.  Animals of BOTH classes take their fur from the same palette and
# the same patterns, and every scene uses the same background generator, so
# colour on its own says little about the label.
# --------------------------------------------------------------------------
FUR_COLOURS = {
    "black": (34, 32, 34), "white": (236, 234, 228), "ginger": (214, 128, 58),
    "grey": (132, 132, 138), "brown": (118, 84, 58), "cream": (228, 198, 156),
    "dark grey": (74, 74, 80), "golden": (196, 156, 86),
}
FUR_PATTERNS = ("solid", "solid", "solid", "tabby", "tabby", "calico", "bicolour", "spots")
EYE_COLOURS = ((120, 170, 60), (200, 170, 40), (210, 130, 40), (90, 150, 200),
               (90, 60, 30), (40, 30, 20))
PINK = (222, 150, 150)


def jitter(rng, colour, amount=18):
    """Return ``colour`` with each channel moved by up to +-amount."""
    c = np.asarray(colour) + rng.integers(-amount, amount + 1, size=3)
    return tuple(int(v) for v in np.clip(c, 0, 255))


def random_colour(rng):
    """Any colour: half the time a fur colour, else uniform RGB."""
    if rng.random() < 0.5:
        return jitter(rng, pick(rng, list(FUR_COLOURS.values())), 30)
    return tuple(int(v) for v in rng.integers(40, 216, size=3))


def shade(colour, factor):
    """Scale a colour by ``factor`` (given in percent), integer arithmetic."""
    return tuple(int(min(255, c * factor // 100)) for c in colour)


def pick(rng, seq):
    """Uniformly pick one element of a sequence."""
    return seq[int(rng.integers(len(seq)))]


def uniform(rng, lo, hi):
    """A float uniformly drawn from [lo, hi)."""
    return lo + (hi - lo) * rng.random()


# --------------------------------------------------------------------------
# A Frame maps "subject units" (head radius = 1, origin at head centre) to
# integer canvas pixels, so each animal is described once and drawn at any
# position and scale.
# --------------------------------------------------------------------------
class Frame:
    """Affine map from subject units to canvas pixels (with optional mirror)."""

    def __init__(self, cx, cy, scale, mirror=False):
        self.cx, self.cy, self.s = cx, cy, scale
        self.m = -1 if mirror else 1

    def p(self, x, y):
        return (int(round(self.cx + self.m * self.s * x)),
                int(round(self.cy + self.s * y)))

    def pts(self, points):
        return [self.p(x, y) for x, y in points]

    def box(self, x, y, rx, ry):
        (x0, y0), (x1, y1) = self.p(x - rx, y - ry), self.p(x + rx, y + ry)
        return [min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)]

    def w(self, width):
        return max(1, int(round(self.s * width)))


def ellipse(draw, f, x, y, rx, ry, fill, outline=None, width=1):
    draw.ellipse(f.box(x, y, rx, ry), fill=fill, outline=outline, width=width)


# --------------------------------------------------------------------------
# Fur: a full-canvas RGB texture that is pasted through an animal's
# silhouette mask.
# --------------------------------------------------------------------------
def fur_texture(rng, f):
    """Return (texture image, base colour) for a random fur colour/pattern."""
    name = pick(rng, list(FUR_COLOURS))
    base = jitter(rng, FUR_COLOURS[name])
    pattern = pick(rng, FUR_PATTERNS)
    img = Image.new("RGB", (RENDER, RENDER), base)
    d = ImageDraw.Draw(img)
    if pattern == "tabby":
        dark = shade(base, int(rng.integers(35, 65)))
        tilt = int(rng.integers(-30, 31))
        gap = int(rng.integers(9, 16))
        for y in range(-RENDER, 2 * RENDER, gap):
            y2 = y + tilt + int(rng.integers(-6, 7))
            d.line([(0, y), (RENDER // 2, y + int(rng.integers(-8, 9))), (RENDER, y2)],
                   fill=dark, width=int(rng.integers(3, 7)))
        # The tabby "M" on the forehead.
        d.line(f.pts([(-0.45, -0.35), (-0.25, -0.75), (0, -0.4), (0.25, -0.75),
                      (0.45, -0.35)]), fill=dark, width=f.w(0.07))
    elif pattern == "calico":
        img.paste(jitter(rng, FUR_COLOURS["white"]), (0, 0, RENDER, RENDER))
        for _ in range(int(rng.integers(4, 9))):
            colour = jitter(rng, FUR_COLOURS[pick(rng, ["ginger", "black", "golden"])])
            x, y = rng.integers(0, RENDER, size=2)
            r = int(rng.integers(10, 40))
            d.ellipse([x - r, y - r, x + r + int(rng.integers(0, 20)), y + r], fill=colour)
    elif pattern == "bicolour":
        ellipse(d, f, 0, 0.75, uniform(rng, 0.5, 0.9), uniform(rng, 0.5, 0.9),
                jitter(rng, FUR_COLOURS["white"]))
    elif pattern == "spots":
        dark = shade(base, int(rng.integers(30, 60)))
        for _ in range(int(rng.integers(6, 16))):
            x, y = rng.integers(0, RENDER, size=2)
            r = int(rng.integers(3, 10))
            d.ellipse([x - r, y - r, x + r, y + r], fill=dark)
    return img, base


class Subject:
    """An RGBA layer holding one animal or object, plus its silhouette mask."""

    def __init__(self):
        self.mask = Image.new("L", (RENDER, RENDER), 0)
        self.mdraw = ImageDraw.Draw(self.mask)
        self.layer = Image.new("RGBA", (RENDER, RENDER), (0, 0, 0, 0))
        self.draw = ImageDraw.Draw(self.layer)

    def fill_fur(self, texture):
        """Paint ``texture`` through the silhouette drawn so far."""
        self.layer.paste(texture, (0, 0), self.mask)
        self.mask = Image.new("L", (RENDER, RENDER), 0)
        self.mdraw = ImageDraw.Draw(self.mask)


# --------------------------------------------------------------------------
# Heads: silhouettes (ears) and faces (eyes, nose, mouth, whiskers).
# --------------------------------------------------------------------------
def head_silhouette(sub, f, rng, ears, cat=False):
    """Draw head ellipse and ears of the given style into the mask."""
    hw, hh = uniform(rng, 0.85, 1.15), uniform(rng, 0.75, 1.0)
    md = sub.mdraw
    ellipse(md, f, 0, 0, hw, hh, 255)
    inner = []
    if ears in ("pointed", "big pointed"):
        height = uniform(rng, *(CAT_EAR_HEIGHT if cat else (0.6, 0.9)))
        height *= 1.2 if ears == "big pointed" else 1.0
        half = uniform(rng, 0.22, 0.32)
        root, splay = uniform(rng, 0.4, 0.62), uniform(rng, 0.0, 0.3)
        for side in (-1, 1):
            bx = side * root
            tip = (side * (root + splay), -hh * 0.55 - height)
            tri = [(bx - half, -hh * 0.55 + 0.15), (bx + half, -hh * 0.55 + 0.15), tip]
            md.polygon(f.pts(tri), fill=255)
            cx = bx + 0.15 * (tip[0] - bx)
            inner.append([(cx - half * 0.5, -hh * 0.55 + 0.05),
                          (cx + half * 0.5, -hh * 0.55 + 0.05),
                          (tip[0] * 0.85 + cx * 0.15, tip[1] + 0.2)])
    elif ears == "round":
        r = uniform(rng, 0.22, 0.35)
        for side in (-1, 1):
            ellipse(md, f, side * 0.62, -hh * 0.78, r, r, 255)
    elif ears == "long":
        h = uniform(rng, 0.8, 1.2)
        for side in (-1, 1):
            x = side * uniform(rng, 0.2, 0.45)
            ellipse(md, f, x, -hh - h * 0.8, 0.2, h, 255)
            inner.append(("ellipse", x, -hh - h * 0.8, 0.09, h * 0.8))
    elif ears == "tufts":
        for side in (-1, 1):
            md.polygon(f.pts([(side * 0.35, -hh * 0.8), (side * 0.85, -hh * 0.55),
                              (side * 0.8, -hh - 0.35)]), fill=255)
    return hw, hh, inner


def draw_inner_ears(sub, f, inner, colour):
    for shape in inner:
        if shape[0] == "ellipse":
            _, x, y, rx, ry = shape
            ellipse(sub.draw, f, x, y, rx, ry, colour)
        else:
            sub.draw.polygon(f.pts(shape), fill=colour)


def draw_eyes(sub, f, rng, style, y, dx, size, xs=(-1, 1)):
    """Eyes: 'slit' (cat-like almond, vertical pupil), 'round', 'ring' (owl)."""
    d = sub.draw
    iris = jitter(rng, pick(rng, EYE_COLOURS[:4] if style == "slit" else EYE_COLOURS), 12)
    closed = style == "slit" and rng.random() < 0.03
    for side in xs:
        x = side * dx
        if closed:
            d.arc(f.box(x, y, size, size * 0.5), 20, 160, fill=(30, 25, 25), width=f.w(0.04))
        elif style == "slit":
            ellipse(d, f, x, y, size, size * uniform(rng, 0.6, 0.85), iris,
                    outline=(25, 25, 25), width=f.w(0.03))
            pw = size * uniform(rng, 0.12, 0.5)
            ellipse(d, f, x, y, pw, size * 0.6, (15, 15, 15))
            ellipse(d, f, x - size * 0.35, y - size * 0.3, 0.03, 0.03, (250, 250, 250))
        elif style == "round":
            ellipse(d, f, x, y, size * 0.7, size * 0.7, (25, 20, 18))
            ellipse(d, f, x - size * 0.25, y - size * 0.25, 0.04, 0.04, (250, 250, 250))
        else:  # ring
            ellipse(d, f, x, y, size * 1.5, size * 1.5, (235, 230, 215))
            ellipse(d, f, x, y, size, size, iris)
            ellipse(d, f, x, y, size * 0.5, size * 0.5, (15, 15, 15))


def draw_whiskers(sub, f, rng, origin_x, origin_y, sides=(-1, 1)):
    colour = pick(rng, [(240, 240, 240), (60, 60, 60), (190, 190, 190)])
    n = int(rng.integers(2, 4))
    length = uniform(rng, 0.6, 1.0)
    for side in sides:
        for k in range(n):
            y0 = origin_y + 0.05 * k
            sub.draw.line(f.pts([(side * origin_x, y0),
                                 (side * (origin_x + length), y0 + (k - 1) * 0.15 - 0.05)]),
                          fill=colour, width=f.w(WHISKER_WIDTH))


def draw_cat_face(sub, f, rng, hw, hh, whiskers=True):
    """Cat features: almond eyes, small triangular nose, 'w' mouth, whiskers."""
    d = sub.draw
    ey, edx, es = uniform(rng, -0.1, 0.0), uniform(rng, 0.36, 0.42) * hw, uniform(rng, *CAT_EYE_SIZE)
    draw_eyes(sub, f, rng, "slit", ey, edx, es)
    ny = ey + uniform(rng, 0.25, 0.38)
    nose = pick(rng, [PINK, (170, 100, 100), (40, 35, 35)])
    d.polygon(f.pts([(-0.09, ny), (0.09, ny), (0, ny + 0.09)]), fill=nose)
    mouth = (40, 30, 30)
    d.line(f.pts([(0, ny + 0.09), (0, ny + 0.16)]), fill=mouth, width=f.w(0.025))
    for side in (-1, 1):
        d.arc(f.box(side * 0.08, ny + 0.16, 0.08, 0.06), 0, 180, fill=mouth, width=f.w(0.025))
    if whiskers:
        draw_whiskers(sub, f, rng, 0.25, ny + 0.1)


def draw_dog_face(sub, f, rng, hw, hh, base):
    """Dog/bear features: muzzle, big dark nose, round eyes, maybe a tongue."""
    d = sub.draw
    ey = uniform(rng, -0.25, -0.05)
    draw_eyes(sub, f, rng, "round", ey, uniform(rng, 0.3, 0.42) * hw, uniform(rng, 0.12, 0.2))
    my = ey + uniform(rng, 0.45, 0.6)
    muzzle = shade(base, int(rng.integers(110, 140))) if rng.random() < 0.6 else base
    ellipse(d, f, 0, my, uniform(rng, 0.35, 0.5), uniform(rng, 0.25, 0.35), muzzle)
    ellipse(d, f, 0, my - 0.12, uniform(rng, 0.12, 0.18), 0.1, (25, 20, 20))
    d.line(f.pts([(0, my - 0.05), (0, my + 0.12)]), fill=(35, 25, 25), width=f.w(0.03))
    if rng.random() < 0.4:
        ellipse(d, f, 0, my + 0.25, 0.1, 0.13, (220, 90, 100))


def cat_face(scene, f, rng):
    """Front-facing cat head (sometimes with the top of a body)."""
    sub = Subject()
    tex, base = fur_texture(rng, f)
    if rng.random() < 0.4:
        ellipse(sub.mdraw, f, 0, 1.6, uniform(rng, 0.9, 1.4), 1.0, 255)
    hw, hh, inner = head_silhouette(sub, f, rng, "pointed", cat=True)
    if rng.random() < 0.5:  # cheek fluff
        for side in (-1, 1):
            sub.mdraw.polygon(f.pts([(side * hw * 0.8, -0.1), (side * (hw + 0.18), 0.3),
                                     (side * hw * 0.7, 0.5)]), fill=255)
    sub.fill_fur(tex)
    draw_inner_ears(sub, f, inner, jitter(rng, PINK, 25) if rng.random() < P_PINK_INNER_EAR
                    else shade(base, 70))
    draw_cat_face(sub, f, rng, hw, hh)
    return sub


def cat_profile(scene, f, rng):
    """Cat head seen from the side, with a body behind it."""
    sub = Subject()
    tex, base = fur_texture(rng, f)
    md = sub.mdraw
    if rng.random() < 0.7:
        ellipse(md, f, -1.0, 1.3, uniform(rng, 1.2, 1.7), uniform(rng, 0.8, 1.0), 255)
    ellipse(md, f, 0, 0, 1.0, uniform(rng, 0.8, 0.9), 255)
    ellipse(md, f, 0.7, 0.3, 0.45, 0.35, 255)
    tip_h = uniform(rng, 1.3, 1.6)
    md.polygon(f.pts([(-0.6, -0.5), (-0.1, -0.75), (-0.55, -tip_h + 0.1)]), fill=255)
    md.polygon(f.pts([(-0.25, -0.6), (0.35, -0.7), (0.0, -tip_h)]), fill=255)
    sub.fill_fur(tex)
    sub.draw.polygon(f.pts([(-0.12, -0.7), (0.25, -0.72), (0.02, -tip_h + 0.25)]),
                     fill=jitter(rng, PINK, 25))
    draw_eyes(sub, f, rng, "slit", -0.1, 0.42, uniform(rng, *PROFILE_EYE_SIZE), xs=(1,))
    sub.draw.polygon(f.pts([(1.08, 0.12), (1.15, 0.05), (1.15, 0.2)]), fill=PINK)
    sub.draw.line(f.pts([(1.1, 0.3), (0.95, 0.4)]), fill=(40, 30, 30), width=f.w(0.025))
    draw_whiskers(sub, f, rng, 0.85, 0.3, sides=(1,))
    return sub


def cat_sitting(scene, f, rng):
    """A whole sitting cat: pear-shaped body, tail, paws and a face."""
    sub = Subject()
    tex, base = fur_texture(rng, f)
    md = sub.mdraw
    bw = uniform(rng, 0.9, 1.3)
    ellipse(md, f, 0, 2.1, bw, uniform(rng, 1.2, 1.5), 255)
    ellipse(md, f, 0, 1.0, 0.6, 0.6, 255)
    tail = [(bw * 0.8, 3.2), (bw + 0.6, 3.0), (bw + 0.9, 2.2), (bw + 0.7, 1.4)]
    if rng.random() < 0.5:
        tail = [(x * -1, y) for x, y in tail]
    md.line(f.pts(tail), fill=255, width=f.w(0.28), joint="curve")
    for side in (-1, 1):
        ellipse(md, f, side * 0.4, 3.4, 0.28, 0.18, 255)
    hw, hh, inner = head_silhouette(sub, f, rng, "pointed", cat=True)
    sub.fill_fur(tex)
    draw_inner_ears(sub, f, inner, jitter(rng, PINK, 25))
    draw_cat_face(sub, f, rng, hw, hh)
    return sub


def animal_head(ears, face):
    """Build a drawer for a non-cat animal with the given ears and face.

    ``ears`` is one ear style or a tuple of styles to pick from per image.
    """

    def drawer(scene, f, rng):
        sub = Subject()
        style = pick(rng, ears) if isinstance(ears, tuple) else ears
        tex, base = fur_texture(rng, f)
        hw, hh, inner = head_silhouette(sub, f, rng, "none" if style == "floppy" else style)
        if face == "fox":  # narrow chin / snout
            sub.mdraw.polygon(f.pts([(-hw, 0), (hw, 0), (0, hh + 0.45)]), fill=255)
        if rng.random() < 0.4:
            ellipse(sub.mdraw, f, 0, 1.6, uniform(rng, 0.9, 1.4), 1.0, 255)
        sub.fill_fur(tex)
        draw_inner_ears(sub, f, inner, shade(base, 70) if rng.random() < 0.5 else PINK)
        if style == "floppy":
            ear = shade(base, int(rng.integers(50, 90)))
            for side in (-1, 1):
                ellipse(sub.draw, f, side * hw * 0.95, 0.1, uniform(rng, 0.2, 0.3),
                        uniform(rng, 0.55, 0.8), ear)
        if face == "dog":
            draw_dog_face(sub, f, rng, hw, hh, base)
        elif face == "fox":
            for side in (-1, 1):
                sub.draw.polygon(f.pts([(side * hw * 0.9, 0.1), (side * 0.1, 0.3),
                                        (0, hh + 0.4)]), fill=jitter(rng, (235, 232, 225)))
            draw_eyes(sub, f, rng, pick(rng, ["round", "slit"]), -0.15, 0.38 * hw, 0.14)
            ellipse(sub.draw, f, 0, hh + 0.3, 0.12, 0.09, (25, 20, 20))
        elif face == "rabbit":
            draw_eyes(sub, f, rng, "round", -0.1, 0.45 * hw, uniform(rng, 0.15, 0.22))
            sub.draw.polygon(f.pts([(-0.07, 0.25), (0.07, 0.25), (0, 0.33)]), fill=PINK)
            draw_whiskers(sub, f, rng, 0.2, 0.33)
        elif face == "owl":
            draw_eyes(sub, f, rng, "ring", -0.1, 0.4 * hw, uniform(rng, 0.17, 0.24))
            sub.draw.polygon(f.pts([(-0.1, 0.15), (0.1, 0.15), (0, 0.45)]),
                             fill=jitter(rng, (200, 150, 60)))
        elif face == "cat":  # hard negative: a cat-like face without pointed ears
            draw_cat_face(sub, f, rng, hw, hh)
        return sub

    drawer.animal = True
    return drawer


# --------------------------------------------------------------------------
# Objects, food, vehicles, buildings.
# --------------------------------------------------------------------------
def obj_mug(d, f, rng, c):
    d.rounded_rectangle(f.box(0, 0.2, 0.8, 1.0), radius=f.w(0.15), fill=c)
    d.arc(f.box(0.85, 0.1, 0.45, 0.45), 270, 90, fill=c, width=f.w(0.15))
    ellipse(d, f, 0, -0.8, 0.8, 0.15, shade(c, 60))


def obj_ball(d, f, rng, c):
    ellipse(d, f, 0, 0, 1.0, 1.0, c)
    d.arc(f.box(0, 0, 1.0, 0.35), 0, 180, fill=random_colour(rng), width=f.w(0.1))
    d.line(f.pts([(0, -1.0), (0, 1.0)]), fill=random_colour(rng), width=f.w(0.08))


def obj_box(d, f, rng, c):
    d.rectangle(f.box(0, 0.2, 1.1, 0.9), fill=c)
    d.polygon(f.pts([(-1.1, -0.7), (1.1, -0.7), (1.4, -1.1), (-0.8, -1.1)]), fill=shade(c, 120))
    d.rectangle(f.box(0, 0.2, 0.12, 0.9), fill=random_colour(rng))


def obj_fruit(d, f, rng, c):
    ellipse(d, f, 0, 0.1, 0.95, 0.9, c)
    d.line(f.pts([(0, -0.7), (0.1, -1.1)]), fill=(90, 60, 30), width=f.w(0.08))
    ellipse(d, f, 0.3, -0.95, 0.25, 0.1, (70, 150, 60))


def obj_pizza(d, f, rng, c):
    d.polygon(f.pts([(-1.0, -0.8), (1.0, -0.8), (0, 1.1)]), fill=jitter(rng, (235, 190, 90)))
    d.line(f.pts([(-1.0, -0.8), (1.0, -0.8)]), fill=jitter(rng, (190, 130, 60)), width=f.w(0.2))
    for _ in range(4):
        ellipse(d, f, uniform(rng, -0.4, 0.4), uniform(rng, -0.5, 0.2), 0.13, 0.13, c)


def obj_cake(d, f, rng, c):
    d.rectangle(f.box(0, 0.3, 1.0, 0.6), fill=c)
    ellipse(d, f, 0, -0.3, 1.0, 0.25, shade(c, 120))
    for k in range(3):
        x = -0.5 + 0.5 * k
        d.rectangle(f.box(x, -0.7, 0.05, 0.3), fill=random_colour(rng))
        ellipse(d, f, x, -1.05, 0.06, 0.1, (250, 200, 60))


def obj_donut(d, f, rng, c):
    ellipse(d, f, 0, 0, 1.0, 0.9, c)
    ellipse(d, f, 0, 0, 0.35, 0.3, (0, 0, 0, 0))


def obj_car(d, f, rng, c):
    d.rounded_rectangle(f.box(0, 0.1, 1.5, 0.4), radius=f.w(0.2), fill=c)
    d.polygon(f.pts([(-0.9, -0.3), (0.7, -0.3), (0.4, -0.8), (-0.6, -0.8)]), fill=c)
    d.polygon(f.pts([(-0.7, -0.35), (0.55, -0.35), (0.35, -0.7), (-0.5, -0.7)]),
              fill=(150, 190, 210))
    for x in (-0.9, 0.9):
        ellipse(d, f, x, 0.5, 0.3, 0.3, (25, 25, 25))
        ellipse(d, f, x, 0.5, 0.12, 0.12, (180, 180, 180))


def obj_bus(d, f, rng, c):
    d.rounded_rectangle(f.box(0, 0, 1.6, 0.8), radius=f.w(0.15), fill=c)
    for k in range(4):
        d.rectangle(f.box(-1.15 + 0.75 * k, -0.35, 0.28, 0.22), fill=(160, 200, 220))
    for x in (-1.0, 1.0):
        ellipse(d, f, x, 0.8, 0.28, 0.28, (25, 25, 25))


def obj_bicycle(d, f, rng, c):
    for x in (-0.9, 0.9):
        ellipse(d, f, x, 0.4, 0.6, 0.6, None, outline=(30, 30, 30), width=f.w(0.08))
    d.line(f.pts([(-0.9, 0.4), (-0.2, -0.4), (0.6, -0.4), (0.9, 0.4), (0.1, 0.4),
                  (-0.2, -0.4)]), fill=c, width=f.w(0.08))


def obj_boat(d, f, rng, c):
    d.polygon(f.pts([(-1.4, 0.3), (1.4, 0.3), (1.0, 0.8), (-1.0, 0.8)]), fill=c)
    d.line(f.pts([(0, 0.3), (0, -1.3)]), fill=(80, 60, 40), width=f.w(0.06))
    d.polygon(f.pts([(0.05, -1.25), (0.05, 0.15), (1.0, 0.15)]), fill=random_colour(rng))


def obj_house(d, f, rng, c):
    d.rectangle(f.box(0, 0.4, 1.0, 0.75), fill=c)
    d.polygon(f.pts([(-1.25, -0.35), (1.25, -0.35), (0, -1.3)]), fill=random_colour(rng))
    d.rectangle(f.box(0, 0.75, 0.22, 0.4), fill=shade(c, 50))
    for x in (-0.6, 0.6):
        d.rectangle(f.box(x, 0.1, 0.2, 0.18), fill=(170, 200, 220))


def obj_tower(d, f, rng, c):
    d.rectangle(f.box(0, 0, 0.8, 1.5), fill=c)
    for row in range(6):
        for col in range(3):
            d.rectangle(f.box(-0.5 + 0.5 * col, -1.2 + 0.45 * row, 0.12, 0.12),
                        fill=pick(rng, [(230, 220, 140), (60, 70, 90)]))


def obj_tree(d, f, rng, c):
    d.rectangle(f.box(0, 0.9, 0.15, 0.5), fill=(100, 70, 40))
    if rng.random() < 0.5:
        ellipse(d, f, 0, -0.2, 0.9, 1.0, jitter(rng, (60, 130, 50), 30))
    else:
        for k in range(3):
            d.polygon(f.pts([(-0.9 + 0.2 * k, 0.5 - 0.6 * k), (0.9 - 0.2 * k, 0.5 - 0.6 * k),
                             (0, -0.6 - 0.6 * k)]), fill=jitter(rng, (40, 110, 50), 30))


def obj_lamp(d, f, rng, c):
    d.polygon(f.pts([(-0.5, -1.0), (0.5, -1.0), (0.8, -0.2), (-0.8, -0.2)]), fill=c)
    d.line(f.pts([(0, -0.2), (0, 1.0)]), fill=(60, 60, 60), width=f.w(0.08))
    ellipse(d, f, 0, 1.05, 0.5, 0.12, (60, 60, 60))


def obj_bunting(d, f, rng, c):
    """Hard negative: a string of triangles and no face."""
    d.line(f.pts([(-1.6, -0.6), (0, -0.3), (1.6, -0.6)]), fill=(60, 60, 60), width=f.w(0.04))
    for k in range(5):
        x = -1.3 + 0.65 * k
        y = -0.6 + 0.3 * (1 - abs(k - 2) / 2)
        d.polygon(f.pts([(x - 0.25, y), (x + 0.25, y), (x, y + 0.6)]), fill=random_colour(rng))


def obj_ear_blob(d, f, rng, c):
    """Hard negative: a round shape with two pointed 'ears' but no face."""
    ellipse(d, f, 0, 0, 1.0, 0.85, c)
    for side in (-1, 1):
        d.polygon(f.pts([(side * 0.2, -0.6), (side * 0.8, -0.45), (side * 0.6, -1.4)]), fill=c)
    if rng.random() < 0.5:
        d.rectangle(f.box(0, 0.2, 0.6, 0.3), fill=random_colour(rng))


OBJECTS = (obj_mug, obj_ball, obj_box, obj_fruit, obj_pizza, obj_cake, obj_donut, obj_car,
           obj_bus, obj_bicycle, obj_boat, obj_house, obj_tower, obj_tree, obj_lamp)
HARD_OBJECTS = (obj_bunting, obj_ear_blob)


def object_drawer(funcs):
    """Wrap object painters as a subject drawer."""

    def drawer(scene, f, rng):
        sub = Subject()
        colour = random_colour(rng) if rng.random() < 0.6 else jitter(
            rng, pick(rng, list(FUR_COLOURS.values())))
        pick(rng, funcs)(sub.draw, f, rng, colour)
        return sub

    return drawer


# --------------------------------------------------------------------------
# Backgrounds (shared by both classes).
# --------------------------------------------------------------------------
def gradient(c0, c1, horizontal=False):
    """An RENDER x RENDER x 3 uint8 linear gradient, integer arithmetic only."""
    t = np.arange(RENDER, dtype=np.int64)[:, None]
    line = (np.array(c0) * (RENDER - 1 - t) + np.array(c1) * t) // (RENDER - 1)
    arr = np.broadcast_to(line[None, :, :] if horizontal else line[:, None, :],
                          (RENDER, RENDER, 3))
    return Image.fromarray(arr.astype(np.uint8), "RGB")


def bg_gradient(rng):
    return gradient(random_colour(rng), random_colour(rng), horizontal=rng.random() < 0.5)


def bg_indoor(rng):
    wall, floor = random_colour(rng), random_colour(rng)
    img = gradient(wall, shade(wall, int(rng.integers(60, 100))))
    d = ImageDraw.Draw(img)
    horizon = int(rng.integers(RENDER // 2, RENDER - 20))
    d.rectangle([0, horizon, RENDER, RENDER], fill=floor)
    d.rectangle([0, horizon - 4, RENDER, horizon], fill=shade(wall, 60))
    if rng.random() < 0.5:  # window
        x, y = int(rng.integers(0, RENDER - 60)), int(rng.integers(5, 40))
        w, h = int(rng.integers(40, 80)), int(rng.integers(40, 70))
        d.rectangle([x, y, x + w, y + h], fill=jitter(rng, (160, 200, 235), 30),
                    outline=jitter(rng, (240, 240, 235)), width=5)
        d.line([(x + w // 2, y), (x + w // 2, y + h)], fill=(240, 240, 235), width=4)
    if rng.random() < 0.5:  # picture frame or shelf
        x, y = int(rng.integers(0, RENDER - 40)), int(rng.integers(10, 60))
        d.rectangle([x, y, x + 40, y + 30], fill=random_colour(rng),
                    outline=random_colour(rng), width=4)
    if rng.random() < 0.4:  # rug
        cy = int(rng.integers(horizon, RENDER))
        d.ellipse([20, cy - 15, RENDER - 20, cy + 15], fill=random_colour(rng))
    return img


def bg_outdoor(rng):
    sky = jitter(rng, pick(rng, [(120, 170, 230), (200, 210, 225), (240, 180, 120),
                                 (90, 110, 160)]), 30)
    img = gradient(shade(sky, 80), sky)
    d = ImageDraw.Draw(img)
    horizon = int(rng.integers(RENDER // 3, 2 * RENDER // 3))
    for _ in range(int(rng.integers(0, 4))):  # clouds
        x, y = int(rng.integers(0, RENDER)), int(rng.integers(0, horizon))
        d.ellipse([x - 25, y - 8, x + 25, y + 8], fill=(240, 240, 240))
    if rng.random() < 0.5:  # hills
        x = int(rng.integers(-50, RENDER))
        d.ellipse([x - 120, horizon - 40, x + 120, horizon + 80], fill=random_colour(rng))
    ground = pick(rng, [(80, 140, 60), (200, 180, 130), (110, 110, 110)])
    d.rectangle([0, horizon, RENDER, RENDER], fill=jitter(rng, ground, 30))
    for _ in range(int(rng.integers(0, 40))):  # grass / gravel strokes
        x, y = int(rng.integers(0, RENDER)), int(rng.integers(horizon, RENDER))
        d.line([(x, y), (x + int(rng.integers(-3, 4)), y - 6)], fill=shade(ground, 70), width=2)
    return img


def bg_texture(rng):
    c0, c1 = random_colour(rng), random_colour(rng)
    img = Image.new("RGB", (RENDER, RENDER), c0)
    d = ImageDraw.Draw(img)
    kind, step = int(rng.integers(4)), int(rng.integers(10, 32))
    for i in range(0, RENDER, step):
        for j in range(0, RENDER, step):
            if kind == 0 and (i // step + j // step) % 2:
                d.rectangle([i, j, i + step, j + step], fill=c1)
            elif kind == 1 and j == 0:
                d.rectangle([i, 0, i + step // 2, RENDER], fill=c1)
            elif kind == 2:
                d.ellipse([i, j, i + step // 2, j + step // 2], fill=c1)
            elif kind == 3 and rng.random() < 0.3:
                d.line([(i, j), (i + step, j + int(rng.integers(-step, step)))], fill=c1, width=3)
    return img


def bg_clutter(rng):
    img = bg_gradient(rng)
    d = ImageDraw.Draw(img)
    for _ in range(int(rng.integers(6, 16))):
        x, y = rng.integers(-20, RENDER, size=2)
        w, h = rng.integers(10, 60, size=2)
        box = [int(x), int(y), int(x + w), int(y + h)]
        if rng.random() < 0.5:
            d.rectangle(box, fill=random_colour(rng))
        else:
            d.ellipse(box, fill=random_colour(rng))
    return img


# Weights 2:4:4:1:1 (textures and clutter behind a subject are the rarer, busier cases).
BACKGROUNDS = ((bg_gradient,) * 2 + (bg_indoor,) * 4 + (bg_outdoor,) * 4
               + (bg_texture, bg_clutter))


def landscape(rng):
    """A non-cat scene with no main subject: mountains, sea, fields."""
    img = bg_outdoor(rng)
    d = ImageDraw.Draw(img)
    for _ in range(int(rng.integers(1, 4))):
        x, h = int(rng.integers(0, RENDER)), int(rng.integers(40, 120))
        w = int(rng.integers(40, 100))
        base = int(rng.integers(RENDER // 2, RENDER))
        colour = random_colour(rng)
        d.polygon([(x - w, base), (x + w, base), (x, base - h)], fill=colour)
        if rng.random() < 0.5:
            d.polygon([(x - w // 4, base - h + h // 4), (x + w // 4, base - h + h // 4),
                       (x, base - h)], fill=(245, 245, 245))
    if rng.random() < 0.5:
        x, y, r = int(rng.integers(0, RENDER)), int(rng.integers(0, 60)), int(rng.integers(8, 20))
        d.ellipse([x - r, y - r, x + r, y + r], fill=jitter(rng, (250, 220, 120)))
    return img


# --------------------------------------------------------------------------
# Scene assembly.
# --------------------------------------------------------------------------
CAT_DRAWERS = ((cat_face, 8), (cat_profile, 1), (cat_sitting, 1))
NONCAT_DRAWERS = (
    (animal_head("floppy", "dog"), 3), (animal_head("pointed", "dog"), 1),
    (animal_head("big pointed", "fox"), 1), (animal_head("long", "rabbit"), 1),
    (animal_head("round", "dog"), 1), (animal_head("tufts", "owl"), 1),
    (animal_head(("round", "none"), "cat"), 1),
    (object_drawer(OBJECTS), 18), (object_drawer(HARD_OBJECTS), 1),
    ("landscape", 4), ("texture", 2),
)


def is_animal(drawer):
    """True for the drawers of cats and other animals (not objects)."""
    return getattr(drawer, "animal", False) or any(drawer is d for d, _ in CAT_DRAWERS)


def weighted_pick(rng, table):
    total = sum(w for _, w in table)
    r = int(rng.integers(total))
    for item, weight in table:
        if r < weight:
            return item
        r -= weight
    raise AssertionError("unreachable")


def occlude(img, rng):
    """Draw a foreground occluder (table edge, plant, fence bars, a box)."""
    d = ImageDraw.Draw(img)
    kind = int(rng.integers(4))
    colour = random_colour(rng)
    if kind == 0:
        y = int(rng.integers(RENDER * 2 // 3, RENDER - 10))
        d.rectangle([0, y, RENDER, RENDER], fill=colour)
    elif kind == 1:
        x = int(rng.integers(0, RENDER))
        for k in range(5):
            d.ellipse([x - 30 + 12 * k, 100 + 15 * (k % 2), x - 5 + 12 * k, 190],
                      fill=jitter(rng, (60, 130, 50), 30))
    elif kind == 2:
        x0, gap = int(rng.integers(0, 30)), int(rng.integers(30, 60))
        for x in range(x0, RENDER, gap):
            d.rectangle([x, 0, x + 8, RENDER], fill=colour)
    else:
        x, y = int(rng.integers(0, RENDER - 40)), int(rng.integers(RENDER // 2, RENDER - 30))
        d.rectangle([x, y, x + int(rng.integers(40, 90)), RENDER], fill=colour)


def finish(img, rng):
    """Blur, downsample, then lighting, colour cast and noise (integer maths)."""
    radius = pick(rng, BLUR_RADII)
    if radius:
        img = img.filter(ImageFilter.GaussianBlur(radius))
    img = img.resize((SIZE, SIZE), Image.Resampling.LANCZOS)
    arr = np.asarray(img, dtype=np.int32)
    if rng.random() < 0.5:  # colour cast
        gain = rng.integers(85, 116, size=3)
    else:  # brightness
        gain = np.full(3, int(rng.integers(75, 126)))
    offset = int(rng.integers(-20, 21))
    arr = arr * gain // 100 + offset
    noise = pick(rng, NOISE_LEVELS)
    if noise:
        arr = arr + rng.integers(-noise, noise + 1, size=arr.shape)
    return np.clip(arr, 0, 255).astype(np.uint8)


def render_image(rng, is_cat):
    """Draw one 64x64x3 uint8 image of a cat (is_cat=True) or a non-cat."""
    scene = pick(rng, BACKGROUNDS)(rng)
    drawer = weighted_pick(rng, CAT_DRAWERS if is_cat else NONCAT_DRAWERS)
    if drawer == "landscape":
        scene = landscape(rng)
    elif drawer == "texture":
        scene = bg_texture(rng)
    else:
        tall = drawer is cat_sitting
        if is_animal(drawer):  # portraits: big and centred
            scale = uniform(rng, *SITTING_SCALE) if tall else uniform(rng, 0.3, 0.36)
            cx = uniform(rng, 0.46, 0.54) * RENDER
            cy = (uniform(rng, *SITTING_CY) if tall else uniform(rng, 0.52, 0.58)) * RENDER
        else:  # objects: anywhere, any size
            scale = uniform(rng, 0.15, 0.32)
            cx, cy = uniform(rng, 0.3, 0.7) * RENDER, uniform(rng, 0.3, 0.7) * RENDER
        if rng.random() < P_CLOSE_UP:  # close-up, partially cropped
            scale *= 1.4
        s = scale * RENDER
        f = Frame(cx, cy, s, mirror=rng.random() < 0.5)
        sub = drawer(scene, f, rng)
        angle = int(rng.integers(-MAX_ANGLE, MAX_ANGLE + 1))
        layer = sub.layer.rotate(angle, Image.Resampling.BICUBIC, center=(int(cx), int(cy)))
        scene.paste(layer, (0, 0), layer)
    if rng.random() < P_OCCLUDE:
        occlude(scene, rng)
    return finish(scene, rng)


def image_rng(seed, split, index):
    """The independent random generator of image ``index`` of ``split``."""
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(SPLIT_KEY[split], index)))


def make_labels(n, split, seed):
    """Exactly round(n * CAT_FRACTION[split]) cats, in a seeded random order."""
    n_cat = int(round(n * CAT_FRACTION[split]))
    labels = np.zeros(n, dtype=np.int64)
    labels[:n_cat] = 1
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(SPLIT_KEY[split], 2**31)))
    return labels[rng.permutation(n)]


def make_split(n, split, seed=DEFAULT_SEED):
    """Return (x, y): x (n, 64, 64, 3) uint8, y (n,) int64 for 'train' or 'test'."""
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
        raise TypeError(f"n (the number of images): expected a whole number, found {n!r}")
    if n < 0:
        raise ValueError(f"number of images must be >= 0, got {n}")
    if n > MAX_IMAGES:
        raise ValueError(f"n (the number of images) must be at most {MAX_IMAGES}, found {n}")
    y = make_labels(n, split, seed)
    x = np.zeros((n, SIZE, SIZE, 3), dtype=np.uint8)
    for i in range(n):
        x[i] = render_image(image_rng(seed, split, i), bool(y[i]))
    return x, y


def make_dataset(n_train=DEFAULT_N_TRAIN, n_test=DEFAULT_N_TEST, seed=DEFAULT_SEED):
    """Generate (train_x, train_y, test_x, test_y) in memory."""
    train_x, train_y = make_split(n_train, "train", seed)
    test_x, test_y = make_split(n_test, "test", seed)
    return train_x, train_y, test_x, test_y


#: root attribute of the files this project writes: the command that made them
GENERATOR_ATTR = "generated_by"
GENERATOR = "dnn-make-catvnoncat (dnnlib/datasets/make_catvnoncat.py)"


def h5_image(prefix, x, y, pair_id=None, generator=GENERATOR):
    """The bytes of one file of the course schema (``prefix`` = train/test), built in memory.

    HDF5's in-memory ("core") driver builds the whole file without touching the disk, so a
    full disk can only fail the plain write of these bytes, never inside HDF5's close.
    """
    import secrets

    import h5py

    # the name is never a file on disk, but HDF5 refuses two open files of one name: a name of
    # its own per call lets threads build files at once (the bytes do not hold the name)
    name = f"{prefix}_catvnoncat.{secrets.token_hex(8)}.h5"
    with h5py.File(name, "w", driver="core", backing_store=False) as h5:
        h5.create_dataset(f"{prefix}_set_x", data=x, compression="gzip", compression_opts=9)
        h5.create_dataset(f"{prefix}_set_y", data=y.astype(np.int64), compression="gzip")
        h5.create_dataset("list_classes", data=CLASSES)
        if pair_id is not None:
            h5.attrs[PAIR_ID_ATTR] = pair_id
        h5.attrs[GENERATOR_ATTR] = generator
        h5.flush()
        return h5.id.get_file_image()


def write_pair(folder, train, test, generator=GENERATOR):
    """Write FOLDER/train_catvnoncat.h5 and test_catvnoncat.h5 from train = (x, y), test = (x, y).

    Both files carry the same pair id (a hash of the pair's content), so if a run is killed
    between the two renames, load_data refuses the mixed pair instead of reading a new train
    file beside an old test file. Two runs writing one folder at once take turns (the folder's
    lock, dnnlib.files.folder_lock, is held while the files are written and renamed), so the pair
    left is the last run's, whole. Each file is complete or absent; leftovers of a killed run
    are removed by the next; a full disk is a clear OSError and leaves the old files.
    Each file also names the command that made it (`generator`, the root attribute generated_by).
    Returns the two paths.
    """
    os.makedirs(folder, exist_ok=True)
    pair_id = dataset_pair_id(train[0], train[1], test[0], test[1])
    paths = [os.path.join(folder, f"{split}_catvnoncat.h5") for split in ("train", "test")]
    images = [h5_image("train", *train, pair_id, generator), h5_image("test", *test, pair_id, generator)]
    with folder_lock(folder, PAIR_LOCK, "the dataset pair"):
        write_files_atomically(dict(zip(paths, images)), "the dataset pair")
    return paths


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n")[0],
        epilog="The defaults draw the shipped dataset. In a clone, run from its root with --out datasets "
               "to rewrite the shipped files; any other folder gets a new pair that "
               "load_data(FOLDER) reads.")
    parser.add_argument("--out", required=True, metavar="DIR",
                        help="folder for train_catvnoncat.h5 and test_catvnoncat.h5 (created if needed; "
                             "required: nothing is written to a default place)")
    parser.add_argument("--n-train", type=int, default=DEFAULT_N_TRAIN,
                        help=f"training images (default {DEFAULT_N_TRAIN})")
    parser.add_argument("--n-test", type=int, default=DEFAULT_N_TEST, help=f"test images (default {DEFAULT_N_TEST})")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED,
                        help=f"seed of the drawings (default {DEFAULT_SEED}, the shipped files)")
    args = parser.parse_args(argv)
    if args.n_train < 1 or args.n_test < 1:
        parser.error("--n-train and --n-test must be at least 1")
    for option, value in (("--n-train", args.n_train), ("--n-test", args.n_test)):
        if value > MAX_IMAGES:  # before anything is allocated
            parser.error(f"{option} must be at most {MAX_IMAGES} images, found {value}")
    if args.seed < 0:
        parser.error("--seed must be >= 0")
    try:  # before the slow part: a folder that cannot be written is reported at once
        check_writable_folder(args.out, "the dataset")
    except OSError as e:
        print(f"error: {e.strerror or e}", file=sys.stderr)
        return 1
    train_x, train_y, test_x, test_y = make_dataset(args.n_train, args.n_test, args.seed)
    try:
        write_pair(args.out, (train_x, train_y), (test_x, test_y))
    except OSError as e:
        print(f"error: {e.strerror or e}", file=sys.stderr)
        return 1
    print(f"wrote {args.n_train} train ({int(train_y.sum())} cats) and {args.n_test} test "
          f"({int(test_y.sum())} cats) images to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
