OK_FORMAT = True

test = {
    "name": "q4",
    "points": 3,
    "suites": [
        {
            "cases": [
                {"code": ">>> isinstance(eps4_coarse, (float, np.floating)) and 0 <= eps4_coarse <= 1\nTrue",
                 "hidden": False, "points": 0},
                {"code": ">>> isinstance(moved_m, (float, np.floating)) and moved_m > 0\nTrue", "hidden": False,
                 "points": 0},
                {"code": ">>> isinstance(tenfolds, (float, np.floating)) and tenfolds > 0\nTrue", "hidden": False,
                 "points": 0},
                {"code": ">>> close(eps4_coarse, expected.eps4_coarse, rtol=0.001)\nTrue", "hidden": True,
                 "points": 1},
                {"code": ">>> close(moved_m, expected.moved_m, rtol=0.001)\nTrue", "hidden": True, "points": 1},
                {"code": ">>> close(tenfolds, expected.tenfolds, rtol=0.001)\nTrue", "hidden": True, "points": 1},
            ],
            "scored": True, "setup": "", "teardown": "", "type": "doctest",
        }
    ],
}
