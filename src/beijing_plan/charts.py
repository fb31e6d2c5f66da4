"""Charts of an assessment and of a target's history, drawn with matplotlib.

- [`plot_assessment`][beijing_plan.charts.plot_assessment]: one bar of completion per theme, measure
  or leaf, coloured by its status, with a mark at the completion expected by the date.
- [`plot_history`][beijing_plan.charts.plot_history]: a target's observations against the target,
  the path its schedule plans, and the least-squares forecast to its deadline.

Both draw into `ax` when given, else into a new figure made with pyplot (so a
notebook shows it), and return the axes. matplotlib is optional: the `plot`
extra installs it, and `import beijing_plan` never imports it.

Chinese text needs a font with Chinese glyphs. [`cjk_font`][beijing_plan.charts.cjk_font] finds an
installed one (those of `CJK_FONTS` first, then any font that covers
common Chinese characters); charts use it for every text they draw, without
changing matplotlib's global settings. When there is none, charts fall back to
English: titles in English (or the item's id when it has no English title),
labels in English, units in English words (`10k yuan` for `万元`), and no text
that the installed fonts cannot draw, so matplotlib has no missing glyph to
warn about. A chart asked for in Chinese (`lang="zh"`) without such a font
warns once a process with a [`MissingFontWarning`][beijing_plan.charts.MissingFontWarning]
naming the package to install (Debian's `fonts-noto-cjk`).

Every time axis is labelled by [`date_ticks`][beijing_plan.charts.date_ticks],
in the chart's language (`1月`, `二季度`). In a chart by theme, sub-themes
follow their parent, their labels marked a level deeper (`└ 能源`).

Decisions where nothing else says:

- A result with no completion gets an empty bar labelled "no data"; a bar is
  drawn for every result, so bars and results match one to one.
- The planned path of a target is its [expected completion][expected-completion]
  turned into a level: `start + fraction * (target - start)`, where `start`
  is the baseline's value, or 0 for an `at_least` target without one. Targets
  for which attainment is not a share of that distance (`at_most` without a
  baseline, `exactly`, `between`) have no planned path.
- For a `sum` target, the observations are increments and the chart shows
  their running total from the baseline, as attainment counts it.
- The forecast line is the least-squares line of
  `forecast`, drawn from the first point it was
  fitted through to the deadline, green when it would meet the target, red
  when it would not.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

from ._chart_axes import INK, MUTED, day_number, literal_legend, new_axes, set_date_ticks
from ._fonts import CJK_FONTS, FEATURE, LITERAL, MissingFontWarning, Words, cjk_font
from ._optional import require
from ._present import RAG, status_colour
from ._report import theme_tree
from ._target_chart import plot_history
from ._time_axis import date_ticks
from .exceptions import PlanValidationError
from .rules import Progress, Rules

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from .assessment import Assessment, Result
    from .histories import History
    from .reporting import Reporting

__all__ = [
    "CJK_FONTS",
    "MissingFontWarning",
    "cjk_font",
    "date_ticks",
    "plot_assessment",
    "plot_history",
    "plot_reporting",
    "plot_timeline",
    "ranked_units",
    "set_date_ticks",
]


def _colour(rules: Rules, status: Progress) -> str:
    colours: Any = require("matplotlib.colors", FEATURE)
    colour = status_colour(rules, status)
    return colour if colours.is_color_like(colour) else RAG["grey"]


# -- the assessment --------------------------------------------------------------------


def _results(assessment: Assessment, by: str, role: str = "lead") -> list[tuple[Result, int]]:
    """The results a chart shows, each with its depth (a sub-theme's is 1 below its parent's)."""
    if by == "unit":
        return [(result, 0) for result in ranked_units(assessment, role)]
    if by == "theme":
        found = assessment.by_theme()
        return [(found[theme.id], depth) for theme, depth in theme_tree(assessment.plan.themes)]
    if by == "measure":
        return [(result, 0) for result in assessment.by_measure().values()]
    if by == "leaf":
        return [(result, 0) for result in assessment.leaves()]
    valid = "'theme', 'measure', 'leaf', 'unit'"
    raise PlanValidationError([("by", f"{by!r} is not one of {valid}")])


#: The mark before a sub-theme's label, and the line that lengthens it a level deeper.
_BRANCH, _LEVEL = "\u2514", "\u2500"  # └, ─


def _indented(label: str, depth: int) -> str:
    """A label `depth` levels down: `└ 能源` one level down, `└─ 电网` two.

    Item labels are aligned to the axis, where leading spaces would not show, so
    the depth is drawn as a mark that grows a level at a time.
    """
    if depth <= 0:
        return label
    return f"{_BRANCH}{_LEVEL * (depth - 1)} {label}"


def plot_assessment(
    assessment: Assessment,
    by: Literal["theme", "measure", "leaf", "unit"] = "theme",
    *,
    ax: Axes | None = None,
    lang: str | None = None,
    font: str | None = None,
    horizontal: bool = True,
    role: str = "lead",
) -> Axes:
    """Bars of completion by theme, measure, leaf or responsible unit, coloured by status.

    Each bar's length is a result's completion and its colour the RAG colour of
    its status (from the assessment's rules); a dark mark on each bar stands at
    the completion expected by the assessment's date.

    Args:
        assessment: The assessment.
        by: `"theme"`, `"measure"`, `"leaf"` (tasks, policies and
            measures' own targets) or `"unit"` (the responsible units in `role`,
            ranked by [`ranked_units`][beijing_plan.charts.ranked_units]).
        ax: The axes to draw into; a new figure when omitted.
        lang: `"zh"` or `"en"`; by default Chinese when a Chinese font is
            installed. Chinese falls back to English without such a font.
        font: The font to draw text with; by default [`cjk_font`][beijing_plan.charts.cjk_font].
        horizontal: Horizontal bars (the default, for long titles) or vertical.
        role: For `by="unit"`, `"lead"`, `"partner"` or `"any"`.

    Returns:
        The axes drawn into.

    Raises:
        ImportError: if matplotlib is not installed (naming the `plot` extra).
        PlanValidationError: for an unknown `by`, `lang`, `font` or `role`.
    """
    shown = _results(assessment, by, role)
    results = [result for result, _ in shown]
    words = Words(lang, font)
    rules = assessment.rules
    count = len(results)
    if ax is None:
        size = (9.0, 1.6 + 0.42 * max(count, 1)) if horizontal else (max(6.0, 2 + 0.8 * count), 6)
        ax = new_axes(size)
    positions = list(range(count))
    values = [0.0 if r.completion is None else r.completion for r in results]
    colours = [_colour(rules, r.status) for r in results]
    labels = [_indented(words.title(r.title, r.id, width=38), depth) for r, depth in shown]
    draw = ax.barh if horizontal else ax.bar
    bars = draw(positions, values, 0.62, color=colours, gid="completion")
    marked = [
        (p, r.expected) for p, r in zip(positions, results, strict=True) if r.expected is not None
    ]
    expected_at = [p for p, _ in marked]
    expected = [e for _, e in marked if e is not None]
    xs, ys = (expected, expected_at) if horizontal else (expected_at, expected)
    ax.plot(
        xs,
        ys,
        linestyle="none",
        marker="|" if horizontal else "_",
        markersize=16,
        markeredgewidth=2.5,
        color=INK,
        gid="expected",
    )
    for position, result, value in zip(positions, results, values, strict=True):
        text = words["no_data"] if result.completion is None else f"{value:.0%}"
        at = (value + 0.015, position) if horizontal else (position, value + 0.015)
        ax.text(
            at[0],
            at[1],
            text,
            va="center" if horizontal else "bottom",
            ha="left" if horizontal else "center",
            fontsize=8,
            color=MUTED if result.completion is None else INK,
            **words.props,
        )
    ticker: Any = require("matplotlib.ticker", FEATURE)
    value_axis, item_axis = (ax.xaxis, ax.yaxis) if horizontal else (ax.yaxis, ax.xaxis)
    value_axis.set_major_formatter(ticker.PercentFormatter(1.0))
    value_axis.set_ticks([0.0, 0.25, 0.5, 0.75, 1.0])
    if horizontal:
        ax.set_xlim(0.0, 1.12)
        ax.set_yticks(positions, labels, fontsize=9, **words.props)
        ax.invert_yaxis()
        ax.set_xlabel(words["completion"], **words.props)
        ax.set_ylabel(words[by], **words.props)
    else:
        ax.set_ylim(0.0, 1.12)
        ax.set_xticks(positions, labels, fontsize=9, rotation=35, ha="right", **words.props)
        ax.set_ylabel(words["completion"], **words.props)
        ax.set_xlabel(words[by], **words.props)
    item_axis.set_tick_params(length=0)
    value_axis.grid(visible=True, color="#e2e8f0", linewidth=0.8)
    ax.set_axisbelow(True)
    plan_title = words.title(assessment.plan.title, assessment.plan.id)
    title = f"{words.wrap(plan_title, 70)}\n{words['as_of'].format(day=assessment.as_of)}"
    ax.set_title(title, fontsize=11, loc="left", **words.props)
    _status_legend(ax, results, rules, words, bars, horizontal=horizontal)
    return ax


def _status_legend(
    ax: Axes,
    results: Sequence[Result],
    rules: Rules,
    words: Words,
    bars: Any,
    *,
    horizontal: bool,
) -> None:
    patches: Any = require("matplotlib.patches", FEATURE)
    lines: Any = require("matplotlib.lines", FEATURE)
    present = {result.status for result in results}
    handles = [
        patches.Patch(color=_colour(rules, status), label=rules.label(status, words.lang))
        for status in Progress
        if status in present
    ]
    handles.append(
        lines.Line2D(
            [],
            [],
            linestyle="none",
            marker="|" if horizontal else "_",
            markersize=12,
            markeredgewidth=2.5,
            color=INK,
            label=words["expected"],
        )
    )
    bars.set_label("_completion")
    literal_legend(
        ax.legend(
            handles=handles,
            loc="upper left",
            bbox_to_anchor=(1.01, 1.0),
            frameon=False,
            prop=words.legend,
        )
    )


# -- a history ---------------------------------------------------------------------------


def plot_timeline(
    history: History,
    ids: Sequence[str] | None = None,
    *,
    ax: Axes | None = None,
    lang: str | None = None,
    font: str | None = None,
) -> Axes:
    """Completion of some nodes over the dates of a history, with their expected lines.

    Each node is a solid line of its completion with a point at each date, coloured
    by its status then (the RAG colour of the history's rules), and a dashed line of
    its expected completion in the same colour.

    Args:
        history: The history ([`history`][beijing_plan.histories.history]).
        ids: The ids of the nodes to draw (tasks, measures, themes, the plan...);
            the plan's alone when omitted.
        ax: The axes to draw into; a new figure when omitted.
        lang: `"zh"` or `"en"`; by default Chinese when a Chinese font is installed.
        font: The font to draw text with; by default [`cjk_font`][beijing_plan.charts.cjk_font].

    Raises:
        ImportError: if matplotlib is not installed (naming the `plot` extra).
        PlanValidationError: for an id that is not in the plan, or an unknown
            `lang` or `font`.
    """
    assessments = list(history.assessments())
    chosen = [history.plan.id] if ids is None else list(ids)
    if isinstance(ids, str) or not chosen:
        raise PlanValidationError([("ids", f"{ids!r} is not a list of ids")])
    unknown = [(f"ids[{i}]", f"{key!r} is not an id of the plan") for i, key in enumerate(chosen)]
    problems = [
        problem for problem, key in zip(unknown, chosen, strict=True) if key not in assessments[0]
    ]
    if problems:
        raise PlanValidationError(problems)
    words = Words(lang, font)
    rules = history.rules
    if ax is None:
        ax = new_axes((9.0, 5.0))
    xs = [day_number(day.toordinal()) for day in history.dates]
    palette = ["#2b6cb0", "#805ad5", "#dd6b20", "#319795", "#d53f8c", "#4a5568"]
    for n, key in enumerate(chosen):
        results = [assessment[key] for assessment in assessments]
        line_colour = palette[n % len(palette)]
        label = words.title(results[0].title, key, width=38)
        done = [(x, r) for x, r in zip(xs, results, strict=True) if r.completion is not None]
        levels = [0.0 if r.completion is None else r.completion for _, r in done]
        ax.plot(
            [x for x, _ in done],
            levels,
            color=line_colour,
            linewidth=1.6,
            gid=f"completion:{key}",
            label=label,
        )
        ax.scatter(
            [x for x, _ in done],
            levels,
            c=[_colour(rules, r.status) for _, r in done],
            s=36,
            zorder=3,
            edgecolors=INK,
            linewidths=0.5,
            gid=f"status:{key}",
        )
        planned = [
            (x, r.expected) for x, r in zip(xs, results, strict=True) if r.expected is not None
        ]
        ax.plot(
            [x for x, _ in planned],
            [e for _, e in planned],
            color=line_colour,
            linewidth=1.0,
            linestyle="--",
            gid=f"expected:{key}",
            label=words["expected_of"].format(title=label),
        )
    ticker: Any = require("matplotlib.ticker", FEATURE)
    ax.yaxis.set_major_formatter(ticker.PercentFormatter(1.0))
    ax.set_ylim(0.0, 1.05)
    dates: Any = require("matplotlib.dates", FEATURE)
    locator = dates.AutoDateLocator()
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(dates.ConciseDateFormatter(locator))
    ax.set_xlabel(words["date"], **words.props)
    ax.set_ylabel(words["over_time"], **words.props)
    title = words.title(history.plan.title, history.plan.id)
    ax.set_title(words.wrap(title, 70), fontsize=11, loc="left", **words.props)
    ax.grid(visible=True, color="#e2e8f0", linewidth=0.8)
    ax.set_axisbelow(True)
    literal_legend(ax.legend(prop=words.legend, loc="best"))
    return ax


# -- responsible units and their reporting ---------------------------------------------


def ranked_units(assessment: Assessment, role: str = "lead") -> list[Result]:
    """The units' results in `role`, best first: by completion (unknown last), then name."""
    units = assessment.by_unit(role)  # type: ignore[arg-type]
    return sorted(
        units.values(),
        key=lambda r: (r.completion is None, -(r.completion or 0.0), r.id),
    )


#: The colour of a cell of the reporting chart, by the worst state it holds.
_REPORT_COLOURS = {"on_time": RAG["green"], "late": RAG["amber"], "missing": RAG["red"]}


def plot_reporting(
    reporting: Reporting,
    *,
    ax: Axes | None = None,
    lang: str | None = None,
    font: str | None = None,
) -> Axes:
    """A grid of units (or leaves) by periods, each cell coloured on time, late or missing.

    A cell is green when every report of the period came in on time, amber when
    some came in late and none is missing, red when any is missing; it reads
    `on time / expected`. A period without an expected report is left blank.

    Args:
        reporting: What [`Assessment.reporting`][beijing_plan.assessment.Assessment.reporting]
            gave.
        ax: The axes to draw into; a new figure when omitted.
        lang: `"zh"` or `"en"`; by default Chinese when a Chinese font is installed.
        font: The font to draw text with; by default [`cjk_font`][beijing_plan.charts.cjk_font].

    Returns:
        The axes drawn into.

    Raises:
        ImportError: if matplotlib is not installed (naming the `plot` extra).
        PlanValidationError: for an unknown `lang` or `font`.
    """
    words = Words(lang, font)
    ids = list(dict.fromkeys(row.id for row in reporting.rows))
    # Periods by their last day, a month before the quarter that ends with it.
    spans = {
        row.period or "": (row.end, -row.start.toordinal() if row.start else 0)
        for row in reporting.rows
    }
    periods = sorted(spans, key=lambda period: (spans[period], period))
    if ax is None:
        ax = new_axes((max(6.0, 2.5 + 0.7 * len(periods)), 1.6 + 0.42 * max(len(ids), 1)))
    patches: Any = require("matplotlib.patches", FEATURE)
    for row in reporting.rows:
        x, y = periods.index(row.period or ""), ids.index(row.id)
        state = "missing" if row.missing else "late" if row.late else "on_time"
        ax.add_patch(
            patches.Rectangle(
                (x - 0.45, y - 0.4), 0.9, 0.8, color=_REPORT_COLOURS[state], gid=f"cell-{state}"
            )
        )
        ax.text(
            x,
            y,
            f"{row.on_time}/{row.expected}",
            ha="center",
            va="center",
            fontsize=8,
            color="white",
            **LITERAL,
        )
    ax.set_xlim(-0.6, max(len(periods), 1) - 0.4)
    ax.set_ylim(max(len(ids), 1) - 0.5, -0.5)
    ax.set_xticks(range(len(periods)), periods, fontsize=8, rotation=35, ha="right", **LITERAL)
    labels = [words.text(name, f"#{number + 1}") for number, name in enumerate(ids)]
    ax.set_yticks(range(len(ids)), labels, fontsize=9, **words.props)
    ax.tick_params(length=0)
    for side in ax.spines.values():
        side.set_visible(False)
    ax.set_title(words["as_of"].format(day=reporting.as_of), fontsize=11, loc="left", **words.props)
    handles = [
        patches.Patch(color=colour, label=words[f"report_{state}"])
        for state, colour in _REPORT_COLOURS.items()
    ]
    literal_legend(
        ax.legend(
            handles=handles,
            loc="upper left",
            bbox_to_anchor=(1.01, 1.0),
            frameon=False,
            prop=words.legend,
        )
    )
    return ax
