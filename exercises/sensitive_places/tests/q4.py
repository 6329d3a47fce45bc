OK_FORMAT = True

test = {
    "name": "q4",
    "points": 3,
    "suites": [
        {
            "cases": [
                {"code": ">>> isinstance(rows_kept, (float, np.floating)) and 0 < rows_kept <= 1\nTrue",
                 "hidden": False, "points": 0},
                {"code": ">>> isinstance(dropped_accuracy, (float, np.floating)) and 0 <= dropped_accuracy <= 1\n"
                         "True", "hidden": False, "points": 0},
                {"code": ">>> isinstance(dropped_base_rate, (float, np.floating)) and 0 < dropped_base_rate <= 1\n"
                         "True", "hidden": False, "points": 0},
                {"code": ">>> close(rows_kept, expected.rows_kept, rtol=0.001)\nTrue", "hidden": True, "points": 1},
                {"code": ">>> close(dropped_accuracy, expected.dropped_accuracy, rtol=0.001)\nTrue", "hidden": True,
                 "points": 1},
                {"code": ">>> close(dropped_base_rate, expected.dropped_base_rate, rtol=0.001)\nTrue", "hidden": True,
                 "points": 1},
            ],
            "scored": True, "setup": "", "teardown": "", "type": "doctest",
        }
    ],
}
