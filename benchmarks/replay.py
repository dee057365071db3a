"""``riverboat replay`` against pokerkit's own ``HandHistory`` replay of the same files.

Both are timed as whole commands (a fresh interpreter each run, start-up included), several
runs each, interleaved so that machine noise hits both alike.

    python benchmarks/replay.py [--runs 7] [PATH ...]     (default PATH: ../shared/phh)
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

POKERKIT_REPLAY = """
import sys, warnings
from pathlib import Path
from pokerkit import HandHistory
warnings.simplefilter("ignore")
paths = []
for raw in sys.argv[1:]:
    p = Path(raw)
    paths += sorted(p.rglob("*.phh")) if p.is_dir() else [p]
ok = failed = 0
for path in paths:
    try:
        with path.open("rb") as fp:
            for state in HandHistory.load(fp):
                pass
        ok += 1
    except Exception:
        failed += 1
print(f"pokerkit replayed {ok} hands, {failed} refused")
"""


def timed(command: list[str]) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    return elapsed, (done.stdout.strip().splitlines() or [""])[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("paths", nargs="*")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    default = Path(__file__).resolve().parents[2] / "shared" / "phh"
    paths = args.paths or [str(default)]
    script = Path(sys.executable).with_name("riverboat")  # the console script users run
    ours_cmd = [str(script), "replay", *paths]
    theirs_cmd = [sys.executable, "-c", POKERKIT_REPLAY, *paths]
    ours: list[float] = []
    theirs: list[float] = []
    for _ in range(args.runs):
        t, ours_line = timed(ours_cmd)
        ours.append(t)
        t, theirs_line = timed(theirs_cmd)
        theirs.append(t)
    o, p = statistics.median(ours), statistics.median(theirs)
    print(f"riverboat replay : median {o:.3f} s  (min {min(ours):.3f})  {ours_line}")
    print(f"pokerkit replay  : median {p:.3f} s  (min {min(theirs):.3f})  {theirs_line}")
    print(f"ratio pokerkit/riverboat: {p / o:.2f}x  ({args.runs} runs each, start-up included)")


if __name__ == "__main__":
    main()
