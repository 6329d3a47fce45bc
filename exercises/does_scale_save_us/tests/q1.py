OK_FORMAT = True

test = {
    "name": "q1",
    "points": 2,
    "suites": [
        {
            "cases": [
                {"code": ">>> len(eps_by_size) == 4 and all(0 <= e <= 1 for e in eps_by_size)\nTrue", "hidden": False,
                 "points": 0},
                {"code": ">>> all(isinstance(e, (float, np.floating)) for e in eps_by_size)\nTrue", "hidden": False,
                 "points": 0},
                {"code": ">>> close(eps_by_size, expected.eps_by_size, rtol=0.001)\nTrue", "hidden": True,
                 "points": 2},
            ],
            "scored": True, "setup": "", "teardown": "", "type": "doctest",
        }
    ],
}
