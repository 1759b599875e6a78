"""Fails when a module in app/ is over 400 lines or a function's cyclomatic complexity is over 15 (radon).

Keeps the layout a newcomer can read: split a module or a function before it grows past these."""
import sys
from pathlib import Path

from radon.complexity import cc_visit

MAX_LINES = 400
MAX_COMPLEXITY = 15

problems = []
for path in sorted(Path("app").rglob("*.py")):
    source = path.read_text(encoding="utf-8")
    lines = source.count("\n")
    if lines > MAX_LINES:
        problems.append(f"{path}: {lines} lines (at most {MAX_LINES})")
    for block in cc_visit(source):
        if block.complexity > MAX_COMPLEXITY:
            problems.append(f"{path}:{block.lineno} {block.fullname}: complexity {block.complexity} "
                            f"(at most {MAX_COMPLEXITY})")
print("\n".join(problems) or f"Every module is {MAX_LINES} lines or fewer; every function complexity "
      f"{MAX_COMPLEXITY} or less.")
sys.exit(1 if problems else 0)
