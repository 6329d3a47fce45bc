OK_FORMAT = True

test = {
    "name": "q4",
    "points": 3,
    "suites": [
        {
            "cases": [
                {"code": ">>> all(isinstance(a, (float, np.floating)) and 0 <= a <= 1\n"
                         "...     for a in (shifted_1h, shifted_4h, moved_400))\nTrue",
                 "hidden": False, "points": 0},
                {"code": ">>> close(shifted_1h, expected.shifted_1h, rtol=0.001)\nTrue", "hidden": True, "points": 1},
                {"code": ">>> close(shifted_4h, expected.shifted_4h, rtol=0.001)\nTrue", "hidden": True, "points": 1},
                {"code": ">>> close(moved_400, expected.moved_400, rtol=0.001)\nTrue", "hidden": True, "points": 1},
            ],
            "scored": True, "setup": "", "teardown": "", "type": "doctest",
        }
    ],
}
