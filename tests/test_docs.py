"""The documentation runs: its code examples, its site build and the modules' doctests.

- Every ```python block of every page under ``docs/`` runs, page by page, each
  page's blocks in order in one namespace, in a fresh temporary working folder.
  Every ```console block runs there too, in page order: each ``$ beijing-plan ...``
  line is run and must print the lines shown below it (``...`` stands for any text).
- ``mkdocs build --strict`` builds the site into a temporary folder, so a broken
  link, a missing page or a docstring the API reference cannot render fails; no
  page of it may show reST markup (a Sphinx role, a double-backtick literal).
- The doctests in the package's docstrings run, module by module.
"""

from __future__ import annotations

import ast
import doctest
import html.parser
import importlib
import importlib.util
import io
import os
import pkgutil
import re
import shlex
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType, TracebackType

import attrs
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

import beijing_plan

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"

#: A fenced block opened by ```python, ```py or ```console on a line of its own.
_BLOCK = re.compile(
    r"^(?P<indent>[ \t]*)```(?P<lang>python|py|console)[ \t]*\n(?P<code>.*?)^(?P=indent)```[ \t]*$",
    re.DOTALL | re.MULTILINE,
)

#: The command a console block may run, and how the test runs it.
COMMAND = "beijing-plan"

#: How a page run tells that it stopped at an optional extra that is not installed.
MISSING_EXTRA = "missing extra:"
EXIT_MISSING_EXTRA = 3


@attrs.frozen
class Block:
    """A runnable block of a page: its language, the line its code starts on, its code."""

    lang: str
    line: int
    code: str


def blocks_of(text: str) -> list[Block]:
    """The ```python and ```console blocks of a Markdown text, in page order."""
    blocks: list[Block] = []
    for match in _BLOCK.finditer(text):
        indent = match.group("indent")
        lines = match.group("code").splitlines(keepends=True)
        code = "".join(line.removeprefix(indent) for line in lines)
        start = text.count("\n", 0, match.start("code")) + 1
        lang = "console" if match.group("lang") == "console" else "python"
        blocks.append(Block(lang, start, code))
    return blocks


def console_steps(code: str) -> list[tuple[str, str]]:
    """A console block as ``(command, expected output)`` pairs; ``$ `` opens a command."""
    steps: list[tuple[str, list[str]]] = []
    for line in code.splitlines():
        if line.startswith("$ "):
            steps.append((line[2:], []))
        elif steps:
            steps[-1][1].append(line)
        else:
            msg = f"a console block must start with a '$ ' command, not {line!r}"
            raise ValueError(msg)
    return [(command, "\n".join(output).strip("\n")) for command, output in steps]


def run_command(command: str, folder: Path) -> str:
    """Run a ``beijing-plan`` command line in ``folder``; its output, stdout and stderr merged."""
    words = shlex.split(command)
    if not words or words[0] != COMMAND:
        msg = f"console blocks run only {COMMAND!r} commands, not {command!r}"
        raise ValueError(msg)
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "100", "PYTHONIOENCODING": "utf-8"}
    completed = subprocess.run(
        [sys.executable, "-m", "beijing_plan", *words[1:]],
        cwd=folder,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=120,
        check=False,
    )
    lines = [line.rstrip() for line in completed.stdout.splitlines()]
    return "\n".join(lines).strip("\n")


def output_matches(expected: str, got: str) -> bool:
    """Whether a command printed what a page shows; ``...`` on the page stands for any text."""
    checker = doctest.OutputChecker()
    return checker.check_output(expected + "\n", got + "\n", doctest.ELLIPSIS)


def _pages() -> list[Path]:
    return sorted(path for path in DOCS.rglob("*.md") if blocks_of(path.read_text("utf-8")))


def _name(page: Path) -> str:
    return page.relative_to(DOCS).as_posix()


