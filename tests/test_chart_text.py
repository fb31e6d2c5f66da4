"""Tests that charts draw titles and labels literally, never as mathtext or TeX."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.text import Text as Label

import beijing_plan as bp
from beijing_plan import charts
from beijing_plan.assessment import assess

PNG = b"\x89PNG\r\n\x1a\n"
#: Titles that mathtext cannot parse: an unknown macro, an odd dollar, a lone brace.
HOSTILE = (r"$\undefinedmacro$", "costs $5", r"$x^{$ and \frac", "$$", r"a_b $\$")


def _plan(title: str) -> bp.Plan:
    target = bp.Target(
        "g",
        title,
        "at_least",
        bp.Quantity(10, "percent"),
        baseline=bp.Baseline(bp.Quantity(0, "percent"), "2025-01-01"),
    )
    return bp.Plan(
        "p",
        title,
        start="2025-01-01",
        end="2025-12-31",
        themes=[bp.Theme("th", title)],
        measures=[
            bp.Measure("m", 1, title, tasks=[bp.Task("t", title)], targets=[target], themes=["th"])
        ],
    )


def _ledger() -> bp.Ledger:
    return bp.Ledger(
        [
            bp.Observation("g", "2025-03-01", bp.Quantity(2, "percent")),
            bp.Observation("g", "2025-05-01", bp.Quantity(4, "percent")),
        ]
    )


def _png(ax: Axes) -> bytes:
    """The chart drawn as PNG; the figure is closed."""
    figure = ax.get_figure()
    assert isinstance(figure, Figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    plt.close(figure)
    return buffer.getvalue()


def _texts(ax: Axes, ticks: list[Label] | None = None) -> list[Label]:
    """The texts a chart draws from the plan and its own words (not the axes' numbers)."""
    legend = ax.get_legend()
    titles: list[Label] = [ax.title, getattr(ax, "_left_title")]  # noqa: B009 (not typed)
    texts = [*titles, ax.xaxis.label, ax.yaxis.label]
    texts += (ticks or []) + ax.texts
    texts += [] if legend is None else legend.get_texts()
    return [text for text in texts if text.get_text()]


@pytest.mark.parametrize("title", HOSTILE)
@pytest.mark.parametrize("horizontal", [True, False])
def test_assessment_chart_draws_dollar_titles_literally(title: str, horizontal: bool) -> None:
    """Titles with dollars and backslashes are drawn as written in ticks, title and legend."""
    rules = bp.Rules(labels={"en": {"off_track": title, "no_data": title}})
    assessment = assess(_plan(title), _ledger(), as_of="2025-07-01", rules=rules)
    ax = charts.plot_assessment(assessment, by="leaf", lang="en", horizontal=horizontal)
    assert _png(ax).startswith(PNG)
    texts = _texts(ax, ax.get_yticklabels() if horizontal else ax.get_xticklabels())
    shown = [text.get_text() for text in texts]
    assert shown.count(title) == 3  # a tick label and two legend entries
    assert any(text.startswith(title + "\n") for text in shown)  # the chart's title
    for text in texts:
        assert not text.get_parse_math()
        assert not text.get_usetex()


@pytest.mark.parametrize("title", HOSTILE)
def test_history_chart_draws_dollar_titles_literally(title: str) -> None:
    """A target whose title holds dollars is drawn literally in the history chart."""
    ax = charts.plot_history(_plan(title), _ledger(), "g", as_of="2025-07-01", lang="en")
    assert _png(ax).startswith(PNG)
    assert ax.get_title(loc="left") == f"{title}\ng"
    for text in _texts(ax):
        assert not text.get_parse_math()
        assert not text.get_usetex()


def test_charts_ignore_a_global_usetex(monkeypatch: pytest.MonkeyPatch) -> None:
    """With text.usetex set globally, the library's own texts are still drawn without TeX."""
    monkeypatch.setitem(matplotlib.rcParams, "text.usetex", True)
    assessment = assess(_plan(r"$\undefinedmacro$"), _ledger(), as_of="2025-07-01")
    ax = charts.plot_assessment(assessment, by="leaf", lang="en")
    for text in _texts(ax, ax.get_yticklabels()):
        assert not text.get_usetex()
