OK_FORMAT = True

test = {
    "name": "q2",
    "points": 3,
    "suites": [
        {
            "cases": [
                {"code": ">>> isinstance(slope, (float, np.floating)) and slope < 0\nTrue", "hidden": False,
                 "points": 0},
                {"code": ">>> close(odds_per_tenfold, 10 ** -slope, rtol=1e-6)\nTrue", "hidden": False, "points": 0},
                {"code": ">>> isinstance(eps4_registry, (float, np.floating)) and 0 <= eps4_registry <= 1\nTrue",
                 "hidden": False, "points": 0},
                {"code": ">>> close(slope, expected.slope, rtol=0.001)\nTrue", "hidden": True, "points": 1},
                {"code": ">>> close(odds_per_tenfold, expected.odds_per_tenfold, rtol=0.001)\nTrue", "hidden": True,
                 "points": 1},
                {"code": ">>> close(eps4_registry, expected.eps4_registry, rtol=0.001)\nTrue", "hidden": True,
                 "points": 1},
            ],
            "scored": True, "setup": "", "teardown": "", "type": "doctest",
        }
    ],
}