def run_page(page: Path, folder: Path) -> int:
    """Run a page's blocks in order in ``folder``; return how many ran.

    Python blocks share one namespace; each ``$`` line of a console block is run
    and its output compared with the lines the page shows.

    Raises:
        AssertionError: when a command prints something other than what is shown.
    """
    namespace: dict[str, object] = {"__name__": f"docs.{page.stem}"}
    blocks = blocks_of(page.read_text("utf-8"))
    for block in blocks:
        if block.lang == "python":
            padded = "\n" * (block.line - 1) + block.code  # tracebacks give the page's lines
            exec(compile(padded, str(page), "exec"), namespace)  # noqa: S102 (running the docs is the test)
            continue
        for command, expected in console_steps(block.code):
            got = run_command(command, folder)
            if not output_matches(expected, got):
                msg = (
                    f"{page}, line {block.line}: $ {command}\n"
                    f"--- the page shows:\n{expected}\n--- the command printed:\n{got}"
                )
                raise AssertionError(msg)
    return len(blocks)


@pytest.mark.parametrize("page", _pages(), ids=_name)
def test_page_examples_run(page: Path, tmp_path: Path) -> None:
    """Every example of a page runs in order, and every command prints what the page shows.

    Each page runs in a process of its own, as a reader would run it, so that what
    one page registers (a unit, say) cannot leak into the other tests.
    """
    completed = subprocess.run(
        [sys.executable, "-W", "error", __file__, str(page)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        timeout=600,
        check=False,
    )
    if completed.returncode == EXIT_MISSING_EXTRA:
        reason = completed.stdout.rpartition(MISSING_EXTRA)[2].strip()
        pytest.skip(f"{_name(page)} needs an optional extra that is not installed: {reason}")
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert completed.stdout.rstrip().endswith("blocks ran")


def test_block_extraction_keeps_order_and_lines() -> None:
    """Blocks are found in page order with their first line; other languages are skipped."""
    text = (
        "# T\n\n```python\na = 1\n```\n\n```bash\nls\n```\n\n  ```py\n  b = a\n  ```\n"
        "\n```console\n$ beijing-plan schema\n{\n```\n"
    )
    assert blocks_of(text) == [
        Block("python", 4, "a = 1\n"),
        Block("python", 12, "b = a\n"),
        Block("console", 16, "$ beijing-plan schema\n{\n"),
    ]


_LINE = st.text(st.characters(blacklist_characters="`\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"))


@given(
    st.lists(
        st.tuples(
            st.lists(_LINE, max_size=3),  # prose before the block
            st.sampled_from(["python", "console", "bash"]),
            st.lists(_LINE, min_size=1, max_size=4),  # the block's lines
        ),
        max_size=4,
    )
)
def test_blocks_are_found_in_order_with_their_lines(
    page: list[tuple[list[str], str, list[str]]],
) -> None:
    """Any page's python and console blocks come back in order, whole, with their first line."""
    text, wanted, line = "", [], 1
    for prose, lang, code_lines in page:
        text += "".join(f"{p}\n" for p in prose) + f"```{lang}\n"
        line += len(prose) + 1
        code = "".join(f"{c}\n" for c in code_lines)
        text += code + "```\n"
        if lang != "bash":
            wanted.append(Block(lang, line, code))
        line += len(code_lines) + 1
    assert blocks_of(text) == wanted


def test_console_steps_pair_commands_with_their_output() -> None:
    """Each ``$`` line is a command and the lines up to the next one its expected output."""
    code = "$ beijing-plan a\none\ntwo\n$ beijing-plan b\n"
    assert console_steps(code) == [("beijing-plan a", "one\ntwo"), ("beijing-plan b", "")]
    with pytest.raises(ValueError, match="must start with"):
        console_steps("output before any command\n")


def test_console_blocks_run_only_the_command_line_tool(tmp_path: Path) -> None:
    """A console block cannot run another program."""
    with pytest.raises(ValueError, match="run only"):
        run_command("rm -rf somewhere", tmp_path)


def test_output_comparison_takes_an_ellipsis_for_any_text() -> None:
    """``...`` in the shown output matches any text, and other differences do not match."""
    assert output_matches("{\n...\n}", '{\n  "a": 1\n}')
    assert not output_matches("ok", "not ok")


def _nav_pages(node: object) -> list[str]:
    """Every page a (part of a) MkDocs nav names."""
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [page for value in node.values() for page in _nav_pages(value)]
    if isinstance(node, list):
        return [page for value in node for page in _nav_pages(value)]
    return []


def test_every_page_is_in_the_nav() -> None:
    """Each Markdown page under docs/ is named in the nav of mkdocs.yml, and only those."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text("utf-8"))
    nav = _nav_pages(config["nav"])
    pages = sorted(_name(path) for path in DOCS.rglob("*.md"))
    assert [page for page in pages if page not in nav] == []
    assert sorted(nav) == sorted(set(nav)), "a page is named twice in the nav"
    assert _nav_pages([{"A": "a.md"}, {"B": [{"C": "c.md"}, "d.md"]}]) == ["a.md", "c.md", "d.md"]


def test_every_public_module_has_an_api_page() -> None:
    """Each public module of the package is rendered by a ``:::`` line of an API page."""
    rendered = "\n".join(path.read_text("utf-8") for path in (DOCS / "api").glob("*.md"))
    public = [
        info.name
        for info in pkgutil.walk_packages(beijing_plan.__path__, f"{beijing_plan.__name__}.")
        if not any(part.startswith("_") for part in info.name.split("."))
    ]
    missing = [
        name for name in public if not re.search(rf"^::: {re.escape(name)}\b", rendered, re.M)
    ]
    assert not missing, f"public modules without an API page: {missing}"


@attrs.frozen
class Site:
    """A build of the site: the folder it was built into and what mkdocs printed."""

    folder: Path
    returncode: int
    output: str


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The site built once with ``mkdocs build --strict`` into a temporary folder."""
    if (
        importlib.util.find_spec("mkdocs") is None
        or importlib.util.find_spec("mkdocstrings") is None
    ):
        pytest.skip("mkdocs and mkdocstrings are not installed (they come with the test extra)")
    folder = tmp_path_factory.mktemp("site") / "site"
    completed = subprocess.run(
        # No --quiet: it hides the warnings from the count that --strict fails on.
        [
            *(sys.executable, "-m", "mkdocs", "build", "--strict"),
            *("--config-file", str(ROOT / "mkdocs.yml"), "--site-dir", str(folder)),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    return Site(folder, completed.returncode, completed.stdout + completed.stderr)


def test_site_builds_strictly(site: Site) -> None:
    """``mkdocs build --strict`` succeeds: every link, page and API docstring resolves."""
    assert site.returncode == 0, site.output
    assert (site.folder / "index.html").is_file()
    assert (site.folder / "concepts" / "index.html").is_file()


#: A Sphinx role as reST writes it (``:func:`x```), which Markdown shows as it is.
_ROLE = re.compile(r":(?:func|class|meth|attr|mod|data|exc):(?=[`\w~.])")

#: A reST inline literal, ``x``; a Markdown fence (three or more backticks) is not one.
_DOUBLE_BACKTICK = re.compile(r"(?<!`)``(?!`)[^`\n]+?``(?!`)")


class _PageText(html.parser.HTMLParser):
    """The text a browser shows of an HTML page, code included, scripts and styles left out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Note the start of a script or style, whose text is not shown."""
        if tag in {"script", "style"}:
            self._hidden += 1

    def handle_endtag(self, tag: str) -> None:
        """Note the end of a script or style."""
        if tag in {"script", "style"} and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        """Keep text that is shown."""
        if not self._hidden:
            self.parts.append(data)


def shown_text(page: str) -> str:
    """The text of an HTML page as a reader sees it, tags dropped and entities decoded."""
    parser = _PageText()
    parser.feed(page)
    parser.close()
    return "".join(parser.parts)


def rest_markup(text: str) -> list[str]:
    """Each piece of reST markup (a Sphinx role, a double-backtick literal) in shown text."""
    return [m.group(0) for m in (*_ROLE.finditer(text), *_DOUBLE_BACKTICK.finditer(text))]


def test_rest_markup_is_found_in_shown_text() -> None:
    """Roles and ``x`` literals are found once tags are gone; code spans and fences are not."""
    page = (
        "<p>See :func:<code>assess</code> and <code>``x``</code>.</p>"
        "<pre>```python\nprint(1)\n```</pre><p>a <code>`b`</code>, ratio 3:2</p>"
        "<script>var s = ':class:`X`';</script>"
    )
    assert shown_text(page) == "See :func:assess and ``x``.```python\nprint(1)\n```a `b`, ratio 3:2"
    assert rest_markup(shown_text(page)) == [":func:", "``x``"]
    assert rest_markup("the time is 10:30; :meth:`~a.B.c` and :data:`X`") == [":meth:", ":data:"]


def test_no_page_shows_rest_markup(site: Site) -> None:
    """No built page shows a Sphinx role or a double-backtick literal: docstrings are Markdown."""
    assert site.returncode == 0, site.output
    found = {
        page.relative_to(site.folder).as_posix(): markup
        for page in sorted(site.folder.rglob("*.html"))
        if (markup := rest_markup(shown_text(page.read_text("utf-8"))))
    }
    assert found == {}


def _docstrings(source: str) -> list[tuple[int, str]]:
    """The line and text of every docstring of a module, attribute docstrings included."""
    return [
        (node.lineno, node.value.value)
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    ]


def test_no_docstring_cites_the_design_document() -> None:
    """No docstring in the package cites DESIGN, a file its readers do not have."""
    package = ROOT / "src" / "beijing_plan"
    cited = [
        f"{path.relative_to(ROOT).as_posix()}:{line}"
        for path in sorted(package.rglob("*.py"))
        for line, text in _docstrings(path.read_text("utf-8"))
        if re.search(r"\bDESIGN\b", text)
    ]
    assert cited == []
    assert _docstrings('"""DESIGN 4."""\nX = 1\n"""About X."""\n') == [
        (1, "DESIGN 4."),
        (3, "About X."),
    ]


def _modules_with_examples() -> list[str]:
    """The package's modules whose source holds a doctest prompt, found without importing."""
    names: list[str] = []
    for info in pkgutil.walk_packages(beijing_plan.__path__, f"{beijing_plan.__name__}."):
        spec = importlib.util.find_spec(info.name)
        origin = None if spec is None else spec.origin
        if origin is not None and ">>> " in Path(origin).read_text("utf-8"):
            names.append(info.name)
    return sorted(names)


def _import(name: str) -> ModuleType:
    try:
        return importlib.import_module(name)
    except ImportError as error:  # an optional extra that is not installed
        pytest.skip(f"{name} needs a package that is not installed: {error}")


class _Runner(doctest.DocTestRunner):
    """A doctest runner that notes the library's "install the extra" errors."""

    def __init__(self) -> None:
        super().__init__(optionflags=doctest.ELLIPSIS)
        self.extras_missing: list[str] = []

    def report_unexpected_exception(
        self,
        out: Callable[[str], object],
        test: doctest.DocTest,
        example: doctest.Example,
        exc_info: tuple[type[BaseException], BaseException, TracebackType],
    ) -> None:
        """Note an ImportError that names an extra to install, then report as usual."""
        error = exc_info[1]
        if isinstance(error, ImportError) and "beijing-plan[" in str(error):
            self.extras_missing.append(str(error))
        super().report_unexpected_exception(out, test, example, exc_info)


@pytest.mark.parametrize("name", _modules_with_examples())
def test_module_doctests_pass(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The examples in a module's docstrings give the output they show."""
    monkeypatch.chdir(tmp_path)
    module = _import(name)
    tests = [test for test in doctest.DocTestFinder().find(module) if test.examples]
    report = io.StringIO()
    runner = _Runner()
    for test in tests:
        runner.run(test, out=report.write)
    if runner.extras_missing:
        pytest.skip(f"{name}: an optional extra is not installed: {runner.extras_missing[0]}")
    assert runner.tries > 0, f"{name} has a prompt in its source but no doctest was found"
    assert runner.failures == 0, report.getvalue()


def test_doctest_runner_tells_a_missing_extra_from_a_failure() -> None:
    """An ImportError that names an extra is noted (to skip); a wrong output is a failure."""
    source = (
        ">>> raise ImportError('needs x; install it with: pip install \"beijing-plan[plot]\"')\n"
        ">>> 1 + 1\n"
        "3\n"
    )
    test = doctest.DocTestParser().get_doctest(source, {}, "sample", None, 0)
    runner = _Runner()
    runner.run(test, out=io.StringIO().write)
    assert runner.extras_missing == ['needs x; install it with: pip install "beijing-plan[plot]"']
    assert (runner.tries, runner.failures) == (2, 2)


if __name__ == "__main__":
    try:
        count = run_page(Path(sys.argv[1]).resolve(), Path.cwd())
    except ImportError as error:
        if "beijing-plan[" not in str(error):
            raise
        sys.stdout.write(f"\n{MISSING_EXTRA} {error}\n")
        sys.exit(EXIT_MISSING_EXTRA)
    sys.stdout.write(f"\n{count} blocks ran\n")
