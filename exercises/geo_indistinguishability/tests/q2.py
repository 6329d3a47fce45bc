OK_FORMAT = True

test = {
    "name": "q2",
    "points": 2,
    "suites": [
        {
            "cases": [
                {"code": ">>> bool(550 < r90 < 570)\nTrue", "hidden": False, "points": 0},
                {"code": ">>> isinstance(n_beyond_r90, (int, np.integer)) and 0.08 < n_beyond_r90 / n_fixes < 0.12\n"
                         "True", "hidden": False, "points": 0},
                {"code": ">>> close(r90, expected.r90, rtol=0.001)\nTrue", "hidden": True, "points": 0.5},
                {"code": ">>> n_beyond_r90 == expected.n_beyond_r90\nTrue", "hidden": True, "points": 1.5},
            ],
            "scored": True, "setup": "", "teardown": "", "type": "doctest",
        }
    ],
}
