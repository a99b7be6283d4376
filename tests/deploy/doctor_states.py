"""A till's doctor for the role's tests: ``python doctor_states.py TILL_DIR``.

Prints what ``tui-pos doctor --json`` prints (its contract: schema_version, version,
healthy, exit_code, sale_in_progress, problems) in the states TILL_DIR/doctor.json
asks for, and exits as the doctor does (0 healthy, 1 not). Each call is one line of
TILL_DIR/doctor.log, so that a test can count the polls. doctor.json:
``{"busy_polls": N, "healthy": bool}``: a sale in progress for the first N calls
(-1: for ever), then none; healthy or not throughout.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def main(till: Path) -> int:
    states = json.loads((till / "doctor.json").read_text())
    log = till / "doctor.log"
    calls = len(log.read_text().splitlines()) + 1 if log.exists() else 1
    busy = states["busy_polls"] < 0 or calls <= states["busy_polls"]
    healthy = bool(states["healthy"])
    with log.open("a") as handle:
        handle.write(f"{calls} sale_in_progress={busy} healthy={healthy}\n")
    problems = [] if healthy else [{"code": "printer_not_ready", "message": "Printer: offline."}]
    exit_code = 0 if healthy else 1
    document = {
        "schema_version": 1,
        "version": "0.1.0",
        "healthy": healthy,
        "exit_code": exit_code,
        "sale_in_progress": busy,
        "problems": problems,
    }
    print(json.dumps(document, indent=2))
    return exit_code


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
