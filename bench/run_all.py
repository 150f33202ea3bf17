"""Run every benchmark in ``bench/`` one after the other, with its default sizes (``make bench``).

Each script prints its figures beside a baseline from the same run (the best configuration of the
alternative, named in its output); ``docs/benchmarks.md`` records them. ``service_data.py`` is the
service benchmarks' shared set-up, not a benchmark. ``bench_service.py`` installs ``wrk`` with apt-get
when it is missing. ``--quick`` runs each at a small size, to check the scripts work (minutes, not an hour).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent

QUICK = {
    "bench_transcoder.py": ["--events", "10000", "--repeat", "2"],
    "bench_commands.py": ["--meetings", "10", "--per-meeting", "5"],
    "bench_money.py": ["--forbund", "10", "--years", "5"],
    "bench_verify.py": ["--events", "20000"],
    "bench_witness.py": ["--events", "10000", "--repeat", "2"],
    "bench_actor.py": ["--meetings", "5", "--per-meeting", "5", "--repeat", "2"],
    "bench_documents.py": ["--repeat", "3"],
    "bench_growth.py": ["--meetings", "30", "--points", "10,30", "--repeat", "1"],
    "bench_pages.py": ["--requests", "20"],
    "bench_service.py": ["--seconds", "1", "--rounds", "1", "--memory-events", "5000", "--lag-samples", "20"],
    "bench_catchup.py": ["--events", "5000", "--rounds", "1"],
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes, to check the scripts run")
    args = parser.parse_args()
    failed = []
    for name, quick_args in QUICK.items():
        command = [sys.executable, str(HERE / name), *(quick_args if args.quick else [])]
        print(f"\n=== {' '.join(command[1:])}", flush=True)
        if subprocess.run(command, check=False).returncode != 0:
            failed.append(name)
    if failed:
        print(f"\nfailed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
