OK_FORMAT = True

test = {
    "name": "q1",
    "points": 2,
    "suites": [
        {
            "cases": [
                {"code": ">>> all(isinstance(s, (float, np.floating)) for s in (unique_dob, unique_year))\nTrue",
                 "hidden": False, "points": 0},
                {"code": ">>> 0 <= unique_year <= unique_dob <= 1\nTrue", "hidden": False, "points": 0},
                {"code": ">>> close(unique_dob, expected.unique_dob, rtol=0.001)\nTrue", "hidden": True, "points": 1},
                {"code": ">>> close(unique_year, expected.unique_year, rtol=0.001)\nTrue", "hidden": True,
                 "points": 1},
            ],
            "scored": True, "setup": "", "teardown": "", "type": "doctest",
        }
    ],
}
