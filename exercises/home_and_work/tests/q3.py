OK_FORMAT = True

test = {
    "name": "q3",
    "points": 2,
    "suites": [
        {
            "cases": [
                {"code": ">>> isinstance(share_small_district, (float, np.floating)) and 0 <= share_small_district <= 1"
                         "\nTrue", "hidden": False, "points": 0},
                {"code": ">>> close(share_small_district, expected.share_small_district, rtol=0.001)\nTrue",
                 "hidden": True, "points": 2},
            ],
            "scored": True, "setup": "", "teardown": "", "type": "doctest",
        }
    ],
}
