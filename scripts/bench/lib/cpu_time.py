"""Runs a Python script as __main__ and writes the CPU time it took (user + system, ms) to a file.

`python cpu_time.py RECORD SCRIPT [ARGS...]`: the PGO benchmark times the training with it, since
CPU time, unlike wall time, hardly moves when other work shares the machine.
"""

import runpy
import sys
import time


def main() -> None:
    record, script, *rest = sys.argv[1:]
    sys.argv = [script, *rest]
    started = time.process_time()
    try:
        runpy.run_path(script, run_name="__main__")
    finally:
        with open(record, "w", encoding="utf-8") as out:
            out.write(str((time.process_time() - started) * 1000))


if __name__ == "__main__":
    main()
