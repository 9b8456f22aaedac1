"""tools/test-summary.py RESULTS.json LABEL

A total and a line per test suite of a Criterion run (its --json output),
the failing tests named; with TEST_BRIEF=1 in the environment the suites are
listed only when one fails.  Exit status 1 if any test failed or crashed."""
import json
import os
import sys

with open(sys.argv[1], encoding="utf-8") as f:
    run = json.load(f)
label = sys.argv[2]
bad = 0
print(f"{label}: {run['passed']} of {run['passed'] + run['failed'] + run['errored']} tests passed")
lines = []
for suite in sorted(run["test_suites"], key=lambda s: s["name"]):
    tests = suite["tests"]
    failing = [t["name"] for t in tests if t["status"] not in ("PASSED", "SKIPPED")]
    bad += len(failing)
    mark = "ok" if not failing else "FAILED: " + ", ".join(failing)
    lines.append(f"  {suite['name']:<34} {len(tests) - len(failing):>3}/{len(tests):<3} {mark}")
if bad or not os.environ.get("TEST_BRIEF"):
    print("\n".join(lines))
sys.exit(1 if bad or run["failed"] or run["errored"] else 0)
