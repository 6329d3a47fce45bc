OK_FORMAT = True

test = {
    "name": "q3",
    "points": 2,
    "suites": [
        {
            "cases": [
                {"code": ">>> isinstance(eps4_city, (float, np.floating)) and 0 <= eps4_city <= 1\nTrue",
                 "hidden": False, "points": 0},
                {"code": ">>> isinstance(eps5_city, (float, np.floating)) and 0 <= eps5_city <= 1\nTrue",
                 "hidden": False, "points": 0},
                {"code": ">>> close(eps4_city, expected.eps4_city, rtol=0.001)\nTrue", "hidden": True, "points": 1},
                {"code": ">>> close(eps5_city, expected.eps5_city, rtol=0.001)\nTrue", "hidden": True, "points": 1},
            ],
            "scored": True, "setup": "", "teardown": "", "type": "doctest",
        }
    ],
}
