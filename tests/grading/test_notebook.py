"""Student and solution notebooks from the master, and submissions found by what they hold."""

from __future__ import annotations

import os
import time

import nbformat
import pytest

from lab.errors import InputError
from lab.grading.notebook import find_submission, setup_source, solution_notebook, strip_solutions, student_notebook


def test_solution_blocks_and_lines_become_ellipses():
    """A marked block becomes one indented `...`; a `# SOLUTION` line keeps its left-hand side."""
    source = "def f():\n    # BEGIN SOLUTION\n    return 1\n    # END SOLUTION\nx = f()  # SOLUTION"
    assert strip_solutions(source) == "def f():\n    ...\nx = ..."
    assert strip_solutions(source, keep=True) == "def f():\n    return 1\nx = f()"


@pytest.mark.parametrize("source", ["# BEGIN SOLUTION\nx = 1", "x = 1\n# END SOLUTION",
                                    "# BEGIN SOLUTION\n# BEGIN SOLUTION\n# END SOLUTION"])
def test_unbalanced_markers_are_refused(source):
    """A block left open, closed twice or nested is an error in the master."""
    with pytest.raises(InputError, match="SOLUTION"):
        strip_solutions(source)


def test_the_student_notebook_has_the_seed_no_key_and_no_solution(tiny):
    """The setup cell carries the student's seed and visible checks; solutions are gone."""
    nb = student_notebook(tiny, "s001", 12345)
    text = "\n".join(c.source for c in nb.cells)
    assert "seed=12345" in text and "student='s001'" in text and "n_people > 0" in text
    assert "len(world.releases" not in text and "expected" not in text
    assert nb.metadata["privacy_lab"]["exercise"] == "tiny" and nb.metadata["kernelspec"]["name"] == "python3"
    nbformat.validate(nb)


def test_the_solution_notebook_keeps_the_solutions(tiny):
    """The solved notebook holds the reference code without markers."""
    text = "\n".join(c.source for c in solution_notebook(tiny, "s001", 1).cells)
    assert 'gps_rows = len(world.releases["gps"])' in text and "SOLUTION" not in text


def test_setup_source_runs_and_gives_the_students_world(tiny):
    """The setup cell's code builds the world of the given seed and a check function."""
    namespace: dict = {}
    exec(setup_source(tiny, "s001", 7), namespace)
    assert len(namespace["world"].people) == 60 and callable(namespace["check"])
    assert namespace["world"].releases["gps"].equals(tiny.world(7).releases["gps"])


def write(folder, name, notebook):
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, folder / name)
    return folder / name


def test_a_renamed_notebook_is_found_by_its_content(tmp_path, tiny):
    """Any file name works; the gradebook is told about the renaming."""
    path = write(tmp_path / "s001" / "deep", "my final work.ipynb", student_notebook(tiny, "s001", 1))
    assert find_submission(tmp_path / "s001", "tiny") == (path, ["renamed to my final work.ipynb"])


def test_a_notebook_without_metadata_is_found_by_its_setup_cell(tmp_path, tiny):
    """A notebook whose metadata was lost is recognised by its setup cell."""
    nb = student_notebook(tiny, "s001", 1)
    nb.metadata = {}
    path = write(tmp_path, "tiny.ipynb", nb)
    assert find_submission(tmp_path, "tiny") == (path, [])


def test_among_several_the_last_modified_is_graded(tmp_path, tiny):
    """Two notebooks of the exercise: the newer is chosen and the choice flagged."""
    old = write(tmp_path, "a.ipynb", student_notebook(tiny, "s001", 1))
    new = write(tmp_path, "b.ipynb", student_notebook(tiny, "s001", 1))
    os.utime(old, (time.time() - 100, time.time() - 100))
    path, flags = find_submission(tmp_path, "tiny")
    assert path == new and "2 notebooks of this exercise; graded the last modified" in flags


def test_broken_foreign_and_linked_files_are_not_taken(tmp_path, tiny):
    """Broken JSON is flagged, another exercise's notebook and symbolic links are ignored."""
    (tmp_path / "broken.ipynb").write_text("{not json")
    write(tmp_path, "other.ipynb", nbformat.v4.new_notebook())
    (tmp_path / "link.ipynb").symlink_to(write(tmp_path / "elsewhere", "x.ipynb", student_notebook(tiny, "s", 1)))
    path, flags = find_submission(tmp_path, "tiny")
    assert path == tmp_path / "elsewhere" / "x.ipynb"
    assert "unreadable notebook broken.ipynb" in flags
    (tmp_path / "elsewhere" / "x.ipynb").unlink()
    assert find_submission(tmp_path, "tiny") == (None, ["unreadable notebook broken.ipynb",
                                                         "no notebook of this exercise"])
