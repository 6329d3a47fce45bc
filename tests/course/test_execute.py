"""Lessons run in a real Jupyter kernel: outputs come back, errors stop the run."""

from __future__ import annotations

import os

import nbformat
import pytest
from nbclient.exceptions import CellExecutionError

from lab.course.execute import execute_notebook, read_notebook

SOURCE = """# %% [markdown]
# # A lesson

# %%
import os
x = 6 * 7
print(x, os.getpid())

# %% tags=["headline"]
assert x == 42
"""


def test_a_py_percent_source_reads_as_cells(tmp_path):
    """A py:percent source reads into markdown and code cells, tags kept."""
    path = tmp_path / "01_a.py"
    path.write_text(SOURCE)
    nb = read_notebook(path)
    assert [c.cell_type for c in nb.cells] == ["markdown", "code", "code"]
    assert nb.cells[2].metadata["tags"] == ["headline"]


def test_cells_run_in_a_separate_kernel_process(tmp_path):
    """Outputs come from a kernel whose process is not the test's own."""
    path = tmp_path / "01_a.py"
    path.write_text(SOURCE)
    nb, seconds = execute_notebook(path, timeout=60)
    value, pid = nb.cells[1].outputs[0]["text"].split()
    assert value == "42" and int(pid) != os.getpid()
    assert seconds > 0
    with pytest.raises(ProcessLookupError):  # the kernel was stopped, not left running
        os.kill(int(pid), 0)


def test_an_ipynb_runs_in_its_own_folder(tmp_path):
    """The kernel's working directory is the notebook's folder."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import os; print(os.getcwd())")])
    path = tmp_path / "a.ipynb"
    nbformat.write(nb, path)
    out, _ = execute_notebook(path, timeout=60)
    assert out.cells[0].outputs[0]["text"].strip() == str(tmp_path)


def test_a_failing_cell_stops_the_run(tmp_path):
    """An assertion error in a cell raises, naming the error."""
    path = tmp_path / "01_a.py"
    path.write_text(SOURCE.replace("x == 42", "x == 41"))
    with pytest.raises(CellExecutionError, match="AssertionError"):
        execute_notebook(path, timeout=60)
