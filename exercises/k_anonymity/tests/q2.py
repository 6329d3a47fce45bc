OK_FORMAT = True

test = {
    "name": "q2",
    "points": 2,
    "suites": [
        {
            "cases": [
                {"code": ">>> all(isinstance(n, (int, np.integer)) for n in (n_suppressed, smallest_class))\nTrue",
                 "hidden": False, "points": 0},
                {"code": ">>> 0 <= n_suppressed <= 20 and smallest_class >= 5\nTrue", "hidden": False, "points": 0},
                {"code": ">>> n_suppressed == expected.n_suppressed\nTrue", "hidden": True, "points": 1},
                {"code": ">>> smallest_class == expected.smallest_class\nTrue", "hidden": True, "points": 1},
            ],
            "scored": True, "setup": "", "teardown": "", "type": "doctest",
        }
    ],
}
