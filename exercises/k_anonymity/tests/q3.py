OK_FORMAT = True

test = {
    "name": "q3",
    "points": 2,
    "suites": [
        {
            "cases": [
                {"code": ">>> isinstance(n_trashed, (int, np.integer)) and n_trashed >= 0\nTrue", "hidden": False,
                 "points": 0},
                {"code": ">>> isinstance(mean_moved_m, (float, np.floating)) and mean_moved_m >= 0\nTrue",
                 "hidden": False, "points": 0},
                {"code": ">>> n_trashed == expected.n_trashed\nTrue", "hidden": True, "points": 1},
                {"code": ">>> close(mean_moved_m, expected.mean_moved_m, rtol=0.001)\nTrue", "hidden": True,
                 "points": 1},
            ],
            "scored": True, "setup": "", "teardown": "", "type": "doctest",
        }
    ],
}
