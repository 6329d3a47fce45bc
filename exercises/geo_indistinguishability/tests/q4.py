OK_FORMAT = True

test = {
    "name": "q4",
    "points": 3,
    "suites": [
        {
            "cases": [
                {"code": ">>> bool(0 < cached_error_m < 2000)\nTrue", "hidden": False, "points": 0},
                {"code": ">>> bool(0 <= one_point_share <= 1)\nTrue", "hidden": False, "points": 0},
                {"code": ">>> close(cached_error_m, expected.cached_error_m, rtol=0.001)\nTrue", "hidden": True,
                 "points": 1.5},
                {"code": ">>> close(one_point_share, expected.one_point_share, rtol=0.001)\nTrue", "hidden": True,
                 "points": 1.5},
            ],
            "scored": True, "setup": "", "teardown": "", "type": "doctest",
        }
    ],
}
