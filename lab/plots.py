"""Figures: matplotlib only, written without a display (the Agg backend)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (the backend must be chosen first)
import pandas as pd  # noqa: E402

__all__ = ["tradeoff_plot"]


def tradeoff_plot(table: pd.DataFrame, path: str | os.PathLike, *, risk: str = "unicity_p4",
                  utility: str = "heatmap_similarity") -> Path:
    """Scatter of risk against utility per mitigation setting, the frontier drawn as a line.

    Written atomically to ``path`` (PNG, SVG or PDF by extension).
    """
    fig, ax = plt.subplots(figsize=(8, 5.5))
    for name, g in table.groupby("mitigation", sort=False):
        ax.scatter(g[utility], g[risk], label=name, s=40, alpha=0.8)
    front = table[table["on_frontier"]] if "on_frontier" in table else table.iloc[:0]
    front = front.sort_values(utility)
    if len(front):
        ax.plot(front[utility], front[risk], "k--", lw=1, label="frontier")
        # Only the frontier is labelled: the settings worth choosing between.
        for _, row in front.iterrows():
            ax.annotate(f"{row['mitigation']}: {row['setting']}", (row[utility], row[risk]), fontsize=7,
                        xytext=(4, -10), textcoords="offset points")
    ax.set_xlabel(f"{utility} (higher keeps more utility)")
    ax.set_ylabel(f"{risk} (lower is safer)")
    ax.set_ylim(-0.02, 1.02)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, loc="best")
    ax.set_title("What each protection buys and costs")
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=target.suffix, dir=target.parent)
    os.close(fd)
    try:
        fig.savefig(tmp, dpi=130, bbox_inches="tight")
        os.replace(tmp, target)
    finally:
        plt.close(fig)
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target
