OK_FORMAT = True

test = {
    "name": "q3",
    "points": 2,
    "suites": [
        {
            "cases": [
                {"code": ">>> isinstance(eps1_rare, (float, np.floating)) and 0 <= eps1_rare <= 1\nTrue",
                 "hidden": False, "points": 0},
                {"code": ">>> close(eps1_rare, expected.eps1_rare, rtol=0.001)\nTrue", "hidden": True, "points": 2},
            ],
            "scored": True, "setup": "", "teardown": "", "type": "doctest",
        }
    ],
}
