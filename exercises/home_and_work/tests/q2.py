OK_FORMAT = True

test = {
    "name": "q2",
    "points": 2,
    "suites": [
        {
            "cases": [
                {"code": ">>> len(share_unique) == 3 and all(0 <= s <= 1 for s in share_unique)\nTrue",
                 "hidden": False, "points": 0},
                # The cells nest, so a pair alone in its district cells is alone in its tract and block cells.
                {"code": ">>> share_unique[0] >= share_unique[1] >= share_unique[2]\nTrue", "hidden": False,
                 "points": 0},
                {"code": ">>> close(share_unique, expected.share_unique, rtol=0.001)\nTrue", "hidden": True,
                 "points": 2},
            ],
            "scored": True, "setup": "", "teardown": "", "type": "doctest",
        }
    ],
}
