/**
 * Reads a CloudFormation YAML file (short-form intrinsics such as !Sub and !Ref included) as plain
 * JSON, with PyYAML (installed with cfn-lint): each tagged node becomes `{ "Fn::Tag": value }`.
 */
import { execFileSync } from "node:child_process";

const SCRIPT = `
import json, sys, yaml
class L(yaml.SafeLoader): pass
def tagged(loader, suffix, node):
    if isinstance(node, yaml.ScalarNode): v = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode): v = loader.construct_sequence(node, deep=True)
    else: v = loader.construct_mapping(node, deep=True)
    return {"Fn::" + suffix: v}
L.add_multi_constructor("!", tagged)
print(json.dumps(yaml.load(open(sys.argv[1]), Loader=L)))
`;

export function readCfnYaml(file: string): Record<string, unknown> {
  return JSON.parse(execFileSync("python3", ["-c", SCRIPT, file], { encoding: "utf8" }));
}
