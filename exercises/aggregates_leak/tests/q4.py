OK_FORMAT = True

test = {
    "name": "q4",
    "points": 3,
    "suites": [
        {
            "cases": [
                {"code": ">>> isinstance(share_withheld, (float, np.floating)) and 0 <= share_withheld <= 1\nTrue",
                 "hidden": False, "points": 0},
                {"code": ">>> isinstance(accuracy_k5, (float, np.floating)) and 0 <= accuracy_k5 <= 1\nTrue",
                 "hidden": False, "points": 0},
                {"code": ">>> isinstance(auc_k5, (float, np.floating)) and 0 <= auc_k5 <= 1\nTrue", "hidden": False,
                 "points": 0},
                {"code": ">>> close(share_withheld, expected.share_withheld, rtol=0.001)\nTrue", "hidden": True,
                 "points": 1},
                {"code": ">>> close(accuracy_k5, expected.accuracy_k5, rtol=0.001)\nTrue", "hidden": True,
                 "points": 1},
                {"code": ">>> close(auc_k5, expected.auc_k5, rtol=0.001)\nTrue", "hidden": True, "points": 1},
            ],
            "scored": True, "setup": "", "teardown": "", "type": "doctest",
        }
    ],
}
