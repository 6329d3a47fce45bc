OK_FORMAT = True

test = {
    "name": "q4",
    "points": 3,
    "suites": [
        {
            "cases": [
                {"code": ">>> len(top_unique) == 3 and all(0 <= s <= 1 for s in top_unique)\nTrue", "hidden": False,
                 "points": 0},
                {"code": ">>> close(top_unique, expected.top_unique, rtol=0.001)\nTrue", "hidden": True, "points": 3},
            ],
            "scored": True, "setup": "", "teardown": "", "type": "doctest",
        }
    ],
}
