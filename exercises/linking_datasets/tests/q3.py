OK_FORMAT = True

test = {
    "name": "q3",
    "points": 2,
    "suites": [
        {
            "cases": [
                {"code": ">>> len(ideal_by_k) == 3 and all(0 <= s <= 1 for s in ideal_by_k)\nTrue", "hidden": False,
                 "points": 0},
                {"code": ">>> len(top1_by_k) == 3 and all(0 <= s <= 1 for s in top1_by_k)\nTrue", "hidden": False,
                 "points": 0},
                {"code": ">>> all(a >= b for a, b in zip(top1_by_k, ideal_by_k))\nTrue", "hidden": False,
                 "points": 0},
                {"code": ">>> close(ideal_by_k, expected.ideal_by_k, rtol=0.001)\nTrue", "hidden": True, "points": 1},
                {"code": ">>> close(top1_by_k, expected.top1_by_k, rtol=0.001)\nTrue", "hidden": True, "points": 1},
            ],
            "scored": True, "setup": "", "teardown": "", "type": "doctest",
        }
    ],
}
