"""The course: each lesson is a py:percent source paired with the notebook students open, follows
the lesson template, and runs top to bottom in a real Jupyter kernel with its headline holding."""

from __future__ import annotations

import re
from pathlib import Path

import jupytext
import nbformat
import pytest

from lab.course.execute import execute_notebook, read_notebook

from .conftest import require

FOLDER = Path(__file__).resolve().parents[1] / "notebooks"
SOURCES = sorted(FOLDER.glob("[0-9][0-9]_*.py"))
IDS = [p.stem for p in SOURCES]

#: The lessons this course promises, by number.
COURSE = {f"{n:02d}" for n in range(1, 11)}

#: Lessons that start real servers, and what they need.
NEEDS_POSTGRES = {"01"}

#: The template's sections, in the order a lesson gives them.
SECTIONS = ("## The story", "## Reproduce the headline", "## Your turn", "## The mitigation and its price",
            "## The paper vs our town", "## Summary", "## References")


def cell_view(notebook: nbformat.NotebookNode) -> list[tuple[str, str, list[str]]]:
    """What must agree between the two sides of a pair: each cell's kind, source and tags."""
    return [(c.cell_type, c.source, list(c.metadata.get("tags", []))) for c in notebook.cells]


def tagged(notebook: nbformat.NotebookNode, tag: str) -> list[nbformat.NotebookNode]:
    """The cells carrying ``tag``."""
    return [c for c in notebook.cells if tag in c.metadata.get("tags", [])]


def test_every_promised_lesson_ships():
    """Lessons 01–10 each have a source in notebooks/."""
    assert {p.name[:2] for p in SOURCES} >= COURSE


def test_every_notebook_has_its_source_and_back():
    """Each NN_name.py has its NN_name.ipynb and each notebook its source."""
    notebooks = {p.stem for p in FOLDER.glob("*.ipynb")}
    assert notebooks == set(IDS)


@pytest.mark.parametrize("source", SOURCES, ids=IDS)
def test_pair_is_in_sync(source):
    """The .ipynb holds exactly the cells of its py:percent source (run `jupytext --sync` after an edit)."""
    notebook = nbformat.read(source.with_suffix(".ipynb"), as_version=4)
    assert cell_view(notebook) == cell_view(jupytext.read(source, fmt="py:percent")), (
        f"{source.name} and its notebook differ: run `jupytext --sync notebooks/{source.name}`")


@pytest.mark.parametrize("source", SOURCES, ids=IDS)
def test_notebook_ships_without_outputs_on_the_python_kernel(source):
    """Students open a clean notebook bound to the python3 kernel."""
    notebook = nbformat.read(source.with_suffix(".ipynb"), as_version=4)
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code)
    assert notebook.metadata["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("source", SOURCES, ids=IDS)
def test_lesson_follows_the_template(source):
    """Objectives first, the template's sections in order, a solution per exercise, a figure, a headline last."""
    notebook = read_notebook(source)
    assert notebook.cells[0].cell_type == "markdown"
    assert re.match(rf"# {source.name[:2]}\. ", notebook.cells[0].source)
    assert "> **In this lesson you will**" in notebook.cells[0].source
    markdown = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    positions = [markdown.find(s) for s in SECTIONS]
    assert -1 not in positions and positions == sorted(positions), dict(zip(SECTIONS, positions))
    code = "\n".join(c.source for c in notebook.cells if c.cell_type == "code")
    exercises = len(re.findall(r"^answer_\w+ = \.\.\.", code, flags=re.MULTILINE))
    solutions = tagged(notebook, "solution")
    assert exercises >= 2 and len(solutions) >= exercises
    assert all(c.metadata.get("jupyter", {}).get("source_hidden") for c in solutions)
    assert "paper_vs_town(" in code
    assert re.search(r"from lab\.(plots|maps)[\w.]* import", code), "no figure from lab.plots or lab.maps"
    last = notebook.cells[-1]
    assert last.cell_type == "code" and tagged(notebook, "headline") == [last] and "assert " in last.source


@pytest.mark.parametrize("source", SOURCES, ids=IDS)
def test_lesson_runs_in_a_kernel_and_its_headline_holds(source):
    """Every cell runs in a real kernel; every solution's check passes; the headline's assertions hold."""
    if source.name[:2] in NEEDS_POSTGRES:
        from lab.db.binaries import PostgresMissing, find_bin

        try:
            find_bin()
        except PostgresMissing as exc:
            require(False, f"{source.name} starts a PostgreSQL server: {exc}")
    notebook, _ = execute_notebook(source.with_suffix(".ipynb"), timeout=300)
    for cell in tagged(notebook, "solution"):
        text = "".join(o.get("text", "") for o in cell.outputs)
        assert "check(" not in cell.source or "✓" in text, f"a solution's check did not pass: {cell.source[:80]}"
    headline = tagged(notebook, "headline")[0]
    assert headline.execution_count is not None and not [o for o in headline.outputs if o.output_type == "error"]
    shown = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs if "data" in o]
    assert any("image/png" in o.data for o in shown), "no figure was drawn as an image"
    assert not any(o.data.get("text/plain", "").startswith("<Figure size") and "image/png" not in o.data
                   for o in shown), "a figure shows as text only (is `%matplotlib inline` missing?)"


def test_notebooks_readme_lists_every_lesson():
    """notebooks/README.md names every lesson, so the order by difficulty stays complete."""
    readme = (FOLDER / "README.md").read_text(encoding="utf-8")
    assert [s for s in IDS if s not in readme] == []
