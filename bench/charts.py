"""Charts of the benchmark results, drawn with matplotlib (requirements-bench.txt)."""

from __future__ import annotations

from pathlib import Path


def pyplot():
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    return plt


def save(figure, path: Path, title: str, subtitle: str = "") -> None:
    figure.suptitle(title, fontsize=12)
    if subtitle:
        figure.text(0.5, 0.01, subtitle, ha="center", fontsize=8, color="#555555")
    figure.tight_layout(rect=(0, 0.04 if subtitle else 0, 1, 0.95))
    figure.savefig(path, dpi=110)
    pyplot().close(figure)
