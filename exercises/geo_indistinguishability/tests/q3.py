OK_FORMAT = True

test = {
    "name": "q3",
    "points": 3,
    "suites": [
        {
            "cases": [
                {"code": ">>> isinstance(n_night_phones, (int, np.integer)) and n_night_phones > 0\nTrue",
                 "hidden": False, "points": 0},
                {"code": ">>> bool(0 < attack_error_m < 1000)\nTrue", "hidden": False, "points": 0},
                {"code": ">>> n_night_phones == expected.n_night_phones\nTrue", "hidden": True, "points": 1},
                {"code": ">>> close(attack_error_m, expected.attack_error_m, rtol=0.001)\nTrue", "hidden": True,
                 "points": 2},
            ],
            "scored": True, "setup": "", "teardown": "", "type": "doctest",
        }
    ],
}
