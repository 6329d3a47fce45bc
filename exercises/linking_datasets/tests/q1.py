OK_FORMAT = True

test = {
    "name": "q1",
    "points": 3,
    "suites": [
        {
            "cases": [
                {"code": ">>> isinstance(n_names, (int, np.integer)) and n_names > 0\nTrue", "hidden": False,
                 "points": 0},
                {"code": ">>> all(isinstance(a, (float, np.floating)) for a in (top1_names, top5_names))\nTrue",
                 "hidden": False, "points": 0},
                {"code": ">>> 0 <= top1_names <= top5_names <= 1\nTrue", "hidden": False, "points": 0},
                {"code": ">>> n_names == expected.n_names\nTrue", "hidden": True, "points": 1},
                {"code": ">>> close(top1_names, expected.top1_names, rtol=0.001)\nTrue", "hidden": True,
                 "points": 1},
                {"code": ">>> close(top5_names, expected.top5_names, rtol=0.001)\nTrue", "hidden": True,
                 "points": 1},
            ],
            "scored": True, "setup": "", "teardown": "", "type": "doctest",
        }
    ],
}
