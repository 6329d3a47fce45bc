OK_FORMAT = True

test = {
    "name": "q3",
    "points": 3,
    "suites": [
        {
            "cases": [
                {"code": ">>> len(scale_by_eps) == 4 and all(s > 0 for s in scale_by_eps)\nTrue", "hidden": False,
                 "points": 0},
                {"code": ">>> len(mae_by_eps) == 4 and all(m >= 0 for m in mae_by_eps)\nTrue", "hidden": False,
                 "points": 0},
                {"code": ">>> close(scale_by_eps, expected.scale_by_eps, rtol=0.001)\nTrue", "hidden": True,
                 "points": 1},
                {"code": ">>> close(mae_by_eps, expected.mae_by_eps, rtol=0.001)\nTrue", "hidden": True, "points": 2},
            ],
            "scored": True, "setup": "", "teardown": "", "type": "doctest",
        }
    ],
}
