OK_FORMAT = True

test = {
    "name": "q1",
    "points": 2,
    "suites": [
        {
            "cases": [
                {"code": ">>> isinstance(n_sensitive_fixes, (int, np.integer)) and n_sensitive_fixes >= 0\nTrue",
                 "hidden": False, "points": 0},
                {"code": ">>> isinstance(clinic_regulars, set) and all(isinstance(p, str) for p in clinic_regulars)"
                         "\nTrue", "hidden": False, "points": 0},
                {"code": ">>> n_sensitive_fixes == expected.n_sensitive_fixes\nTrue", "hidden": True, "points": 1},
                {"code": ">>> close(clinic_regulars, expected.clinic_regulars)\nTrue", "hidden": True, "points": 1},
            ],
            "scored": True, "setup": "", "teardown": "", "type": "doctest",
        }
    ],
}
