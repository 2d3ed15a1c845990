"""Spidermon suites run at the end of a run: the drift alarm (`drift`) and the outcome alerts (`alerts`)."""
