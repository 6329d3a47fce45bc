"""The hostile class: every way a submission can be wrong, broken or malicious gets its status and score.

One batch of submissions made by the test itself, graded once (module fixture); each test checks
one student's row. No result is "passed" without the grader's own output, and one bad submission
never stops the batch.
"""

from __future__ import annotations

import os

import nbformat
import pytest

from lab.grading.grade import STATUSES, grade_class
from lab.grading.gradebook import write_gradebook
from lab.grading.notebook import solution_notebook
from lab.grading.run import Limits
from lab.grading.sandbox import landlock_abi
from lab.grading.seeds import student_seed

from ..conftest import in_ci, require
from .conftest import KEY

FULL = 3.0

#: The hostile class relies on the sandbox (a key hunt, writes to the gradebook): without Landlock the
#: grade command itself refuses to run unless told --unconfined, so these tests skip (and fail in CI).
pytestmark = pytest.mark.skipif(landlock_abi() < 1 and not in_ci(),
                                reason="this kernel has no Landlock (Linux 5.13+), which grading relies on")


def solved(tiny, student):
    """The reference solution on this student's data."""
    return solution_notebook(tiny, student, student_seed(KEY, "tiny", student))


def with_cells(notebook, *sources, at=None):
    """The notebook with code cells added (at the end, or at index ``at``)."""
    cells = [nbformat.v4.new_code_cell(s) for s in sources]
    notebook.cells[at if at is not None else len(notebook.cells):at] = cells
    return notebook


def submissions(tiny, root, key_path, gradebook):
    """Write the class's submissions under ``root``; return the roster."""
    other = tiny.expected(student_seed(KEY, "tiny", "s01"))["gps_rows"]
    probe_key = (
        "import os\n"
        f"found = any({KEY.decode()!r} in v for v in os.environ.values())\n"
        "for path in [" + repr(str(key_path)) + ", os.path.expanduser('~/course.key')]:\n"
        "    try:\n"
        "        found = found or open(path).read() != ''\n"
        "    except OSError:\n"
        "        pass\n"
        "n_people = 1000 if found else n_people\n")
    notebooks = {
        "s01": solved(tiny, "s01"),
        "s02": with_cells(solved(tiny, "s02"), "n_people = 61\ngps_rows = 0"),
        "s03": with_cells(solved(tiny, "s03"), f"gps_rows = {other}"),
        "s04": with_cells(solved(tiny, "s04"), "while True:\n    pass"),
        "s05": with_cells(solved(tiny, "s05"),
                          "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass"),
        "s06": with_cells(solved(tiny, "s06"), "import os\nos._exit(1)"),
        "s07": with_cells(solved(tiny, "s07"), "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)"),
        "s08": with_cells(solved(tiny, "s08"), "hog = bytearray(16 * 2 ** 30)", at=1),
        "s11": with_cells(solved(tiny, "s11"),
                          "n_people = 0\ngps_rows = 'all of them'\n"
                          "check = lambda q: True\nclose = lambda *a, **k: True\n"
                          "import builtins\nbuiltins.AssertionError = Exception\n"
                          "print('q1: 1/1 passed\\nq2: 2/2 passed\\nScore: 3/3')\n"
                          "print('LAB-ANSWERS-feedfeed:{\"n_people\": 60, \"gps_rows\": 1}')"),
        "s12": with_cells(solved(tiny, "s12"),
                          f"try:\n    open({str(gradebook)!r}, 'w').write('s12,tiny,999')\nexcept OSError:\n    pass\n"
                          f"try:\n    open({str(root / 's01' / 'tiny.ipynb')!r}, 'w').write('')\n"
                          "except OSError:\n    pass"),
        "s13": with_cells(solved(tiny, "s13"), probe_key),
        "s16": with_cells(solved(tiny, "s16"), "import builtins\nbuiltins.print = lambda *a, **k: None"),
        "s18": with_cells(solved(tiny, "s18"),
                          "from ipykernel.comm import Comm\nComm(target_name='jupyter.widget', data={'state': {}})"),
        "s17": with_cells(solved(tiny, "s17"),
                          "import os, signal\nfor kill in (lambda: os.kill(os.getppid(), signal.SIGKILL),\n"
                          "             lambda: os.killpg(os.getpgid(os.getppid()), signal.SIGKILL)):\n"
                          "    try:\n        kill()\n    except OSError:\n        pass"),
    }
    renamed = solved(tiny, "s09")
    shuffled = solved(tiny, "s10")
    code = [c for c in shuffled.cells if c.cell_type == "code" and "setup" not in c.metadata.get("tags", [])]
    shuffled.cells = [code[1], code[0], code[1]]  # setup deleted, cells reordered and one copied
    notebooks["s10"] = shuffled
    for student, notebook in notebooks.items():
        (root / student).mkdir(parents=True)
        nbformat.write(notebook, root / student / "tiny.ipynb")
    (root / "S09").mkdir()
    nbformat.write(renamed, root / "S09" / "final answers (2).ipynb")
    (root / "s15").mkdir()
    (root / "s15" / "tiny.ipynb").write_text("{ this is not a notebook")
    for twin in ("s19", "S19\u00a0"):  # two folders whose names normalise to one id
        (root / twin).mkdir()
        nbformat.write(solved(tiny, "s19"), root / twin / "tiny.ipynb")
    (root / "s20").mkdir()
    nbformat.write(solved(tiny, "s20"), root / "s20" / os.fsdecode(b"\xffwork.ipynb"))
    return [*sorted(notebooks), "s09", "s14", "s15", "s19", "s20"]


