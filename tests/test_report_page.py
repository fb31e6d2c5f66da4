# ruff: noqa: RUF001 (expected Chinese output is written with full-width punctuation)
"""The report page: one self-contained HTML document of an assessment, and the command
that writes it (`beijing-plan report --format html`, `--output FILE`).

The page is checked as text here; tests/test_browser.py shows it in a real browser.
"""

from __future__ import annotations

import html
import html.parser
import re
import subprocess
import sys
from pathlib import Path

import pytest

from beijing_plan import Source, assess, cli
from beijing_plan._safe import html_link, html_text
from beijing_plan.assessment import Assessment
from beijing_plan.exceptions import PlanValidationError
from beijing_plan.model import Measure, Plan, Task, Theme
from helpers import report_plan

AS_OF = "2025-07-02"


class _Page(html.parser.HTMLParser):
    """The tags of a page with their attributes, and the text of its elements by tag."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.texts: dict[str, list[str]] = {}
        self._open: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in {"meta", "rect", "br", "img", "link", "input", "hr"}:
            self._open.append(tag)
            self.texts.setdefault(tag, []).append("")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if tag in self._open:
            while self._open.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        for tag in set(self._open):
            self.texts[tag][-1] += data

    def named(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]


def _assessment() -> Assessment:
    plan, ledger = report_plan()
    return assess(plan, ledger, as_of=AS_OF)


def test_page_is_a_whole_document_in_english_by_default() -> None:
    """The page is a complete HTML document in English, titled by the plan and the date."""
    text = _assessment().to_html()
    page = _Page(text)
    assert text.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert text.rstrip().endswith("</html>")
    assert page.texts["title"][0] == (
        "Action plan for high-quality development: progress as of 2025-07-02"
    )
    assert page.texts["h1"] == ["Action plan for high-quality development"]
    assert page.named("meta")[0] == {"charset": "utf-8"}
    headings = page.texts["h2"]
    assert headings == [
        "Plan total",
        "By theme",
        "By measure",
        "Tasks, policies and targets",
        "Sources",
    ]


def test_page_in_chinese() -> None:
    """With lang="zh" the page's language, titles, headings and labels are Chinese."""
    text = _assessment().to_html(lang="zh")
    page = _Page(text)
    assert text.startswith('<!DOCTYPE html>\n<html lang="zh-CN">')
    assert page.texts["h1"] == ["首都高质量发展行动计划"]
    assert page.texts["h2"] == ["计划总体", "按主题", "按重大举措", "任务、政策和目标", "来源"]
    assert "截至 2025-07-02" in text
    assert "滞后" in text  # off track
    assert "进度正常" in text  # on track (the measure: SPI 1.2)


def test_page_loads_nothing_from_anywhere() -> None:
    """No style sheet, script, image, frame or font is loaded; only sources are links."""
    text = _assessment().to_html()
    page = _Page(text)
    names = {name for name, _ in page.tags}
    assert not names & {"link", "script", "img", "iframe", "object", "embed", "base", "form"}
    for name, attrs in page.tags:
        assert "src" not in attrs, name
        assert not any(key.startswith("on") for key in attrs), name
    assert "@import" not in text
    assert "url(" not in text
    csp = [attrs for attrs in page.named("meta") if attrs.get("http-equiv")]
    assert csp == [
        {
            "http-equiv": "Content-Security-Policy",
            "content": "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; "
            "form-action 'none'",
        }
    ]
    # Every http(s) address in the page is the href of a link to a source.
    links = page.named("a")
    hrefs = {attrs["href"] for attrs in links}
    assert hrefs == {
        "https://example.gov.cn/a?x=1&y=2",
        "https://example.com/news/1",
        "http://example.org/plan",
    }
    assert all(attrs["rel"] == "noopener noreferrer" for attrs in links)
    found = set(re.findall(r"https?://[^\s\"<]+", html.unescape(text)))
    assert found == hrefs


def test_a_source_that_is_not_a_web_address_is_text() -> None:
    """A javascript: source is shown as text beside its title, never as a link."""
    text = _assessment().to_html()
    assert "Not a web page (javascript:alert(1))" in text
    assert 'href="javascript' not in text.lower()
    assert html_link("x", "JavaScript:alert(1)") == "x (JavaScript:alert(1))"
    assert html_link("x", None) == "x"
    assert html_link("<b>", 'https://e.org/a b"c') == (
        '<a href="https://e.org/a%20b%22c" rel="noopener noreferrer">&lt;b&gt;</a>'
    )


