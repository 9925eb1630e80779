"""``make bench``: speed figures as ratios against a floor measured in the same run.

Timings never go in the test suite (they depend on the machine and its load);
here every figure is printed next to a floor measured on the same machine in
the same run, so the ratio means something anywhere. Results are recorded in
docs/performance.md.
"""
