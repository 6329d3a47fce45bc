OK_FORMAT = True

test = {
    "name": "q4",
    "points": 3,
    "suites": [
        {
            "cases": [
                {"code": ">>> isinstance(beta2, (float, np.floating)) and 0 < beta2 < 1\nTrue", "hidden": False,
                 "points": 0},
                {"code": ">>> isinstance(eps2_coarsest, (float, np.floating)) and 0 <= eps2_coarsest <= 1\nTrue",
                 "hidden": False, "points": 0},
                {"code": ">>> close(beta2, expected.beta2, rtol=0.001)\nTrue", "hidden": True, "points": 2},
                {"code": ">>> close(eps2_coarsest, expected.eps2_coarsest, rtol=0.001)\nTrue", "hidden": True,
                 "points": 1},
            ],
            "scored": True, "setup": "", "teardown": "", "type": "doctest",
        }
    ],
}
