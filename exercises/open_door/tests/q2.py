OK_FORMAT = True

test = {
    "name": "q2",
    "points": 10,
    "suites": [{"cases": [
        {"code": ">>> isinstance(policy_sql, str) and 'GRANT' in policy_sql.upper()\nTrue", "hidden": False,
         "points": 0},
        {"code": ">>> probed.applied\nTrue", "hidden": True, "points": 1},
        {"code": ">>> probed.counts_allowed and probed.counts_match\nTrue", "hidden": True, "points": 3},
        {"code": ">>> probed.small_counts_hidden\nTrue", "hidden": True, "points": 2},
        {"code": ">>> probed.denied_name and probed.denied_national_id and probed.denied_birth_date\nTrue",
         "hidden": True, "points": 1.5},
        {"code": ">>> probed.denied_community and probed.denied_address and probed.denied_employer\nTrue",
         "hidden": True, "points": 1.5},
        {"code": ">>> probed.sightings_denied and probed.records_denied\nTrue", "hidden": True, "points": 1},
    ], "scored": True, "setup": "", "teardown": "", "type": "doctest"}],
}
