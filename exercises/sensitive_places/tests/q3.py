OK_FORMAT = True

test = {
    "name": "q3",
    "points": 2,
    "suites": [
        {
            "cases": [
                {"code": ">>> isinstance(median_home_error_m, (float, np.floating)) and median_home_error_m >= 0\nTrue",
                 "hidden": False, "points": 0},
                {"code": ">>> isinstance(homes_within_100m, (int, np.integer)) and homes_within_100m >= 0\nTrue",
                 "hidden": False, "points": 0},
                {"code": ">>> close(median_home_error_m, expected.median_home_error_m, rtol=0.001)\nTrue",
                 "hidden": True, "points": 1},
                {"code": ">>> homes_within_100m == expected.homes_within_100m\nTrue", "hidden": True, "points": 1},
            ],
            "scored": True, "setup": "", "teardown": "", "type": "doctest",
        }
    ],
}
