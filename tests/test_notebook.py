"""Tests of examples/tour.ipynb: it runs from top to bottom in a kernel of this interpreter."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import nbclient
import nbformat
import pytest

import beijing_plan

NOTEBOOK = Path(__file__).resolve().parent.parent / "examples" / "tour.ipynb"
KERNEL = "beijing-plan-tour"
CHECK = "import sys, beijing_plan\nprint(sys.executable)\nprint(beijing_plan.__file__)"


def read_notebook() -> Any:
    reader: Any = nbformat.read  # nbformat has no annotations
    return reader(NOTEBOOK, as_version=4)


def new_code_cell(source: str) -> Any:
    make: Any = nbformat.v4.new_code_cell  # nbformat has no annotations
    return make(source)


def code_cells(notebook: Any) -> list[Any]:
    return [cell for cell in notebook.cells if cell.cell_type == "code"]


def cell_with(notebook: Any, text: str) -> Any:
    found = [cell for cell in code_cells(notebook) if text in cell.source]
    assert len(found) == 1, f"no single cell with {text!r}"
    return found[0]


def streamed(cell: Any, name: str = "stdout") -> str:
    return "".join(
        output.text
        for output in cell.outputs
        if output.output_type == "stream" and output.name == name
    )


def shown(cell: Any, mime: str) -> list[Any]:
    return [
        output.data[mime]
        for output in cell.outputs
        if output.output_type in ("display_data", "execute_result") and mime in output.data
    ]


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The tour, run in a kernel of this very interpreter, with a cell that says which."""
    home = tmp_path_factory.mktemp("jupyter")
    spec = home / "kernels" / KERNEL
    spec.mkdir(parents=True)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(
        json.dumps({"argv": argv, "display_name": "this interpreter", "language": "python"}),
        encoding="utf-8",
    )
    notebook = read_notebook()
    notebook.cells.append(new_code_cell(CHECK))
    with pytest.MonkeyPatch.context() as patch:
        # Jupyter finds the kernel above first (JUPYTER_PATH comes before every other
        # place), and the kernel gets its own settings and runtime folders and the
        # inline backend for charts.
        patch.setenv("JUPYTER_PATH", str(home))
        patch.setenv("IPYTHONDIR", str(home / "ipython"))
        patch.setenv("JUPYTER_RUNTIME_DIR", str(home / "runtime"))
        patch.delenv("MPLBACKEND", raising=False)
        client = nbclient.NotebookClient(
            notebook,
            kernel_name=KERNEL,
            timeout=300,
            resources={"metadata": {"path": str(home)}},
        )
        client.execute()
    return notebook


def test_committed_notebook_has_no_outputs() -> None:
    """The notebook in the repository is valid and carries no outputs or execution counts."""
    notebook = read_notebook()
    nbformat.validate(notebook)
    cells = code_cells(notebook)
    assert len(cells) > 10
    assert all(cell.outputs == [] and cell.execution_count is None for cell in cells)


def test_every_cell_runs_without_errors_or_warnings(executed: Any) -> None:
    """Every code cell ran, none raised, and nothing was written to stderr."""
    for cell in code_cells(executed):
        assert cell.execution_count is not None
        assert not [output for output in cell.outputs if output.output_type == "error"]
        assert streamed(cell, "stderr") == "", cell.source


def test_the_kernel_is_this_interpreter(executed: Any) -> None:
    """The kernel ran this interpreter and imported this checkout of beijing_plan."""
    executable, package = streamed(code_cells(executed)[-1]).split()
    assert Path(executable) == Path(sys.executable)
    assert Path(package) == Path(beijing_plan.__file__)


def test_rich_html_is_shown_for_plans_assessments_and_results(executed: Any) -> None:
    """The HTML cells show a table with both languages' titles."""
    for text in ("plan  # a notebook shows", 'as_of="2026-02-01")\nassessment'):
        (markup,) = shown(cell_with(executed, text), "text/html")
        assert "<table" in markup
        assert "雄安新区" in markup
        assert "Xiong&#x27;an New Area" in markup
    (result,) = shown(cell_with(executed, "a result shows its contributions"), "text/html")
    assert "Contributions" in result


def test_frames_are_shown_as_tables(executed: Any) -> None:
    """The pandas and polars cells show frames."""
    (first,) = shown(cell_with(executed, "frame = assessment.to_pandas()"), "text/html")
    assert "m7-data-value" in first
    (themes,) = shown(cell_with(executed, "plan.to_polars()"), "text/html")
    assert "key-areas" in themes


def test_charts_are_drawn(executed: Any) -> None:
    """The chart cells each show one PNG image."""
    for text in ('assessment.plot(by="theme")', "plot_history(plan, updated"):
        images = shown(cell_with(executed, text), "image/png")
        assert len(images) == 1
        assert len(images[0]) > 1000


def test_new_progress_changes_the_figures(executed: Any) -> None:
    """Recording progress in a new ledger raises the plan's completion."""
    lines = streamed(cell_with(executed, "updated = ledger.extend(progress)")).splitlines()
    before = float(lines[0].split("completion ")[1].split("%")[0])
    after = float(lines[1].split("completion ")[1].split("%")[0])
    assert after > before


def test_spreadsheets_round_trip(executed: Any) -> None:
    """Tasks and progress written to CSV and XLSX read back the same."""
    text = streamed(cell_with(executed, "write_tasks(plan, tasks_file)"))
    assert "task ids read back: True" in text
    assert "progress records read back unchanged: True" in text
