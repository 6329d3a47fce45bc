OK_FORMAT = True

test = {
    "name": "q2",
    "points": 2,
    "suites": [
        {
            "cases": [
                {"code": ">>> len(reid_by_width) == 5 and all(0 <= r <= 1 for r in reid_by_width)\nTrue",
                 "hidden": False, "points": 0},
                {"code": ">>> isinstance(best_width, (int, np.integer)) and best_width in (1, 2, 4, 6, 24)\nTrue",
                 "hidden": False, "points": 0},
                {"code": ">>> i = (1, 2, 4, 6, 24).index(best_width)\n"
                         ">>> r = reid_by_width\n"
                         ">>> r[i] == max(r) and all(x < r[i] for x in r[:i])\n"
                         "True",
                 "hidden": False, "points": 0},
                {"code": ">>> close(reid_by_width, expected.reid_by_width, rtol=0.001)\nTrue", "hidden": True,
                 "points": 1},
                {"code": ">>> best_width == expected.best_width\nTrue", "hidden": True, "points": 1},
            ],
            "scored": True, "setup": "", "teardown": "", "type": "doctest",
        }
    ],
}
