OK_FORMAT = True

test = {
    "name": "q1",
    "points": 2,
    "suites": [
        {
            "cases": [
                {"code": ">>> bool(np.isclose(epsilon * 200, np.log(4)))\nTrue", "hidden": False, "points": 0},
                {"code": ">>> isinstance(n_fixes, (int, np.integer)) and n_fixes > 0\nTrue", "hidden": False,
                 "points": 0},
                {"code": ">>> bool(0.95 < mean_move * epsilon / 2 < 1.05)\nTrue", "hidden": False, "points": 0},
                {"code": ">>> n_fixes == expected.n_fixes\nTrue", "hidden": True, "points": 0.5},
                {"code": ">>> close(mean_move, expected.mean_move, rtol=0.001)\nTrue", "hidden": True,
                 "points": 1.5},
            ],
            "scored": True, "setup": "", "teardown": "", "type": "doctest",
        }
    ],
}
