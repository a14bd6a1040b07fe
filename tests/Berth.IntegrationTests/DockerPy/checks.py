"""What the docker-py scripts share: one printed line per check, and exit non-zero at the first failure."""
import sys


def check(name, condition, detail=""):
    if not condition:
        print(f"FAIL {name}: {detail}")
        sys.exit(1)
    print(f"ok {name}")
