"""Pure evaluation rules on plain values (aggregation, thresholds, ties, matchfunding).

No I/O and no sessions: the services hand plain values in and get results out.
"""
