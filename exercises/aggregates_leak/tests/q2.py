OK_FORMAT = True

test = {
    "name": "q2",
    "points": 3,
    "suites": [
        {
            "cases": [
                {"code": ">>> isinstance(n_subscribers, (int, np.integer)) and n_subscribers > 0\nTrue",
                 "hidden": False, "points": 0},
                {"code": ">>> isinstance(accuracy_raw, (float, np.floating)) and 0 <= accuracy_raw <= 1\nTrue",
                 "hidden": False, "points": 0},
                {"code": ">>> close(times_chance, accuracy_raw * n_subscribers, rtol=1e-6)\nTrue", "hidden": False,
                 "points": 0},
                {"code": ">>> n_subscribers == expected.n_subscribers\nTrue", "hidden": True, "points": 1},
                {"code": ">>> close(accuracy_raw, expected.accuracy_raw, rtol=0.001)\nTrue", "hidden": True,
                 "points": 1},
                {"code": ">>> close(times_chance, expected.times_chance, rtol=0.001)\nTrue", "hidden": True,
                 "points": 1},
            ],
            "scored": True, "setup": "", "teardown": "", "type": "doctest",
        }
    ],
}
