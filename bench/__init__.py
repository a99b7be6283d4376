"""Benchmarks for the till (issue 7): ``python -m bench`` prints every figure beside a
baseline measured in the same run. Not part of the test run, not shipped in the wheel."""
