OK_FORMAT = True

test = {
    "name": "q2",
    "points": 2,
    "suites": [
        {
            "cases": [
                {"code": ">>> len(eps_towers) == 6 and all(0 <= e <= 1 for e in eps_towers)\nTrue", "hidden": False,
                 "points": 0},
                {"code": ">>> isinstance(p_75, (int, np.integer)) and 1 <= p_75 <= 6\nTrue", "hidden": False,
                 "points": 0},
                {"code": ">>> eps_towers[p_75 - 1] >= 0.75 and all(e < 0.75 for e in eps_towers[:p_75 - 1])\nTrue",
                 "hidden": False, "points": 0},
                {"code": ">>> close(eps_towers, expected.eps_towers, rtol=0.001)\nTrue", "hidden": True,
                 "points": 1},
                {"code": ">>> p_75 == expected.p_75\nTrue", "hidden": True, "points": 1},
            ],
            "scored": True, "setup": "", "teardown": "", "type": "doctest",
        }
    ],
}
