#!/usr/bin/env python3
"""Compares coconut's findings with ansible-lint's on the same files (tests/integration/ansible_lint.sh).

Each coconut finding whose rule has an alias "ansible-lint:<tag>" becomes (tag, file, line);
each ansible-lint codeclimate issue whose check_name is one of those tags becomes the same.
Prints the agreement rate |both| / |either|, every disagreement, and per-tag counts; exits 1
below --min percent, when ansible-lint could not load a file (syntax-check, load-failure,
parser-error), or when an aliased tag fires nowhere (the corpus must exercise every rule).
"""
import argparse
import collections
import json
import sys

PREFIX = "ansible-lint:"
FATAL = ("syntax-check", "load-failure", "parser-error", "internal-error")


def norm(path):
    return path[2:] if path.startswith("./") else path


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rules", required=True)
    ap.add_argument("--ansible-lint", required=True)
    ap.add_argument("--coconut", required=True)
    ap.add_argument("--min", type=float, default=95.0)
    args = ap.parse_args()

    with open(args.rules) as f:
        rules = json.load(f)
    if isinstance(rules, dict):
        rules = rules.get("rules", [])
    tag_of_rule = {}
    for r in rules:
        for a in r.get("aliases", []):
            if a.startswith(PREFIX):
                tag_of_rule[r["id"]] = a[len(PREFIX):]
    tags = set(tag_of_rule.values())
    if not tags:
        print("no coconut rule has an ansible-lint alias")
        return 1

    with open(args.ansible_lint) as f:
        al_issues = json.load(f)
    with open(args.coconut) as f:
        coconut = json.load(f)

    failed = False
    theirs = set()
    for i in al_issues:
        name = i.get("check_name", "")
        path = norm(i["location"]["path"])
        line = i["location"].get("lines", {}).get("begin") or i["location"].get("positions", {}).get("begin", {}).get("line")
        if name.split("[")[0] in FATAL:
            print(f"ansible-lint could not process {path}:{line}: {name}: {i.get('description')}")
            failed = True
        if name in tags:
            theirs.add((name, path, int(line)))

    ours = set()
    for f in coconut.get("findings", []):
        tag = tag_of_rule.get(f["rule"])
        if tag is None:
            if f["rule"] == "PARSE-ERROR":
                print(f"coconut could not read {f['file']}:{f['line']}: {f['message']}")
                failed = True
            continue
        ours.add((tag, norm(f["file"]), int(f["line"])))

    both = ours & theirs
    either = ours | theirs
    rate = 100.0 * len(both) / len(either) if either else 100.0
    print(f"compared tags ({len(tags)}): {', '.join(sorted(tags))}")
    print(f"ansible-lint: {len(theirs)} findings, coconut: {len(ours)}, both: {len(both)}")
    print(f"agreement: {rate:.1f} % (threshold {args.min:.1f} %)")

    only_theirs = sorted(theirs - ours, key=lambda t: (t[1], t[2], t[0]))
    only_ours = sorted(ours - theirs, key=lambda t: (t[1], t[2], t[0]))
    for tag, path, line in only_theirs:
        print(f"  only ansible-lint: {path}:{line}: {tag}")
    for tag, path, line in only_ours:
        print(f"  only coconut:      {path}:{line}: {tag}")

    per_tag = collections.Counter(t[0] for t in theirs)
    per_tag_ours = collections.Counter(t[0] for t in ours)
    print("per tag (ansible-lint / coconut):")
    for tag in sorted(tags):
        print(f"  {tag:28} {per_tag[tag]:3} / {per_tag_ours[tag]:3}")
        if per_tag[tag] == 0 and per_tag_ours[tag] == 0:
            print(f"  ^ {tag} fires on no corpus file: add a case for it")
            failed = True

    if rate < args.min:
        print(f"agreement {rate:.1f} % is below {args.min:.1f} %")
        failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
