#!/usr/bin/env python3
"""Names vnetctl's own functions that call a runtime function, from a callgrind output file.

    callers.py CALLGRIND.OUT NAME...

For each NAME (a substring of a mangled symbol, such as `_print_unlocked`, `MirrorV10reflecting`
or `describingSSx`, which are reflection), prints how many times each caller called it. Callers in
the libraries (ArgumentParser, Mustache, Yams) and in the Swift runtime and standard library are
left out: what is left is what vnetctl's code can change. Record with `valgrind --tool=callgrind
--demangle=no` so that the names stay mangled.
"""
import collections
import re
import sys

LIBRARIES = ("ArgumentParser", "Mustache", "Yams", "$ss", "swift_")


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__.strip().splitlines()[2].strip())
    path, targets = sys.argv[1], sys.argv[2:]
    names, callers = {}, collections.Counter()
    current = called = None
    with open(path, encoding="utf-8", errors="replace") as lines:
        for line in lines:
            line = line.rstrip("\n")
            if match := re.match(r"^(c?)fn=\((\d+)\)(?: (.*))?$", line):
                if match.group(3):
                    names[match.group(2)] = match.group(3)
                if match.group(1):
                    called = names.get(match.group(2))
                else:
                    current = names.get(match.group(2))
            elif (match := re.match(r"^calls=(\d+)", line)) and called:
                for target in targets:
                    if target in called and current and not any(lib in current for lib in LIBRARIES):
                        callers[(target, current)] += int(match.group(1))
                called = None
    for (target, caller), count in callers.most_common():
        print(f"{target}\t{count}\t{caller}")


if __name__ == "__main__":
    main()
