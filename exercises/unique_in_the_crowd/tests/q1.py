OK_FORMAT = True

test = {
    "name": "q1",
    "points": 3,
    "suites": [
        {
            "cases": [
                {"code": ">>> len(eps_by_p) == 4 and all(0 <= e <= 1 for e in eps_by_p)\nTrue", "hidden": False,
                 "points": 0},
                {"code": ">>> isinstance(skipped4, (int, np.integer)) and skipped4 >= 0\nTrue", "hidden": False,
                 "points": 0},
                {"code": ">>> close(eps_by_p, expected.eps_by_p, rtol=0.001)\nTrue", "hidden": True, "points": 2},
                {"code": ">>> skipped4 == expected.skipped4\nTrue", "hidden": True, "points": 1},
            ],
            "scored": True, "setup": "", "teardown": "", "type": "doctest",
        }
    ],
}