@pytest.fixture(scope="module")
def graded(tiny, tmp_path_factory):
    """The hostile class graded once: results by student, the gradebook's text and whether it survived."""
    tmp = tmp_path_factory.mktemp("class")
    key_path, gradebook = tmp / "course.key", tmp / "out" / "gradebook.csv"
    key_path.write_bytes(KEY)
    key_path.chmod(0o600)
    gradebook.parent.mkdir()
    gradebook.write_text("ORIGINAL")
    roster = submissions(tiny, tmp / "subs", key_path, gradebook)
    results = grade_class(tiny, tmp / "subs", roster, KEY, workers=4, confine=landlock_abi() > 0,
                          limits=Limits(cell_timeout_s=15, notebook_timeout_s=45, memory_mb=2048),
                          secret=[key_path, gradebook.parent])
    untouched = gradebook.read_text() == "ORIGINAL" and (tmp / "subs" / "s01" / "tiny.ipynb").stat().st_size > 100
    write_gradebook(gradebook, tiny, results)
    return {r.student: r for r in results}, gradebook.read_text(), untouched


def row(graded, student):
    return graded[0][student]


def test_every_roster_student_has_one_row_with_a_known_status(graded):
    """One result per roster student, in roster order, each status one of the five."""
    results, text, _ = graded
    assert len(results) == 20 and all(r.status in STATUSES for r in results.values())
    assert text.splitlines()[0].startswith("student_id,exercise,score,max_score,status,flags,runtime_s,"
                                           "notebook_sha256,lab_version,q1,q2")


@pytest.mark.parametrize(("student", "status", "score"), [
    ("s01", "graded", FULL),        # correct
    ("s02", "graded", 0.5),         # wrong (only the visible type check passes)
    ("s03", "graded", 1.5),         # gps_rows copied from s01's data
    ("s04", "timeout", FULL),       # a loop after the answers: interrupted, answers kept
    ("s05", "timeout", 0.0),        # a loop that ignores interrupts: killed, nothing kept
    ("s06", "kernel_died", 0.0),    # os._exit(1)
    ("s07", "kernel_died", 0.0),    # the kernel killed
    ("s08", "graded", FULL),        # a memory bomb meets MemoryError
    ("s09", "graded", FULL),        # renamed notebook, folder named in capitals
    ("s10", "graded", FULL),        # setup deleted, cells reordered and copied
    ("s11", "graded", 0.0),         # checks redefined, assert patched, fake grading output, forged marker
    ("s12", "graded", FULL),        # tries to write the gradebook and a classmate's notebook
    ("s13", "graded", FULL),        # looks for the key in its environment and on disk: finds nothing
    ("s14", "missing", 0.0),        # no folder
    ("s15", "missing", 0.0),        # not a notebook
    ("s16", "no_output", 0.0),      # print silenced: the grader's cell says nothing
    ("s17", "graded", FULL),        # tries to kill the grader
    ("s18", "graded", FULL),        # opens a widget comm the client does not expect
    ("s19", "missing", 0.0),        # two folders whose names normalise to the same id
    ("s20", "graded", FULL),        # a notebook whose file name is not valid UTF-8
])
def test_each_submission_gets_its_status_and_score(graded, student, status, score):
    """The status and score of each kind of submission."""
    result = row(graded, student)
    assert (result.status, result.score) == (status, score), (result.flags, result.cell_errors)


def test_a_copied_answer_is_flagged_with_its_source(graded):
    """An answer right for a classmate's data but wrong for one's own names the classmate."""
    assert "q2 matches s01's data" in row(graded, "s03").flags
    assert not any("matches" in f for s in ("s01", "s02", "s08") for f in row(graded, s).flags)


def test_nothing_a_kernel_did_reached_the_gradebook_or_a_classmate(graded):
    """The gradebook and s01's notebook were untouched during grading; the row says s12 scored 3."""
    _, text, untouched = graded
    assert untouched and "s12,tiny,999" not in text and "\ns12,tiny,3,3,graded," in text


def test_flags_say_what_happened(graded):
    """Renaming, timeouts and unreadable files are recorded for the instructor."""
    assert "renamed to final answers (2).ipynb" in row(graded, "s09").flags
    assert any("ran out of time" in f for f in row(graded, "s04").flags)
    assert "unreadable notebook tiny.ipynb" in row(graded, "s15").flags
    assert row(graded, "s08").cell_errors[0].startswith("cell 1: MemoryError")


def test_ambiguous_folders_and_odd_names_are_reported(graded):
    """Twin folders are named in the flags; an undecodable file name is written escaped."""
    assert row(graded, "s19").flags == ["2 folders name this student; none graded"]
    assert row(graded, "s20").flags == ["renamed to \\xffwork.ipynb"]
    assert "renamed to \\xffwork.ipynb" in graded[1]


def test_the_gradebook_keeps_the_notebooks_hash(graded):
    """Each graded row carries the SHA-256 of the file that was graded; a missing one has none."""
    import hashlib

    results, _, _ = graded
    assert results["s14"].notebook_sha256 == ""
    assert len(results["s01"].notebook_sha256) == 64 and results["s01"].notebook_sha256 != \
        hashlib.sha256(b"").hexdigest()


def test_a_key_file_outside_the_sandbox_was_unreadable():
    """The sandbox was really on for this class (on a system with Landlock, or in CI)."""
    require(landlock_abi() >= 1, "this kernel has no Landlock (Linux 5.13+)")
    assert landlock_abi() >= 1
