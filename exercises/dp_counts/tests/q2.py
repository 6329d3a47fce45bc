OK_FORMAT = True

test = {
    "name": "q2",
    "points": 2,
    "suites": [
        {
            "cases": [
                {"code": ">>> isinstance(n_keys, (int, np.integer)) and n_keys > 0 and n_keys % 14 == 0\nTrue",
                 "hidden": False, "points": 0},
                {"code": ">>> isinstance(noisy_total, (int, np.integer)) and noisy_total >= 0\nTrue",
                 "hidden": False, "points": 0},
                {"code": ">>> n_keys == expected.n_keys\nTrue", "hidden": True, "points": 1},
                {"code": ">>> noisy_total == expected.noisy_total\nTrue", "hidden": True, "points": 1},
            ],
            "scored": True, "setup": "", "teardown": "", "type": "doctest",
        }
    ],
}
