OK_FORMAT = True

test = {
    "name": "q1",
    "points": 2,
    "suites": [
        {
            "cases": [
                {"code": ">>> isinstance(n_counts, (int, np.integer)) and n_counts > 0\nTrue", "hidden": False,
                 "points": 0},
                {"code": ">>> isinstance(n_single, (int, np.integer)) and 0 <= n_single <= n_counts\nTrue",
                 "hidden": False, "points": 0},
                {"code": ">>> n_counts == expected.n_counts\nTrue", "hidden": True, "points": 1},
                {"code": ">>> n_single == expected.n_single\nTrue", "hidden": True, "points": 1},
            ],
            "scored": True, "setup": "", "teardown": "", "type": "doctest",
        }
    ],
}
