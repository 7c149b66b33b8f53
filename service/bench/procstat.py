"""CPU time of a process tree from /proc (Linux), in seconds.

A tree's CPU is, over its live processes, user + system time plus the time
of the children they have already reaped (``cutime``/``cstime``), so a
PostgreSQL backend that exits during the run (pgbench's, say) still counts
through the postmaster that waited for it.
"""

from __future__ import annotations

import os
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
PROC = Path("/proc")


def _stat(pid: int) -> list[str] | None:
    try:
        raw = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    # The command name (field 2) may hold spaces and parentheses: split after its last ')'.
    return raw[raw.rindex(")") + 2:].split()


def parent_of(pid: int) -> int | None:
    fields = _stat(pid)
    return int(fields[1]) if fields else None


def children_map() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in PROC.iterdir():
        if entry.name.isdigit():
            fields = _stat(int(entry.name))
            if fields:
                tree.setdefault(int(fields[1]), []).append(int(entry.name))
    return tree


def tree_pids(root: int) -> list[int]:
    tree = children_map()
    pids, todo = [], [root]
    while todo:
        pid = todo.pop()
        pids.append(pid)
        todo.extend(tree.get(pid, []))
    return pids


def tree_cpu(root: int) -> float:
    """CPU seconds used so far by ``root`` and all its descendants, living or reaped."""
    ticks = 0
    for pid in tree_pids(root):
        fields = _stat(pid)
        if fields:
            # after the name: state(0) ppid(1) ... utime(11) stime(12) cutime(13) cstime(14)
            ticks += sum(int(f) for f in fields[11:15])
    return ticks / TICKS


def available() -> bool:
    return (PROC / "self" / "stat").exists()
