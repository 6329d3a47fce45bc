OK_FORMAT = True

test = {
    "name": "q1",
    "points": 3,
    "suites": [{"cases": [
        {"code": ">>> isinstance(published_cells, int) and isinstance(withheld_cells, int)\nTrue", "hidden": False,
         "points": 0},
        {"code": ">>> published_cells > 0 and withheld_cells >= 0\nTrue", "hidden": False, "points": 0},
        {"code": ">>> published_cells == expected.published_cells\nTrue", "hidden": True, "points": 1.5},
        {"code": ">>> withheld_cells == expected.withheld_cells\nTrue", "hidden": True, "points": 1.5},
    ], "scored": True, "setup": "", "teardown": "", "type": "doctest"}],
}
