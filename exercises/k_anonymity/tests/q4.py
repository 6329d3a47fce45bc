OK_FORMAT = True

test = {
    "name": "q4",
    "points": 2,
    "suites": [
        {
            "cases": [
                {"code": ">>> all(isinstance(e, (float, np.floating)) for e in (eps4_before, eps4_after))\nTrue",
                 "hidden": False, "points": 0},
                {"code": ">>> 0 <= eps4_before <= 1 and 0 <= eps4_after <= 1\nTrue", "hidden": False, "points": 0},
                {"code": ">>> close(eps4_before, expected.eps4_before, rtol=0.001)\nTrue", "hidden": True,
                 "points": 1},
                {"code": ">>> close(eps4_after, expected.eps4_after, rtol=0.001)\nTrue", "hidden": True, "points": 1},
            ],
            "scored": True, "setup": "", "teardown": "", "type": "doctest",
        }
    ],
}
