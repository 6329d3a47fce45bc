OK_FORMAT = True

test = {
    "name": "q3",
    "points": 2,
    "suites": [
        {
            "cases": [
                {"code": ">>> isinstance(auc_raw, (float, np.floating)) and 0 <= auc_raw <= 1\nTrue", "hidden": False,
                 "points": 0},
                {"code": ">>> close(auc_raw, expected.auc_raw, rtol=0.001)\nTrue", "hidden": True, "points": 2},
            ],
            "scored": True, "setup": "", "teardown": "", "type": "doctest",
        }
    ],
}
