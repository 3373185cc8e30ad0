"""Rebuild the seed corpus in fuzz/corpus/ from examples/ (run after examples change).

hcl/   every .tf, .tf.json and .tfvars file of examples/
yaml/  every .yaml file of examples/
eval/  one input per Terraform example directory: its .tf files, then (after a ``#---`` line)
       the .tf files of the first local module it calls, then its terraform.tfvars
calls/ random bytes (fuzz_calls reads them as choices of function and arguments)
cloudformation/  every CloudFormation template of examples/ (YAML or CDK JSON), and templates
       written here that reach every intrinsic function
"""

from __future__ import annotations

import hashlib
import random
import re
import shutil
from pathlib import Path

FUZZ = Path(__file__).resolve().parent
EXAMPLES = FUZZ.parent / "examples"
CORPUS = FUZZ / "corpus"
SOURCE = re.compile(r'source\s*=\s*"(\.{1,2}/[^"]*)"')

# Hand-written seeds that reach what the examples do not: functions, for expressions,
# templates and directives, splats, dynamic expansion, cycles.
EXTRA_TERRAFORM = (
    """variable "envs" {
  type    = map(object({ phi = bool, models = list(string) }))
  default = {
    prod = { phi = true, models = ["claude-fable-5"] }
    dev  = { phi = false, models = [] }
  }
}
locals {
  names   = [for k, v in var.envs : upper(k) if v.phi]
  joined  = join(",", concat(local.names, ["x"]))
  tagged  = merge({ a = 1 }, { for k in keys(var.envs) : k => length(k) })
  text    = <<-EOT
    %{ for n in local.names ~}
    ${n}-${try(var.missing, "none")}
    %{ endfor ~}
  EOT
  picked  = lookup(var.envs, "prod", null) != null ? var.envs["prod"].models[0] : "none"
  numbers = [for i in range(3) : i * 2 + 1 % 2]
  formatted = format("%s-%03d-%v", "a", 7, true)
  spl     = split(",", local.joined)[*]
  coal    = coalesce("", null, lower("X"))
  set     = toset(tolist(["b", "a", "b"]))
  ok      = contains(values(local.tagged), 1) && !false || 2 >= 1
}
resource "anthropic_organization" "org" {
  name                = "org"
  type                = "api"
  zero_data_retention = local.ok
  baa_signed          = true
}
resource "anthropic_workspace" "ws" {
  for_each        = var.envs
  name            = "ws-${each.key}"
  organization_id = anthropic_organization.org.id
  phi             = each.value.phi
  models          = each.value.models
  tags            = { data_retention = each.key == "prod" ? "zdr" : "standard" }
}
resource "anthropic_workspace" "counted" {
  count  = length(local.names)
  name   = "c${count.index}"
  models = [local.picked]
}
""",
    """locals {
  a = local.b
  b = local.a
}
module "self" {
  source = "./m"
  x      = module.self.out
}
resource "anthropic_workspace" "w" {
  name     = local.a
  provider = anthropic.alias
  models   = [module.self.out]
}
#---
variable "x" {}
output "out" { value = var.x }
module "again" { source = "./again" }
resource "anthropic_workspace" "inner" { name = var.x }
#---
x = "from tfvars"
""",
)


MARKER = "AWS::AWSExternalAnthropic::Workspace"
_WORKSPACE = """  Ws:
    Type: AWS::AWSExternalAnthropic::Workspace
    Condition: {condition}
    Properties:
      Name: {name}
      Tags:
        - Key: {key}
          Value: {value}
"""
_PARAMETERS = """Parameters:
  Stage: {Type: String, Default: prod, AllowedValues: [dev, prod]}
  Open: {Type: String, AllowedValues: [dev, prod]}
  List: {Type: CommaDelimitedList, Default: "claude-fable-5,claude-haiku-4-5"}
  Ssm: {Type: "AWS::SSM::Parameter::Value<String>", Default: /x/y}
Mappings:
  M: {prod: {R: zdr}, dev: {R: standard}}
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
  IsOpen: !Or [!Equals [!Ref Open, prod], !Not [!Condition IsProd]]
  Both: !And [!Condition IsProd, !Equals [!Ref "AWS::Region", us-east-1]]
  Loop: !Not [!Condition Loop]
Resources:
"""
# Hand-written templates that reach what the examples do not: every intrinsic, short and long
# forms, choices, NoValue, cycles, unknowns.
EXTRA_CLOUDFORMATION = tuple(
    _PARAMETERS + _WORKSPACE.format(condition=c, name=n, key=k, value=v)
    for c, n, k, v in (
        ("IsProd", '!Sub "${Stage}-${!x}"', "data_retention", "!FindInMap [M, !Ref Stage, R]"),
        ("IsOpen", "!Join ['-', [a, !Ref 'AWS::Region']]", "models", "!Select [1, !Ref List]"),
        ("Both", "x", "phi", "!If [IsOpen, 'true', !Ref 'AWS::NoValue']"),
        ("Loop", "{'Fn::Sub': ['${A}', {A: !Ref Open}]}", "models", "!Split [',', 'a,b']"),
        ("IsProd", "!GetAtt Ws.Id", "products", "!Base64 claude-code"),
        ("Missing", "!ImportValue n", "data_retention", "'{{resolve:ssm:/r}}'"),
    )
)


def _write(kind: str, data: bytes) -> None:
    directory = CORPUS / kind
    directory.mkdir(parents=True, exist_ok=True)
    (directory / hashlib.sha1(data).hexdigest()[:16]).write_bytes(data)


def _tf_text(directory: Path) -> str:
    return "".join(p.read_text(encoding="utf-8") for p in sorted(directory.glob("*.tf")))


def build() -> None:
    shutil.rmtree(CORPUS, ignore_errors=True)
    for path in sorted(EXAMPLES.rglob("*")):
        if path.name.endswith((".tf", ".tf.json", ".tfvars")):
            _write("hcl", path.read_bytes())
        elif path.name.endswith((".yaml", ".yml")):
            _write("yaml", path.read_bytes())
        if path.name.endswith((".yaml", ".json", ".template")) and MARKER in path.read_text(
            encoding="utf-8"
        ):
            _write("cloudformation", path.read_bytes())
    for directory in sorted({p.parent for p in EXAMPLES.rglob("*.tf")}):
        root = _tf_text(directory)
        match = SOURCE.search(root)
        module = _tf_text((directory / match.group(1)).resolve()) if match else ""
        tfvars = directory / "terraform.tfvars"
        parts = [root, module, tfvars.read_text(encoding="utf-8") if tfvars.exists() else ""]
        _write("eval", "\n#---\n".join(parts).encode())
    for seed in EXTRA_TERRAFORM:
        _write("eval", seed.encode())
        _write("hcl", seed.split("\n#---\n")[0].encode())
    for seed in EXTRA_CLOUDFORMATION:
        _write("cloudformation", seed.encode())
    rng = random.Random(0)  # fuzz_calls reads bytes as choices: any bytes are a valid call
    for _ in range(32):
        _write("calls", bytes(rng.randrange(256) for _ in range(24)))


if __name__ == "__main__":
    build()
