OK_FORMAT = True

test = {
    "name": "q1",
    "points": 2,
    "suites": [
        {
            "cases": [
                {"code": ">>> isinstance(n_pairs, (int, np.integer)) and n_pairs > 0\nTrue", "hidden": False,
                 "points": 0},
                {"code": ">>> n_pairs == expected.n_pairs\nTrue", "hidden": True, "points": 2},
            ],
            "scored": True, "setup": "", "teardown": "", "type": "doctest",
        }
    ],
}
