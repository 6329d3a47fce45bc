OK_FORMAT = True

test = {
    "name": "q2",
    "points": 3,
    "suites": [
        {
            "cases": [
                {"code": ">>> isinstance(gps_covered, (int, np.integer)) and gps_covered >= 0\nTrue", "hidden": False,
                 "points": 0},
                {"code": ">>> isinstance(gps_accuracy, (float, np.floating)) and 0 <= gps_accuracy <= 1\nTrue",
                 "hidden": False, "points": 0},
                {"code": ">>> isinstance(gps_base_rate, (float, np.floating)) and 0 < gps_base_rate <= 1\nTrue",
                 "hidden": False, "points": 0},
                {"code": ">>> gps_covered == expected.gps_covered\nTrue", "hidden": True, "points": 1},
                {"code": ">>> close(gps_accuracy, expected.gps_accuracy, rtol=0.001)\nTrue", "hidden": True,
                 "points": 1},
                {"code": ">>> close(gps_base_rate, expected.gps_base_rate, rtol=0.001)\nTrue", "hidden": True,
                 "points": 1},
            ],
            "scored": True, "setup": "", "teardown": "", "type": "doctest",
        }
    ],
}
