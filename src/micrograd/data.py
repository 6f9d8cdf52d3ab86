"""Tiny datasets for the notebooks, made with the standard library only."""

from __future__ import annotations

import math
import random

__all__ = ["lecture_dataset", "make_moons"]


def lecture_dataset() -> tuple[list[list[float]], list[float]]:
    """The lecture's four examples of three inputs each, and their targets.

    Returns:
        `(xs, ys)`: four lists of three floats, and the four targets 1.0, -1.0, -1.0, 1.0.
        New lists on every call, so changing them changes nothing elsewhere.
    """
    xs = [
        [2.0, 3.0, -1.0],
        [3.0, -1.0, 0.5],
        [0.5, 1.0, 1.0],
        [1.0, 1.0, -1.0],
    ]
    ys = [1.0, -1.0, -1.0, 1.0]
    return xs, ys


def make_moons(
    n_samples: int = 100, noise: float = 0.1, seed: int = 1
) -> tuple[list[list[float]], list[float]]:
    """Two interleaving half circles, labelled -1 (upper moon) and +1 (lower moon).

    The same construction as scikit-learn's `make_moons`: the upper moon is a half circle of
    radius 1 around (0, 0), the lower one is shifted to (1, 0.5) and flipped; Gaussian noise of
    standard deviation `noise` is added and the points are shuffled. The same seed always gives
    the same points.

    Args:
        n_samples: The number of points; the upper moon gets `n_samples // 2` of them.
        noise: The standard deviation of the Gaussian noise added to both coordinates.
        seed: The seed of the private random generator (the global one is not touched).

    Returns:
        `(points, labels)`: `[x, y]` pairs and their labels, -1.0 or +1.0.

    Raises:
        ValueError: If `n_samples` is less than 2.
    """
    if n_samples < 2:
        raise ValueError(f"make_moons needs at least 2 samples, got {n_samples}")
    rng = random.Random(seed)
    n_upper = n_samples // 2
    n_lower = n_samples - n_upper
    points: list[tuple[list[float], float]] = []
    for i in range(n_upper):
        t = math.pi * i / max(n_upper - 1, 1)
        points.append(([math.cos(t), math.sin(t)], -1.0))
    for i in range(n_lower):
        t = math.pi * i / max(n_lower - 1, 1)
        points.append(([1.0 - math.cos(t), 0.5 - math.sin(t)], 1.0))
    for xy, _ in points:
        xy[0] += rng.gauss(0.0, noise)
        xy[1] += rng.gauss(0.0, noise)
    rng.shuffle(points)
    return [xy for xy, _ in points], [label for _, label in points]
