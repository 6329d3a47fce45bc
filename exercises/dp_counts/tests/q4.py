OK_FORMAT = True

test = {
    "name": "q4",
    "points": 2,
    "suites": [
        {
            "cases": [
                {"code": ">>> 0 < spent_eps <= 2 and isinstance(third_refused, (bool, np.bool_))\nTrue",
                 "hidden": False, "points": 0},
                {"code": ">>> isinstance(weekly_total, (int, np.integer)) and weekly_total >= 0\nTrue",
                 "hidden": False, "points": 0},
                {"code": ">>> close(spent_eps, expected.spent_eps, rtol=0.001)\nTrue", "hidden": True, "points": 0.5},
                {"code": ">>> third_refused == expected.third_refused\nTrue", "hidden": True, "points": 0.5},
                {"code": ">>> weekly_total == expected.weekly_total\nTrue", "hidden": True, "points": 1},
            ],
            "scored": True, "setup": "", "teardown": "", "type": "doctest",
        }
    ],
}
