"""Rebuild the seed corpus in fuzz/corpus/ from examples/ (run after examples change).

hcl/   every .tf, .tf.json and .tfvars file of examples/
yaml/  every .yaml file of examples/
eval/  one input per Terraform example directory: its .tf files, then (after a ``#---`` line)
       the .tf files of the first local module it calls, then its terraform.tfvars
calls/ random bytes (fuzz_calls reads them as choices of function and arguments)
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
    rng = random.Random(0)  # fuzz_calls reads bytes as choices: any bytes are a valid call
    for _ in range(32):
        _write("calls", bytes(rng.randrange(256) for _ in range(24)))


if __name__ == "__main__":
    build()