def test_every_text_is_escaped() -> None:
    """Titles, ids and sources that hold markup or control characters show as written."""
    hostile = '<script>alert("x")</script> & \u202eevil'
    plan = Plan(
        "p",
        hostile,
        start="2025-01-01",
        end="2025-12-31",
        themes=[Theme("t", hostile)],
        measures=[
            Measure(
                "m",
                1,
                hostile,
                tasks=[Task("a<b", hostile, sources=[Source(hostile, "https://e.org/\u202e")])],
            )
        ],
        sources=[Source(hostile, f"ftp://{hostile}")],
    )
    text = assess(plan, as_of=AS_OF).to_html(lang="zh")
    assert "<script" not in text
    assert "\u202e" not in text
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; \\u202eevil" in text
    assert "a&lt;b" in text
    assert 'href="https://e.org/%E2%80%AE"' in text
    assert html_text('<a href="x">\u202e') == "&lt;a href=&quot;x&quot;&gt;\\u202e"
    assert html_text("a\nb") == "a\\x0ab"
    assert html_text("a\nb", newlines=True) == "a\nb"


def _rows(text: str, section: str) -> list[str]:
    """The rows of the body of the table in the section with that id."""
    part = text.split(f'<section id="{section}">', 1)[1].split("</section>", 1)[0]
    body = part.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r"<tr>.*?</tr>", body, re.DOTALL)


def test_plan_total_with_its_bar() -> None:
    """The plan's total shows its figures and a bar filled to its completion."""
    text = _assessment().to_html()
    total = text.split('<section id="total">', 1)[1].split("</section>", 1)[0]
    assert '<span class="big">40%</span>' in total
    # 600 pixels wide: 0.4 of it filled, the expected 0.5 marked at 300 (a 2-pixel line);
    # SPI 0.8 is at risk (amber).
    assert '<svg class="bar" width="600" height="24" viewBox="0 0 600 24"' in total
    assert '<rect class="fill" x="0" y="3" width="240.0" height="18" rx="2" fill="#d69e2e"/>' in (
        total
    )
    assert '<rect class="expected" x="299.0" y="0" width="2" height="24" fill="#1a202c"/>' in (
        total
    )
    assert "<dt>Expected</dt><dd>50%</dd>" in total
    assert "<dt>SPI</dt><dd>0.80</dd>" in total
    assert "<dt>Coverage</dt><dd>67%</dd>" in total


def test_theme_table_is_indented_by_depth_with_bars() -> None:
    """The theme table lists each sub-theme under its parent, indented, each with a bar."""
    rows = _rows(_assessment().to_html(), "themes")
    assert len(rows) == 2
    economy, digital = rows
    assert '<td class="title" style="padding-left:0.5em">Economy' in economy
    assert '<td class="title" style="padding-left:2.0em">Digital economy' in digital
    assert 'width="120.0"' in economy  # 0.6 of 200 pixels
    assert 'width="200.0"' in digital  # done
    assert 'fill="#2b6cb0"' in digital  # done is blue
    for row in rows:
        assert '<rect class="expected" x="99.0" y="0" width="2" height="14"' in row
    assert '<td class="num">60%</td><td class="num">50%</td>' in economy


def test_measure_table_with_bars() -> None:
    """The measure table has one row per measure, with its bar, figures and status."""
    (row,) = _rows(_assessment().to_html(lang="zh"), "measures")
    assert "推动数据价值释放" in row
    assert 'width="120.0"' in row
    assert 'fill="#2f855a"' in row  # on track (SPI 1.2) is green
    assert "进度正常" in row
    assert '<td class="num">60%</td><td class="num">50%</td>' in row


def test_a_plan_without_themes_or_measures_says_so() -> None:
    """Empty theme and measure tables say that the plan has none."""
    plan = Plan("p", "Empty", start="2025-01-01", end="2025-12-31")
    text = assess(plan, as_of=AS_OF).to_html()
    assert "(the plan has no themes)" in text
    assert "(the plan has no measures)" in text
    assert "(the plan has no tasks, policies or targets)" in text


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_each_leaf_explains_itself_on_demand(lang: str) -> None:
    """Each leaf has a <details> whose body holds its explanation and its sources."""
    assessment = _assessment()
    text = assessment.to_html(lang=lang)
    details = re.findall(r"<details>(.*?)</details>", text, re.DOTALL)
    assert len(details) == 3
    for part, result in zip(details, assessment.leaves(), strict=True):
        explanation = re.search(r'<pre class="explain">(.*?)</pre>', part, re.DOTALL)
        assert explanation is not None
        assert html.unescape(explanation.group(1)) == result.explain(lang)
        assert f'<code class="id">{result.id}</code>' in part
    task_a = details[0]
    # The task's own source and the source of its status record, as links.
    assert 'href="https://example.gov.cn/a?x=1&amp;y=2"' in task_a
    assert 'href="https://example.com/news/1"' in task_a
    assert "<li>" not in details[1]  # task b cites nothing


