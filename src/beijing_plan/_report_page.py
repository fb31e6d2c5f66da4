"""The report page: one self-contained HTML document of an assessment.

[`report_page`][beijing_plan._report_page.report_page] writes what
[`Assessment.to_html`][beijing_plan.assessment.Assessment.to_html] returns and
`beijing-plan report --format html` prints: the plan's total, the theme table
(sub-themes indented under their parent) and the measure table, each row with a
bar, then every leaf with its explanation in a `<details>` element, and the
sources as links. It is a page to send around, so it stands alone:

- Nothing is loaded: the style is one inline `<style>` element, the bars are
  inline SVG drawn here, there is no script, image, font or frame, and a
  Content-Security-Policy refuses anything else a browser might fetch. The only
  addresses are the sources' own, as links (`http` and `https` only, with
  `rel="noopener noreferrer"`); any other address is shown as text.
- Every text (titles, ids, sources, explanations) passes through
  [`html_text`][beijing_plan._safe.html_text]: markup shows as written, and
  control and bidirectional characters show escaped (`\\u202e`).
- The words are those of the command-line report where it has them, so the page
  and the table say the same; percentages are rounded as there (a fraction
  strictly between 0 and 1 never shows as 0% or 100%), and a bar's fill
  follows the same rule, at least 1 pixel and never all of it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from ._html import FONT
from ._present import number_text, status_colour, text_colour
from ._render import Row, _footer, build_report, percent
from ._safe import html_link, html_text
from ._words import KIND_NAMES, PAGE_WORDS, REPORT_WORDS
from .exceptions import PlanValidationError

if TYPE_CHECKING:
    from ._values import Source
    from .assessment import Assessment, Result
    from .rules import Rules

__all__ = ["report_page"]

#: What the page may load: nothing but its own inline style.
POLICY = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
#: The language of the page's `<html>` element.
HTML_LANG = {"en": "en", "zh": "zh-CN"}

#: Width and height of a row's bar, and of the plan's, in pixels.
BAR = (200, 14)
TOTAL_BAR = (600, 24)
TRACK = "#e2e8f0"
MARK = "#1a202c"

_STYLE = f"""
body{{{FONT},'Noto Sans CJK SC','Microsoft YaHei',sans-serif;font-size:14px;line-height:1.45;
color:#1a202c;background:#ffffff;margin:0 auto;padding:24px;max-width:1100px}}
h1{{font-size:22px;margin:0 0 4px}}
h2{{font-size:17px;margin:28px 0 8px;padding-bottom:4px;border-bottom:1px solid #a0aec0}}
.muted{{color:#4a5568;font-size:12px}}
table{{border-collapse:collapse;width:100%}}
th{{text-align:left;padding:4px 8px;border-bottom:1px solid #a0aec0;font-weight:600}}
td{{padding:4px 8px;border-bottom:1px solid #e2e8f0;vertical-align:middle}}
th.num,td.num{{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}}
code.id{{font-family:ui-monospace,monospace;font-size:12px;color:#4a5568}}
.chip{{display:inline-block;padding:1px 8px;border-radius:9px;font-size:12px;
white-space:nowrap}}
.big{{font-size:32px;font-weight:700;margin-right:12px}}
dl{{display:flex;flex-wrap:wrap;gap:4px 24px;margin:8px 0}}
dt{{color:#4a5568}}
dd{{margin:0 0 0 6px;font-weight:600}}
dl div{{display:flex}}
details{{border-bottom:1px solid #e2e8f0;padding:6px 0}}
summary{{cursor:pointer;list-style:none;display:grid;align-items:center;column-gap:10px;
grid-template-columns:1em 5.5em minmax(0,1fr) {BAR[0]}px 3.5em 7em}}
summary::-webkit-details-marker{{display:none}}
summary::before{{content:"\\25b8";color:#4a5568}}
details[open]>summary::before{{content:"\\25be"}}
summary .num{{text-align:right}}
details>div,details>pre,details>ul{{margin-left:calc(1em + 10px)}}
pre.explain{{white-space:pre-wrap;font-family:ui-monospace,monospace;font-size:12px;
background:#f7fafc;padding:8px 10px;margin:8px 0}}
ul.sources{{margin:4px 0 8px;padding-left:20px}}
svg.bar{{display:block}}
footer{{margin-top:28px}}
"""


def _check_lang(lang: object) -> str:
    if lang not in HTML_LANG:
        raise PlanValidationError([("lang", f"{lang!r} is not one of 'en', 'zh'")])
    return str(lang)


def _length(fraction: float | None, width: int) -> float:
    """How much of `width` a fraction fills: 0 to `width`, off both ends strictly between."""
    if fraction is None or fraction <= 0:
        return 0.0
    if fraction >= 1:
        return float(width)
    return min(max(fraction * width, 1.0), width - 1.0)


def bar_svg(
    completion: float | None, expected: float | None, colour: str, label: str, size: tuple[int, int]
) -> str:
    """A bar as inline SVG: a grey track, a fill to the completion, a mark at the expected."""
    width, height = size
    inner = height - 6
    parts = [f'<rect x="0" y="3" width="{width}" height="{inner}" rx="2" fill="{TRACK}"/>']
    if completion is not None and completion > 0:
        parts.append(
            f'<rect class="fill" x="0" y="3" width="{_length(completion, width):.1f}" '
            f'height="{inner}" rx="2" fill="{html_text(colour)}"/>'
        )
    if expected is not None:
        left = min(max(expected * width - 1, 0.0), width - 2.0)
        parts.append(
            f'<rect class="expected" x="{left:.1f}" y="0" width="2" height="{height}" '
            f'fill="{MARK}"/>'
        )
    return (
        f'<svg class="bar" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{label}"><title>{label}</title>{"".join(parts)}</svg>'
    )


class _Page:
    """The parts of one page: an assessment in one language."""

    def __init__(self, assessment: Assessment, lang: str) -> None:
        self.assessment = assessment
        self.lang = lang
        self.rules: Rules = assessment.rules
        self.words = {**REPORT_WORDS[lang], **PAGE_WORDS[lang]}

    def bar(self, row: Row, size: tuple[int, int] = BAR) -> str:
        label = self.words["bar_label"].format(
            completion=percent(row.completion), expected=percent(row.expected)
        )
        colour = status_colour(self.rules, row.status)
        return bar_svg(row.completion, row.expected, colour, html_text(label), size)

    def chip(self, row: Row) -> str:
        colour = status_colour(self.rules, row.status)
        return (
            f'<span class="chip" style="background:{html_text(colour)};'
            f'color:{text_colour(colour)}">{html_text(row.label)}</span>'
        )

    def head(self) -> str:
        plan, words = self.assessment.plan, self.words
        title = plan.title.get(self.lang)
        page_title = words["title"].format(plan=title, date=self.assessment.as_of)
        return (
            f'<!DOCTYPE html>\n<html lang="{HTML_LANG[self.lang]}">\n<head>\n'
            '<meta charset="utf-8">\n'
            f'<meta http-equiv="Content-Security-Policy" content="{POLICY}">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{html_text(page_title)}</title>\n<style>{_STYLE}</style>\n</head>\n"
        )

    def header(self, footer: list[str]) -> str:
        plan, words = self.assessment.plan, self.words
        details = [footer[0]]
        if plan.issuer is not None:
            details.append(words["issuer"].format(issuer=plan.issuer))
        details.append(words["period"].format(start=plan.start, end=plan.end))
        line = " · ".join(html_text(part) for part in details)
        return (
            f"<header><h1>{html_text(plan.title.get(self.lang))}</h1>"
            f'<div class="muted">{line}</div></header>\n'
        )

    def total(self, row: Row) -> str:
        words = self.words
        figures = (
            (words["expected"], percent(row.expected)),
            (words["spi"], number_text(row.spi)),
            (words["coverage"], percent(row.coverage)),
        )
        items = "".join(
            f"<div><dt>{html_text(name)}</dt><dd>{html_text(value)}</dd></div>"
            for name, value in figures
        )
        return (
            f'<section id="total"><h2>{html_text(words["total"])}</h2>'
            f'<div><span class="big">{percent(row.completion)}</span>{self.chip(row)}</div>'
            f"{self.bar(row, TOTAL_BAR)}<dl>{items}</dl></section>\n"
        )

    def table(self, section: str, by: str, rows: tuple[Row, ...]) -> str:
        words = self.words
        heading = f'<section id="{section}"><h2>{html_text(words[by + "_section"])}</h2>'
        if not rows:
            return f'{heading}<p class="muted">{html_text(words["no_rows_" + by])}</p></section>\n'
        heads = (
            ("", words[by]),
            ("", words["bar"]),
            ("num", words["completion"]),
            ("num", words["expected"]),
            ("", words["status"]),
            ("num", words["coverage"]),
        )
        head = "".join(
            f'<th class="{kind}">{html_text(text)}</th>' if kind else f"<th>{html_text(text)}</th>"
            for kind, text in heads
        )
        body = "".join(
            f'<tr><td class="title" style="padding-left:{0.5 + 1.5 * row.depth:.1f}em">'
            f'{html_text(row.title)} <code class="id">{html_text(row.id)}</code></td>'
            f"<td>{self.bar(row)}</td>"
            f'<td class="num">{percent(row.completion)}</td>'
            f'<td class="num">{percent(row.expected)}</td>'
            f"<td>{self.chip(row)}</td>"
            f'<td class="num">{percent(row.coverage)}</td></tr>'
            for row in rows
        )
        return (
            f"{heading}<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
            "</section>\n"
        )

    def leaf(self, row: Row, result: Result) -> str:
        words = self.words
        kind = KIND_NAMES[self.lang].get(row.kind, row.kind)
        facts = [words["weight"].format(weight=f"{row.weight:g}")]
        if row.due is not None:
            facts.append(words["due"].format(due=row.due))
        sources = _source_list(self.leaf_sources(row.id))
        return (
            f'<details><summary><span class="muted">{html_text(kind)}</span>'
            f'<span class="title">{html_text(row.title)} '
            f'<code class="id">{html_text(row.id)}</code></span>{self.bar(row)}'
            f'<span class="num">{percent(row.completion)}</span><span>{self.chip(row)}</span>'
            "</summary>"
            f'<div class="muted">{html_text(" · ".join(facts))}</div>'
            f'<pre class="explain">{html_text(result.explain(self.lang), newlines=True)}</pre>'
            f"{sources}</details>\n"
        )

    def leaf_sources(self, leaf_id: str) -> Iterator[Source]:
        """The sources of a leaf, of its targets, and of the records about them to the date."""
        item = self.assessment.plan[leaf_id]
        parts = [item, *getattr(item, "targets", ()), *getattr(item, "milestones", ())]
        for part in parts:
            yield from getattr(part, "sources", ())
        ledger, as_of = self.assessment.ledger, self.assessment.as_of
        for part in parts:
            for record in ledger.for_item(part.id, as_of=as_of):
                source = getattr(record, "source", None)
                if source is not None:
                    yield source

    def leaves(self, rows: tuple[Row, ...]) -> str:
        words = self.words
        heading = f'<section id="leaves"><h2>{html_text(words["leaf_section"])}</h2>'
        if not rows:
            return f'{heading}<p class="muted">{html_text(words["no_rows_leaf"])}</p></section>\n'
        results = self.assessment.leaves()
        body = "".join(self.leaf(row, result) for row, result in zip(rows, results, strict=True))
        return f"{heading}{body}</section>\n"

    def sources(self) -> str:
        plan = self.assessment.plan
        found = [*plan.sources, *(source for m in plan.measures for source in m.sources)]
        if not found:
            return ""
        return (
            f'<section id="sources"><h2>{html_text(self.words["sources"])}</h2>'
            f"{_source_list(found)}</section>\n"
        )

    def footer(self, lines: list[str]) -> str:
        shown = [*lines[1:], self.words["legend"], self.words["made"]]
        return (
            '<footer class="muted">'
            + "".join(f"<p>{html_text(line)}</p>" for line in shown)
            + "</footer>\n"
        )


def _source_list(sources: Iterable[Source]) -> str:
    """The sources as a list, each once, linked where they have a web address."""
    seen: set[tuple[str, str | None]] = set()
    items = []
    for source in sources:
        key = (source.title, source.url)
        if key in seen:
            continue
        seen.add(key)
        extra = "" if source.published is None else f" {source.published}"
        if source.note is not None:
            extra += f" {source.note}"
        tail = f' <span class="muted">{html_text(extra.strip())}</span>' if extra else ""
        items.append(f"<li>{html_link(source.title, source.url)}{tail}</li>")
    return f'<ul class="sources">{"".join(items)}</ul>' if items else ""


def report_page(assessment: Assessment, *, lang: str = "en") -> str:
    """The assessment as one self-contained HTML page in `lang` (`"en"` or `"zh"`).

    Raises:
        PlanValidationError: for a language other than `"en"` and `"zh"`.
    """
    page = _Page(assessment, _check_lang(lang))
    themes = build_report(assessment, by="theme", lang=lang)
    measures = build_report(assessment, by="measure", lang=lang)
    leaves = build_report(assessment, by="leaf", lang=lang)
    lines = _footer(themes, legend=False)
    return (
        page.head()
        + "<body>\n"
        + page.header(lines)
        + page.total(themes.total)
        + page.table("themes", "theme", themes.rows)
        + page.table("measures", "measure", measures.rows)
        + page.leaves(leaves.rows)
        + page.sources()
        + page.footer(lines)
        + "</body>\n</html>\n"
    )
