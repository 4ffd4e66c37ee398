#!/usr/bin/env python3
"""What PyYAML (Debian's python3-yaml; test-only) loads, for tests/unit/yaml_pyyaml_test.cpp.

stdin:  a JSON array of {"name": ..., "text": ...}
stdout: a JSON array, one entry per input in order:
        {"name": ..., "ok": true, "docs": [<document>, ...]}   (yaml.load_all)
        {"name": ..., "ok": false, "error": "<PyYAML's message>"}

The loader is PyYAML's SafeLoader with two changes so that its data is comparable with
coconut's tree read in the YAML 1.1 dialect:
  - a timestamp stays the text it was written as (coconut keeps timestamps as text);
  - a local tag (CloudFormation's !Ref, !Sub, !GetAtt...) builds the node under it as if
    untagged (SafeLoader refuses unknown tags; coconut keeps the tag beside the data).
Mapping keys become JSON keys as json.dumps makes them (True -> "true", None -> "null").
"""
import json
import sys

import yaml


class Loader(yaml.SafeLoader):
    pass


def timestamp_as_text(loader, node):
    return loader.construct_scalar(node)


def local_tag(loader, suffix, node):
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    return loader.construct_mapping(node, deep=True)


Loader.add_constructor("tag:yaml.org,2002:timestamp", timestamp_as_text)
Loader.add_multi_constructor("!", local_tag)


def main():
    out = []
    for item in json.load(sys.stdin):
        entry = {"name": item["name"]}
        try:
            entry["docs"] = list(yaml.load_all(item["text"], Loader=Loader))
            entry["ok"] = True
            json.dumps(entry["docs"])  # data JSON cannot hold is a test-table mistake
        except yaml.YAMLError as e:
            entry = {"name": item["name"], "ok": False, "error": str(e)}
        out.append(entry)
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