def test_plan_sources_listed_with_their_dates() -> None:
    """The sources section lists the plan's sources as links with their dates."""
    text = _assessment().to_html()
    sources = text.split('<section id="sources">', 1)[1].split("</section>", 1)[0]
    assert (
        '<li><a href="http://example.org/plan" rel="noopener noreferrer">Plan text</a>'
        ' <span class="muted">2025-04-08</span></li>'
    ) in sources


def test_unknown_language_is_refused() -> None:
    """A language other than en and zh raises PlanValidationError naming it."""
    with pytest.raises(PlanValidationError) as caught:
        _assessment().to_html(lang="fr")
    assert caught.value.problems == [("lang", "'fr' is not one of 'en', 'zh'")]


def test_page_needs_no_plotting_library() -> None:
    """Writing the page imports neither matplotlib nor any engine of frames."""
    code = (
        "import sys; sys.path.insert(0, 'tests')\n"
        "from helpers import report_plan\n"
        "from beijing_plan import assess\n"
        "plan, ledger = report_plan()\n"
        "assess(plan, ledger, as_of='2025-07-02').to_html(lang='zh')\n"
        "print(sorted(m for m in ('matplotlib', 'pandas', 'polars') if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert done.stdout == "[]\n"


# -- the command ------------------------------------------------------------------------------


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_command_writes_the_page_to_standard_output(capsys: pytest.CaptureFixture[str]) -> None:
    """`report --format html` writes the page of the bundled plan to standard output."""
    code, out, err = _run(
        capsys, "report", "--format", "html", "--as-of", "2025-12-31", "--lang", "zh"
    )
    assert (code, err) == (0, "")
    assert out.startswith('<!DOCTYPE html>\n<html lang="zh-CN">')
    assert "进一步推动首都高质量发展取得新突破行动方案2025年工作要点" in out
    assert "已编码：重大举措 10/27 项，重点任务 9/157 项，政策 2/25 项" in out


def test_command_writes_the_page_to_a_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """`--output FILE` writes the page to the file in UTF-8, replacing it, and prints nothing."""
    target = tmp_path / "report.html"
    target.write_text("old", encoding="utf-8")
    code, out, err = _run(
        capsys, "report", "--format", "html", "--as-of", "2025-12-31", "--output", str(target)
    )
    assert (code, out, err) == (0, "", "")
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert page.endswith("</html>\n")
    assert [path.name for path in tmp_path.iterdir()] == ["report.html"]


def test_output_takes_the_other_formats_too(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """`--output` writes a Markdown report exactly as standard output would show it."""
    argv = ["report", "--format", "markdown", "--as-of", "2025-12-31"]
    _, shown, _ = _run(capsys, *argv)
    code, out, err = _run(capsys, *argv, "--output", str(tmp_path / "r.md"))
    assert (code, out, err) == (0, "", "")
    assert (tmp_path / "r.md").read_text(encoding="utf-8") == shown


def test_output_to_a_table_is_not_coloured_unless_asked(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A table written to a file has no colour by default, and colour with --color always."""
    argv = ["report", "--as-of", "2025-12-31"]
    _run(capsys, *argv, "--output", str(tmp_path / "plain.txt"))
    _run(capsys, *argv, "--color", "always", "--output", str(tmp_path / "colour.txt"))
    assert "\x1b[" not in (tmp_path / "plain.txt").read_text(encoding="utf-8")
    assert "\x1b[" in (tmp_path / "colour.txt").read_text(encoding="utf-8")


def test_output_that_cannot_be_written_exits_74(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """An output file in a missing folder ends the command with 74 and one line why."""
    target = tmp_path / "missing" / "report.html"
    code, out, err = _run(
        capsys, "report", "--format", "html", "--as-of", "2025-12-31", "--output", str(target)
    )
    assert (code, out) == (74, "")
    assert err == (
        f"beijing-plan: error: cannot write the output: {target}: No such file or directory\n"
    )
    assert not (tmp_path / "missing").exists()
