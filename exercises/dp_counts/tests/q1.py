OK_FORMAT = True

test = {
    "name": "q1",
    "points": 2,
    "suites": [
        {
            "cases": [
                {"code": ">>> isinstance(max_pairs, (int, np.integer)) and max_pairs > 0\nTrue", "hidden": False,
                 "points": 0},
                {"code": ">>> isinstance(records_kept, (int, np.integer)) and records_kept > 0\nTrue",
                 "hidden": False, "points": 0},
                {"code": ">>> max_pairs == expected.max_pairs\nTrue", "hidden": True, "points": 1},
                {"code": ">>> records_kept == expected.records_kept\nTrue", "hidden": True, "points": 1},
            ],
            "scored": True, "setup": "", "teardown": "", "type": "doctest",
        }
    ],
}
