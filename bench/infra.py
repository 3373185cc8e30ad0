# ruff: noqa: E501 (HCL templates: their lines are as long as the Terraform they stand for)
"""Realistic AWS/GCP Terraform text for the benchmark corpus (no anthropic_* resources here).

Every function takes a :class:`random.Random` and returns HCL text; the corpus generator
decides where it goes. The text exercises what real monorepos contain: nested and dynamic
blocks, ``for_each``/``count``, ``for`` expressions, heredocs, ``jsonencode`` policies, comments
of all three kinds, conditionals, splats and interpolation. It must parse with python-hcl2
(``hcl2.loads``) and with baa-lint's own front end.
"""

from __future__ import annotations

import random

REGIONS_AWS = ["us-east-1", "us-east-2", "us-west-2", "eu-west-1", "eu-central-1", "ap-south-1"]
REGIONS_GCP = ["us-central1", "us-east4", "europe-west1", "europe-west4", "asia-south1"]
WORDS = [
    "alpha", "beacon", "cedar", "delta", "ember", "falcon", "granite", "harbor", "iris",
    "juniper", "kestrel", "lumen", "maple", "nimbus", "onyx", "pylon", "quartz", "raven",
    "summit", "tundra", "umber", "vector", "willow", "xenon", "yonder", "zephyr",
]  # fmt: skip
INSTANCE_TYPES = ["t3.medium", "t3.large", "m6i.large", "m6i.xlarge", "c6i.2xlarge", "r6i.large"]
MACHINE_TYPES = ["e2-standard-4", "n2-standard-8", "n2-highmem-4", "c2-standard-8"]


def ident(rng: random.Random, parts: int = 2) -> str:
    return "_".join(rng.choice(WORDS) for _ in range(parts))


def dashed(rng: random.Random, parts: int = 2) -> str:
    return "-".join(rng.choice(WORDS) for _ in range(parts))


def comment(rng: random.Random, indent: str = "") -> str:
    style = rng.random()
    text = rng.choice(
        [
            "Managed by the platform team; change through a pull request.",
            "TODO: tighten this once the migration finishes.",
            "Keep in sync with the runbook.",
            "Values below come from the capacity review.",
            "Do not remove: referenced by the billing export.",
            "See ADR-0042 for the reasoning behind this layout.",
        ]
    )
    if style < 0.6:
        return f"{indent}# {text}"
    if style < 0.85:
        return f"{indent}// {text}"
    return f"{indent}/* {text} */"


def tag_map(rng: random.Random, indent: str, extra: int = 0) -> str:
    keys = ["Owner", "CostCenter", "DataClass", "Service", "Tier", "Compliance", "Runbook"]
    rng.shuffle(keys)
    lines = [
        f'{indent}  {k:<11}= "{dashed(rng, 1)}-{rng.randint(1, 99)}"' for k in keys[: 2 + extra]
    ]
    return "{\n" + "\n".join(lines) + f"\n{indent}}}"


# ----------------------------------------------------------------------------------------
# Variables, outputs, versions, providers
# ----------------------------------------------------------------------------------------


def variable_block(rng: random.Random, name: str) -> str:
    kind = rng.random()
    description = f"{name.replace('_', ' ').capitalize()} for this stack."
    if kind < 0.35:
        default = f'"{dashed(rng)}"'
        body = f"  type        = string\n  default     = {default}"
    elif kind < 0.5:
        body = f"  type        = number\n  default     = {rng.choice([1, 2, 3, 5, 30, 90, 365])}"
    elif kind < 0.62:
        body = f"  type        = bool\n  default     = {rng.choice(['true', 'false'])}"
    elif kind < 0.75:
        items = ", ".join(f'"{dashed(rng, 1)}"' for _ in range(rng.randint(0, 4)))
        body = f"  type        = list(string)\n  default     = [{items}]"
    elif kind < 0.87:
        body = "  type        = map(string)\n  default     = {}"
    else:
        body = (
            "  type = object({\n"
            "    enabled       = bool\n"
            "    retention     = optional(number, 30)\n"
            "    subnets       = optional(list(string), [])\n"
            "    labels        = optional(map(string), {})\n"
            "  })\n"
            "  default = {\n"
            "    enabled = true\n"
            "  }"
        )
    validation = ""
    if kind < 0.35 and rng.random() < 0.3:
        validation = (
            "\n\n  validation {\n"
            f'    condition     = length(var.{name}) > 2 && can(regex("^[a-z0-9-]+$", var.{name}))\n'
            f'    error_message = "The {name} value must be lowercase letters, digits and dashes."\n'
            "  }"
        )
    return f'variable "{name}" {{\n  description = "{description}"\n{body}{validation}\n}}\n'


def variables_file(rng: random.Random, names: list[str]) -> str:
    return "\n".join(variable_block(rng, n) for n in names)


def outputs_file(rng: random.Random, refs: list[str]) -> str:
    blocks = []
    for ref in refs:
        name = ref.replace(".", "_").replace("[", "_").replace("]", "").replace('"', "")
        sensitive = "\n  sensitive   = true" if rng.random() < 0.1 else ""
        blocks.append(
            f'output "{name}" {{\n  description = "Exported {ref}."\n  value       = {ref}{sensitive}\n}}\n'
        )
    return "\n".join(blocks)


def versions_file(rng: random.Random, cloud: str, with_backend: str | None = None) -> str:
    if cloud == "aws":
        version = f'"~> 5.{rng.randint(20, 70)}"'
        providers = (
            f'    aws = {{\n      source  = "hashicorp/aws"\n      version = {version}\n    }}\n'
        )
    else:
        version = f'">= 5.{rng.randint(0, 40)}, < 7.0"'
        providers = f'    google = {{\n      source  = "hashicorp/google"\n      version = {version}\n    }}\n'
    providers += (
        '    random = {\n      source  = "hashicorp/random"\n      version = "~> 3.6"\n    }\n'
    )
    backend = ""
    if with_backend:
        if cloud == "aws":
            backend = (
                '\n  backend "s3" {\n'
                '    bucket         = "acme-terraform-state"\n'
                f'    key            = "{with_backend}/terraform.tfstate"\n'
                '    region         = "us-east-1"\n'
                '    dynamodb_table = "terraform-locks"\n'
                "    encrypt        = true\n"
                "  }\n"
            )
        else:
            backend = (
                '\n  backend "gcs" {\n'
                '    bucket = "acme-terraform-state"\n'
                f'    prefix = "{with_backend}"\n'
                "  }\n"
            )
    return (
        "terraform {\n"
        f'  required_version = ">= 1.{rng.randint(3, 9)}.0"\n\n'
        "  required_providers {\n"
        f"{providers}"
        f"  }}\n{backend}"
        "}\n"
    )


def providers_file(rng: random.Random, cloud: str, region: str, team: str, env: str) -> str:
    if cloud == "aws":
        alias = ""
        if rng.random() < 0.5:
            alias = '\nprovider "aws" {\n  alias  = "us_east_1"\n  region = "us-east-1"\n}\n'
        return (
            'provider "aws" {\n'
            "  region = var.region\n\n"
            "  assume_role {\n"
            f'    role_arn     = "arn:aws:iam::${{var.account_id}}:role/terraform-{env}"\n'
            f'    session_name = "terraform-{team}-{env}"\n'
            "  }\n\n"
            "  default_tags {\n"
            "    tags = {\n"
            f'      Team        = "{team}"\n'
            f'      Environment = "{env}"\n'
            '      ManagedBy   = "terraform"\n'
            "    }\n"
            "  }\n"
            f"}}\n{alias}"
        )
    return (
        'provider "google" {\n'
        "  project = var.project_id\n"
        "  region  = var.region\n\n"
        "  default_labels = {\n"
        f'    team        = "{team}"\n'
        f'    environment = "{env}"\n'
        "  }\n"
        "}\n\n"
        'provider "google" {\n'
        '  alias   = "dns"\n'
        '  project = "acme-shared-dns"\n'
        f'  region  = "{region}"\n'
        "}\n"
    )


# ----------------------------------------------------------------------------------------
# AWS resources
# ----------------------------------------------------------------------------------------


def aws_security_group(rng: random.Random, name: str) -> str:
    return f"""resource "aws_security_group" "{name}" {{
  name_prefix = "${{local.name_prefix}}-{name.replace("_", "-")}-"
  description = "Traffic for {name.replace("_", " ")}"
  vpc_id      = var.vpc_id

  dynamic "ingress" {{
    for_each = var.ingress_rules
    content {{
      description     = ingress.value.description
      from_port       = ingress.value.port
      to_port         = ingress.value.port
      protocol        = "tcp"
      cidr_blocks     = lookup(ingress.value, "cidr_blocks", [])
      security_groups = lookup(ingress.value, "security_groups", null)
    }}
  }}

  egress {{
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }}

  lifecycle {{
    create_before_destroy = true
  }}

  tags = merge(local.tags, {{ Name = "${{local.name_prefix}}-{name}" }})
}}
"""


def aws_vpc_module(rng: random.Random) -> str:
    azs = rng.randint(2, 3)
    return f"""{comment(rng)}
locals {{
  azs          = slice(data.aws_availability_zones.available.names, 0, {azs})
  public_cidrs = [for i, az in local.azs : cidrsubnet(var.cidr_block, 8, i)]
  private_cidrs = [
    for i, az in local.azs : cidrsubnet(var.cidr_block, 4, i + 1)
  ]
  nat_count = var.single_nat_gateway ? 1 : length(local.azs)
}}

data "aws_availability_zones" "available" {{
  state = "available"
}}

resource "aws_vpc" "this" {{
  cidr_block           = var.cidr_block
  enable_dns_hostnames = true
  enable_dns_support   = true

  tags = merge(var.tags, {{ Name = var.name }})
}}

resource "aws_subnet" "public" {{
  count                   = length(local.azs)
  vpc_id                  = aws_vpc.this.id
  cidr_block              = local.public_cidrs[count.index]
  availability_zone       = local.azs[count.index]
  map_public_ip_on_launch = true

  tags = merge(var.tags, {{
    Name                     = "${{var.name}}-public-${{local.azs[count.index]}}"
    "kubernetes.io/role/elb" = "1"
  }})
}}

resource "aws_subnet" "private" {{
  for_each          = {{ for i, az in local.azs : az => local.private_cidrs[i] }}
  vpc_id            = aws_vpc.this.id
  cidr_block        = each.value
  availability_zone = each.key

  tags = merge(var.tags, {{
    Name                              = "${{var.name}}-private-${{each.key}}"
    "kubernetes.io/role/internal-elb" = "1"
  }})
}}

resource "aws_eip" "nat" {{
  count  = local.nat_count
  domain = "vpc"
  tags   = var.tags
}}

resource "aws_nat_gateway" "this" {{
  count         = local.nat_count
  allocation_id = aws_eip.nat[count.index].id
  subnet_id     = aws_subnet.public[count.index].id
  tags          = merge(var.tags, {{ Name = "${{var.name}}-nat-${{count.index}}" }})

  depends_on = [aws_internet_gateway.this]
}}

resource "aws_internet_gateway" "this" {{
  vpc_id = aws_vpc.this.id
  tags   = var.tags
}}

resource "aws_route_table" "private" {{
  for_each = aws_subnet.private
  vpc_id   = aws_vpc.this.id

  route {{
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = var.single_nat_gateway ? aws_nat_gateway.this[0].id : aws_nat_gateway.this[index(local.azs, each.key)].id
  }}

  tags = var.tags
}}

resource "aws_route_table_association" "private" {{
  for_each       = aws_subnet.private
  subnet_id      = each.value.id
  route_table_id = aws_route_table.private[each.key].id
}}

resource "aws_flow_log" "this" {{
  count                = var.flow_logs_enabled ? 1 : 0
  log_destination      = var.flow_log_bucket_arn
  log_destination_type = "s3"
  traffic_type         = "ALL"
  vpc_id               = aws_vpc.this.id
}}

resource "aws_vpc_endpoint" "gateway" {{
  for_each          = toset(["s3", "dynamodb"])
  vpc_id            = aws_vpc.this.id
  service_name      = "com.amazonaws.${{data.aws_region.current.name}}.${{each.value}}"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [for rt in aws_route_table.private : rt.id]
}}

data "aws_region" "current" {{}}
"""


def aws_iam_role(rng: random.Random, name: str, service: str) -> str:
    actions = rng.sample(
        [
            "s3:GetObject", "s3:PutObject", "s3:ListBucket", "sqs:SendMessage",
            "sqs:ReceiveMessage", "kms:Decrypt", "kms:GenerateDataKey", "logs:PutLogEvents",
            "logs:CreateLogStream", "dynamodb:GetItem", "dynamodb:PutItem", "ssm:GetParameter",
            "secretsmanager:GetSecretValue", "ecr:GetAuthorizationToken",
        ],
        rng.randint(3, 8),
    )  # fmt: skip
    action_lines = ",\n".join(f'          "{a}"' for a in actions)
    return f"""resource "aws_iam_role" "{name}" {{
  name = "${{local.name_prefix}}-{name.replace("_", "-")}"
  assume_role_policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [
      {{
        Effect    = "Allow"
        Action    = "sts:AssumeRole"
        Principal = {{ Service = "{service}.amazonaws.com" }}
      }},
    ]
  }})
  max_session_duration = {rng.choice([3600, 7200, 14400])}
  tags                 = local.tags
}}

resource "aws_iam_role_policy" "{name}" {{
  name = "{name}-inline"
  role = aws_iam_role.{name}.id
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [
      {{
        Sid    = "{name.title().replace("_", "")}Access"
        Effect = "Allow"
        Action = [
{action_lines}
        ]
        Resource = [
          "arn:aws:s3:::${{var.bucket_name}}",
          "arn:aws:s3:::${{var.bucket_name}}/*",
        ]
      }},
      {{
        Effect   = "Allow"
        Action   = ["kms:Decrypt"]
        Resource = var.kms_key_arn
        Condition = {{
          StringEquals = {{
            "kms:ViaService" = "s3.${{var.region}}.amazonaws.com"
          }}
        }}
      }},
    ]
  }})
}}
"""


def aws_policy_document(rng: random.Random, name: str) -> str:
    return f"""data "aws_iam_policy_document" "{name}" {{
  statement {{
    sid     = "AllowRead"
    effect  = "Allow"
    actions = ["s3:GetObject", "s3:ListBucket"]
    resources = [
      aws_s3_bucket.this.arn,
      "${{aws_s3_bucket.this.arn}}/*",
    ]

    principals {{
      type        = "AWS"
      identifiers = [for account in var.reader_accounts : "arn:aws:iam::${{account}}:root"]
    }}
  }}

  dynamic "statement" {{
    for_each = var.deny_insecure_transport ? [1] : []
    content {{
      sid       = "DenyInsecureTransport"
      effect    = "Deny"
      actions   = ["s3:*"]
      resources = [aws_s3_bucket.this.arn, "${{aws_s3_bucket.this.arn}}/*"]

      principals {{
        type        = "*"
        identifiers = ["*"]
      }}

      condition {{
        test     = "Bool"
        variable = "aws:SecureTransport"
        values   = ["false"]
      }}
    }}
  }}
}}
"""


def aws_s3_module(rng: random.Random) -> str:
    return f"""{comment(rng)}
resource "aws_s3_bucket" "this" {{
  bucket        = var.bucket_name
  force_destroy = var.force_destroy
  tags          = var.tags
}}

resource "aws_s3_bucket_versioning" "this" {{
  bucket = aws_s3_bucket.this.id
  versioning_configuration {{
    status = var.versioning ? "Enabled" : "Suspended"
  }}
}}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {{
  bucket = aws_s3_bucket.this.id

  rule {{
    apply_server_side_encryption_by_default {{
      kms_master_key_id = var.kms_key_arn
      sse_algorithm     = var.kms_key_arn == null ? "AES256" : "aws:kms"
    }}
    bucket_key_enabled = true
  }}
}}

resource "aws_s3_bucket_lifecycle_configuration" "this" {{
  count  = length(var.lifecycle_rules) > 0 ? 1 : 0
  bucket = aws_s3_bucket.this.id

  dynamic "rule" {{
    for_each = var.lifecycle_rules
    content {{
      id     = rule.value.id
      status = "Enabled"

      filter {{
        prefix = try(rule.value.prefix, "")
      }}

      dynamic "transition" {{
        for_each = try(rule.value.transitions, [])
        content {{
          days          = transition.value.days
          storage_class = transition.value.storage_class
        }}
      }}

      expiration {{
        days = try(rule.value.expiration_days, {rng.choice([90, 180, 365, 730])})
      }}
    }}
  }}
}}

resource "aws_s3_bucket_public_access_block" "this" {{
  bucket                  = aws_s3_bucket.this.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}}

{aws_policy_document(rng, "bucket")}
resource "aws_s3_bucket_policy" "this" {{
  bucket = aws_s3_bucket.this.id
  policy = data.aws_iam_policy_document.bucket.json
}}
"""


def aws_eks_module(rng: random.Random) -> str:
    pools = rng.randint(2, 4)
    pool_lines = "\n".join(
        f"""    {w} = {{
      instance_types = ["{rng.choice(INSTANCE_TYPES)}"]
      min_size       = {rng.randint(1, 3)}
      max_size       = {rng.randint(4, 20)}
      labels         = {{ workload = "{w}" }}
      taints         = []
    }}"""
        for w in rng.sample(WORDS, pools)
    )
    return f"""locals {{
  default_node_groups = {{
{pool_lines}
  }}
  node_groups = merge(local.default_node_groups, var.extra_node_groups)
}}

resource "aws_eks_cluster" "this" {{
  name     = var.cluster_name
  role_arn = aws_iam_role.cluster.arn
  version  = var.kubernetes_version

  vpc_config {{
    subnet_ids              = var.private_subnet_ids
    endpoint_private_access = true
    endpoint_public_access  = var.public_endpoint
    public_access_cidrs     = var.public_endpoint ? var.allowed_cidrs : null
  }}

  encryption_config {{
    provider {{
      key_arn = var.kms_key_arn
    }}
    resources = ["secrets"]
  }}

  enabled_cluster_log_types = ["api", "audit", "authenticator"]
  tags                      = var.tags
}}

resource "aws_launch_template" "node" {{
  for_each      = local.node_groups
  name_prefix   = "${{var.cluster_name}}-${{each.key}}-"
  instance_type = each.value.instance_types[0]

  user_data = base64encode(<<-EOT
    #!/bin/bash
    set -euo pipefail
    /etc/eks/bootstrap.sh ${{var.cluster_name}} \\
      --kubelet-extra-args '--node-labels=workload=${{each.key}}'
    echo "node group ${{each.key}} ready" >> /var/log/bootstrap.log
  EOT
  )

  metadata_options {{
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 2
  }}

  tag_specifications {{
    resource_type = "instance"
    tags          = merge(var.tags, {{ NodeGroup = each.key }})
  }}
}}

resource "aws_eks_node_group" "this" {{
  for_each        = local.node_groups
  cluster_name    = aws_eks_cluster.this.name
  node_group_name = each.key
  node_role_arn   = aws_iam_role.node.arn
  subnet_ids      = var.private_subnet_ids
  labels          = each.value.labels

  scaling_config {{
    desired_size = each.value.min_size
    min_size     = each.value.min_size
    max_size     = each.value.max_size
  }}

  launch_template {{
    id      = aws_launch_template.node[each.key].id
    version = aws_launch_template.node[each.key].latest_version
  }}

  dynamic "taint" {{
    for_each = each.value.taints
    content {{
      key    = taint.value.key
      value  = taint.value.value
      effect = taint.value.effect
    }}
  }}

  lifecycle {{
    ignore_changes = [scaling_config[0].desired_size]
  }}
}}

resource "aws_iam_role" "cluster" {{
  name               = "${{var.cluster_name}}-cluster"
  assume_role_policy = data.aws_iam_policy_document.cluster_assume.json
}}

resource "aws_iam_role" "node" {{
  name               = "${{var.cluster_name}}-node"
  assume_role_policy = data.aws_iam_policy_document.node_assume.json
}}

resource "aws_iam_role_policy_attachment" "node" {{
  for_each = toset([
    "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
    "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
    "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
  ])
  role       = aws_iam_role.node.name
  policy_arn = each.value
}}

data "aws_iam_policy_document" "cluster_assume" {{
  statement {{
    actions = ["sts:AssumeRole"]
    principals {{
      type        = "Service"
      identifiers = ["eks.amazonaws.com"]
    }}
  }}
}}

data "aws_iam_policy_document" "node_assume" {{
  statement {{
    actions = ["sts:AssumeRole"]
    principals {{
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }}
  }}
}}
"""


def aws_rds_module(rng: random.Random) -> str:
    params = "\n".join(
        f'    {{ name = "{p}", value = "{v}" }},'
        for p, v in rng.sample(
            [
                ("log_min_duration_statement", "500"),
                ("rds.force_ssl", "1"),
                ("shared_preload_libraries", "pg_stat_statements"),
                ("log_connections", "1"),
                ("work_mem", "65536"),
                ("max_connections", "400"),
                ("idle_in_transaction_session_timeout", "60000"),
            ],
            rng.randint(2, 6),
        )
    )
    return f"""locals {{
  parameters = [
{params}
  ]
  port = var.engine == "postgres" ? 5432 : 3306
}}

resource "aws_db_subnet_group" "this" {{
  name       = var.identifier
  subnet_ids = var.subnet_ids
  tags       = var.tags
}}

resource "aws_db_parameter_group" "this" {{
  name_prefix = "${{var.identifier}}-"
  family      = var.family

  dynamic "parameter" {{
    for_each = local.parameters
    content {{
      name         = parameter.value.name
      value        = parameter.value.value
      apply_method = "pending-reboot"
    }}
  }}

  lifecycle {{
    create_before_destroy = true
  }}
}}

resource "random_password" "master" {{
  length           = 32
  special          = true
  override_special = "!#$%&*()-_=+[]{{}}<>:?"
}}

resource "aws_db_instance" "this" {{
  identifier                   = var.identifier
  engine                       = var.engine
  engine_version               = var.engine_version
  instance_class               = var.instance_class
  allocated_storage            = var.allocated_storage
  max_allocated_storage        = var.allocated_storage * 4
  db_subnet_group_name         = aws_db_subnet_group.this.name
  parameter_group_name         = aws_db_parameter_group.this.name
  vpc_security_group_ids       = var.security_group_ids
  username                     = "app_admin"
  password                     = random_password.master.result
  port                         = local.port
  multi_az                     = var.environment == "prod"
  storage_encrypted            = true
  kms_key_id                   = var.kms_key_arn
  backup_retention_period      = var.environment == "prod" ? 35 : 7
  deletion_protection          = var.environment == "prod"
  performance_insights_enabled = true
  skip_final_snapshot          = var.environment != "prod"
  final_snapshot_identifier    = "${{var.identifier}}-final"
  tags                         = var.tags
}}

resource "aws_secretsmanager_secret" "db" {{
  name       = "${{var.identifier}}/master"
  kms_key_id = var.kms_key_arn
}}

resource "aws_secretsmanager_secret_version" "db" {{
  secret_id = aws_secretsmanager_secret.db.id
  secret_string = jsonencode({{
    username = aws_db_instance.this.username
    password = random_password.master.result
    host     = aws_db_instance.this.address
    port     = aws_db_instance.this.port
  }})
}}
"""


def aws_alarm(rng: random.Random, name: str, metric: str) -> str:
    return f"""resource "aws_cloudwatch_metric_alarm" "{name}" {{
  alarm_name          = "${{local.name_prefix}}-{name.replace("_", "-")}"
  comparison_operator = "GreaterThanThreshold"
  evaluation_periods  = {rng.randint(1, 5)}
  metric_name         = "{metric}"
  namespace           = "{rng.choice(["AWS/EC2", "AWS/RDS", "AWS/ApplicationELB", "AWS/SQS", "AWS/Lambda"])}"
  period              = {rng.choice([60, 300, 900])}
  statistic           = "{rng.choice(["Average", "Maximum", "Sum"])}"
  threshold           = {rng.randint(1, 95)}
  alarm_description   = "Alert when {metric} is too high for ${{var.environment}}"
  alarm_actions       = [aws_sns_topic.alerts.arn]
  ok_actions          = [aws_sns_topic.alerts.arn]
  treat_missing_data  = "notBreaching"

  dimensions = {{
    {rng.choice(["InstanceId", "DBInstanceIdentifier", "QueueName", "FunctionName"])} = var.{rng.choice(["instance_id", "db_identifier", "queue_name", "function_name"])}
  }}

  tags = local.tags
}}
"""


def aws_monitoring_module(rng: random.Random) -> str:
    metrics = [
        "CPUUtilization", "FreeableMemory", "ReadLatency", "WriteLatency", "Errors",
        "Throttles", "ApproximateAgeOfOldestMessage", "HTTPCode_Target_5XX_Count",
        "DatabaseConnections", "Duration",
    ]  # fmt: skip
    alarms = "\n".join(
        aws_alarm(rng, f"{m.lower()}_{i}", m)
        for i, m in enumerate(rng.sample(metrics, rng.randint(3, 7)))
    )
    widgets = ",\n".join(
        f"""      {{
        type   = "metric"
        x      = {(i % 3) * 8}
        y      = {(i // 3) * 6}
        width  = 8
        height = 6
        properties = {{
          title   = "{m}"
          region  = var.region
          stat    = "Average"
          period  = 300
          metrics = [["AWS/EC2", "{m}", "AutoScalingGroupName", var.asg_name]]
        }}
      }}"""
        for i, m in enumerate(rng.sample(metrics, rng.randint(4, 9)))
    )
    return f"""locals {{
  name_prefix = "${{var.team}}-${{var.environment}}"
  tags        = merge(var.tags, {{ Module = "monitoring" }})
  subscriptions = {{
    for email in var.alert_emails : replace(email, "@", "_at_") => email
  }}
}}

resource "aws_sns_topic" "alerts" {{
  name              = "${{local.name_prefix}}-alerts"
  kms_master_key_id = "alias/aws/sns"
  tags              = local.tags
}}

resource "aws_sns_topic_subscription" "email" {{
  for_each  = local.subscriptions
  topic_arn = aws_sns_topic.alerts.arn
  protocol  = "email"
  endpoint  = each.value
}}

{alarms}
resource "aws_cloudwatch_dashboard" "main" {{
  dashboard_name = "${{local.name_prefix}}-overview"
  dashboard_body = jsonencode({{
    widgets = [
{widgets}
    ]
  }})
}}
"""


def aws_lambda(rng: random.Random, name: str) -> str:
    return f"""data "archive_file" "{name}" {{
  type        = "zip"
  source_dir  = "${{path.module}}/functions/{name}"
  output_path = "${{path.module}}/build/{name}.zip"
}}

resource "aws_lambda_function" "{name}" {{
  function_name    = "${{local.name_prefix}}-{name.replace("_", "-")}"
  filename         = data.archive_file.{name}.output_path
  source_code_hash = data.archive_file.{name}.output_base64sha256
  handler          = "main.handler"
  runtime          = "{rng.choice(["python3.12", "python3.11", "nodejs20.x"])}"
  role             = aws_iam_role.lambda.arn
  timeout          = {rng.choice([10, 30, 60, 300])}
  memory_size      = {rng.choice([128, 256, 512, 1024])}

  environment {{
    variables = {{
      ENVIRONMENT = var.environment
      LOG_LEVEL   = var.environment == "prod" ? "INFO" : "DEBUG"
      QUEUE_URL   = aws_sqs_queue.work.url
    }}
  }}

  dynamic "vpc_config" {{
    for_each = length(var.subnet_ids) > 0 ? [1] : []
    content {{
      subnet_ids         = var.subnet_ids
      security_group_ids = [aws_security_group.lambda.id]
    }}
  }}

  tracing_config {{
    mode = "Active"
  }}

  tags = local.tags
}}

resource "aws_lambda_event_source_mapping" "{name}" {{
  event_source_arn = aws_sqs_queue.work.arn
  function_name    = aws_lambda_function.{name}.arn
  batch_size       = {rng.choice([1, 10, 50])}
}}
"""


def aws_sqs(rng: random.Random) -> str:
    return f"""resource "aws_sqs_queue" "dead_letter" {{
  name                      = "${{local.name_prefix}}-dlq"
  message_retention_seconds = 1209600
  kms_master_key_id         = "alias/aws/sqs"
}}

resource "aws_sqs_queue" "work" {{
  name                       = "${{local.name_prefix}}-work"
  visibility_timeout_seconds = {rng.choice([30, 60, 300, 900])}
  kms_master_key_id          = "alias/aws/sqs"
  redrive_policy = jsonencode({{
    deadLetterTargetArn = aws_sqs_queue.dead_letter.arn
    maxReceiveCount     = {rng.randint(3, 10)}
  }})
}}
"""


def aws_alb(rng: random.Random) -> str:
    rules = "\n".join(
        f"""resource "aws_lb_listener_rule" "{w}" {{
  listener_arn = aws_lb_listener.https.arn
  priority     = {100 + i}

  action {{
    type             = "forward"
    target_group_arn = aws_lb_target_group.app.arn
  }}

  condition {{
    path_pattern {{
      values = ["/{w}/*", "/api/{w}/*"]
    }}
  }}
}}
"""
        for i, w in enumerate(rng.sample(WORDS, rng.randint(2, 6)))
    )
    return f"""resource "aws_lb" "app" {{
  name               = substr("${{local.name_prefix}}-app", 0, 32)
  internal           = false
  load_balancer_type = "application"
  security_groups    = [aws_security_group.alb.id]
  subnets            = var.public_subnet_ids

  access_logs {{
    bucket  = var.log_bucket
    prefix  = "alb/${{var.environment}}"
    enabled = true
  }}
}}

resource "aws_lb_target_group" "app" {{
  name_prefix = "app-"
  port        = 8080
  protocol    = "HTTP"
  vpc_id      = var.vpc_id
  target_type = "ip"

  health_check {{
    path                = "/healthz"
    healthy_threshold   = 2
    unhealthy_threshold = 3
    matcher             = "200-299"
  }}
}}

resource "aws_lb_listener" "https" {{
  load_balancer_arn = aws_lb.app.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = var.certificate_arn

  default_action {{
    type = "fixed-response"
    fixed_response {{
      content_type = "text/plain"
      message_body = "not found"
      status_code  = "404"
    }}
  }}
}}

{rules}"""


# ----------------------------------------------------------------------------------------
# GCP resources
# ----------------------------------------------------------------------------------------


def gcp_network_module(rng: random.Random) -> str:
    subnets = "\n".join(
        f"""    {w} = {{
      cidr      = "10.{rng.randint(0, 255)}.{i * 16}.0/20"
      region    = "{rng.choice(REGIONS_GCP)}"
      secondary = {{ pods = "10.{100 + i}.0.0/16", services = "10.{200 + i}.0.0/20" }}
    }}"""
        for i, w in enumerate(rng.sample(WORDS, rng.randint(2, 5)))
    )
    return f"""locals {{
  subnets = {{
{subnets}
  }}
}}

resource "google_compute_network" "this" {{
  name                    = var.network_name
  project                 = var.project_id
  auto_create_subnetworks = false
  routing_mode            = "GLOBAL"
}}

resource "google_compute_subnetwork" "this" {{
  for_each                 = local.subnets
  name                     = "${{var.network_name}}-${{each.key}}"
  project                  = var.project_id
  network                  = google_compute_network.this.id
  ip_cidr_range            = each.value.cidr
  region                   = each.value.region
  private_ip_google_access = true

  dynamic "secondary_ip_range" {{
    for_each = each.value.secondary
    content {{
      range_name    = secondary_ip_range.key
      ip_cidr_range = secondary_ip_range.value
    }}
  }}

  log_config {{
    aggregation_interval = "INTERVAL_5_SEC"
    flow_sampling        = 0.5
    metadata             = "INCLUDE_ALL_METADATA"
  }}
}}

resource "google_compute_router" "this" {{
  for_each = toset(distinct([for s in local.subnets : s.region]))
  name     = "${{var.network_name}}-router-${{each.value}}"
  project  = var.project_id
  region   = each.value
  network  = google_compute_network.this.id
}}

resource "google_compute_router_nat" "this" {{
  for_each                           = google_compute_router.this
  name                               = "${{each.value.name}}-nat"
  project                            = var.project_id
  router                             = each.value.name
  region                             = each.value.region
  nat_ip_allocate_option             = "AUTO_ONLY"
  source_subnetwork_ip_ranges_to_nat = "ALL_SUBNETWORKS_ALL_IP_RANGES"
}}

resource "google_compute_firewall" "internal" {{
  name    = "${{var.network_name}}-allow-internal"
  project = var.project_id
  network = google_compute_network.this.name

  allow {{
    protocol = "tcp"
    ports    = ["0-65535"]
  }}

  allow {{
    protocol = "icmp"
  }}

  source_ranges = [for s in local.subnets : s.cidr]
}}
"""


def gcp_gke_module(rng: random.Random) -> str:
    pools = "\n".join(
        f"""    {w} = {{
      machine_type = "{rng.choice(MACHINE_TYPES)}"
      min_count    = {rng.randint(0, 2)}
      max_count    = {rng.randint(3, 30)}
      spot         = {rng.choice(["true", "false"])}
    }}"""
        for w in rng.sample(WORDS, rng.randint(2, 4))
    )
    return f"""locals {{
  node_pools = {{
{pools}
  }}
}}

resource "google_container_cluster" "this" {{
  name     = var.cluster_name
  project  = var.project_id
  location = var.region

  remove_default_node_pool = true
  initial_node_count       = 1
  network                  = var.network
  subnetwork               = var.subnetwork

  release_channel {{
    channel = var.environment == "prod" ? "STABLE" : "REGULAR"
  }}

  ip_allocation_policy {{
    cluster_secondary_range_name  = "pods"
    services_secondary_range_name = "services"
  }}

  private_cluster_config {{
    enable_private_nodes    = true
    enable_private_endpoint = false
    master_ipv4_cidr_block  = var.master_cidr
  }}

  workload_identity_config {{
    workload_pool = "${{var.project_id}}.svc.id.goog"
  }}

  master_authorized_networks_config {{
    dynamic "cidr_blocks" {{
      for_each = var.authorized_networks
      content {{
        cidr_block   = cidr_blocks.value.cidr
        display_name = cidr_blocks.value.name
      }}
    }}
  }}

  maintenance_policy {{
    recurring_window {{
      start_time = "2024-01-01T02:00:00Z"
      end_time   = "2024-01-01T06:00:00Z"
      recurrence = "FREQ=WEEKLY;BYDAY=SA,SU"
    }}
  }}
}}

resource "google_container_node_pool" "this" {{
  for_each = local.node_pools
  name     = each.key
  project  = var.project_id
  cluster  = google_container_cluster.this.id

  autoscaling {{
    min_node_count = each.value.min_count
    max_node_count = each.value.max_count
  }}

  node_config {{
    machine_type    = each.value.machine_type
    spot            = each.value.spot
    service_account = google_service_account.nodes.email
    oauth_scopes    = ["https://www.googleapis.com/auth/cloud-platform"]
    labels          = merge(var.labels, {{ pool = each.key }})

    shielded_instance_config {{
      enable_secure_boot = true
    }}

    workload_metadata_config {{
      mode = "GKE_METADATA"
    }}
  }}

  management {{
    auto_repair  = true
    auto_upgrade = true
  }}
}}

resource "google_service_account" "nodes" {{
  project      = var.project_id
  account_id   = "${{var.cluster_name}}-nodes"
  display_name = "GKE nodes for ${{var.cluster_name}}"
}}
"""


def gcp_gcs_module(rng: random.Random) -> str:
    return f"""resource "google_storage_bucket" "this" {{
  name                        = var.bucket_name
  project                     = var.project_id
  location                    = var.location
  storage_class               = "{rng.choice(["STANDARD", "NEARLINE"])}"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = var.force_destroy

  versioning {{
    enabled = var.versioning
  }}

  encryption {{
    default_kms_key_name = var.kms_key_name
  }}

  dynamic "lifecycle_rule" {{
    for_each = var.lifecycle_rules
    content {{
      action {{
        type          = lifecycle_rule.value.action
        storage_class = lookup(lifecycle_rule.value, "storage_class", null)
      }}
      condition {{
        age                   = lookup(lifecycle_rule.value, "age", null)
        with_state            = lookup(lifecycle_rule.value, "with_state", "ANY")
        matches_storage_class = lookup(lifecycle_rule.value, "matches_storage_class", [])
      }}
    }}
  }}

  labels = var.labels
}}

resource "google_storage_bucket_iam_member" "this" {{
  for_each = {{
    for binding in flatten([
      for role, members in var.iam : [
        for member in members : {{ role = role, member = member }}
      ]
    ]) : "${{binding.role}}/${{binding.member}}" => binding
  }}
  bucket = google_storage_bucket.this.name
  role   = each.value.role
  member = each.value.member
}}
"""


def gcp_cloudsql_module(rng: random.Random) -> str:
    flags = "\n".join(
        f'    {{ name = "{f}", value = "{v}" }},'
        for f, v in rng.sample(
            [
                ("log_checkpoints", "on"),
                ("log_connections", "on"),
                ("log_disconnections", "on"),
                ("log_lock_waits", "on"),
                ("cloudsql.iam_authentication", "on"),
                ("max_connections", "500"),
            ],
            rng.randint(2, 5),
        )
    )
    return f"""locals {{
  database_flags = [
{flags}
  ]
}}

resource "google_sql_database_instance" "this" {{
  name                = var.instance_name
  project             = var.project_id
  region              = var.region
  database_version    = "POSTGRES_{rng.choice([14, 15, 16])}"
  deletion_protection = var.environment == "prod"

  settings {{
    tier              = var.tier
    availability_type = var.environment == "prod" ? "REGIONAL" : "ZONAL"
    disk_autoresize   = true
    disk_size         = var.disk_size

    ip_configuration {{
      ipv4_enabled    = false
      private_network = var.network_id
      ssl_mode        = "ENCRYPTED_ONLY"
    }}

    backup_configuration {{
      enabled                        = true
      point_in_time_recovery_enabled = true
      start_time                     = "03:00"
      backup_retention_settings {{
        retained_backups = var.environment == "prod" ? 30 : 7
      }}
    }}

    dynamic "database_flags" {{
      for_each = local.database_flags
      content {{
        name  = database_flags.value.name
        value = database_flags.value.value
      }}
    }}

    insights_config {{
      query_insights_enabled  = true
      record_application_tags = true
    }}

    user_labels = var.labels
  }}
}}

resource "google_sql_database" "this" {{
  for_each = toset(var.databases)
  name     = each.value
  project  = var.project_id
  instance = google_sql_database_instance.this.name
}}

resource "google_sql_user" "iam" {{
  for_each = toset(var.iam_users)
  name     = trimsuffix(each.value, ".gserviceaccount.com")
  project  = var.project_id
  instance = google_sql_database_instance.this.name
  type     = "CLOUD_IAM_SERVICE_ACCOUNT"
}}
"""


def gcp_iam_module(rng: random.Random) -> str:
    accounts = "\n".join(
        f'    "{dashed(rng)}" = ["roles/{r}"]'
        for r in rng.sample(
            [
                "storage.objectViewer", "pubsub.publisher", "cloudsql.client",
                "secretmanager.secretAccessor", "logging.logWriter", "monitoring.metricWriter",
                "bigquery.dataViewer", "run.invoker",
            ],
            rng.randint(3, 6),
        )
    )  # fmt: skip
    return f"""locals {{
  service_accounts = {{
{accounts}
  }}
  bindings = flatten([
    for account, roles in local.service_accounts : [
      for role in roles : {{
        account = account
        role    = role
      }}
    ]
  ])
}}

resource "google_service_account" "this" {{
  for_each     = local.service_accounts
  project      = var.project_id
  account_id   = substr(each.key, 0, 28)
  display_name = "Service account ${{each.key}} (${{var.environment}})"
}}

resource "google_project_iam_member" "this" {{
  for_each = {{ for b in local.bindings : "${{b.account}}-${{b.role}}" => b }}
  project  = var.project_id
  role     = each.value.role
  member   = "serviceAccount:${{google_service_account.this[each.value.account].email}}"
}}

resource "google_service_account_iam_member" "workload_identity" {{
  for_each           = var.workload_identity ? local.service_accounts : {{}}
  service_account_id = google_service_account.this[each.key].name
  role               = "roles/iam.workloadIdentityUser"
  member             = "serviceAccount:${{var.project_id}}.svc.id.goog[${{var.namespace}}/${{each.key}}]"
}}
"""


def gcp_monitoring_module(rng: random.Random) -> str:
    policies = "\n".join(
        f"""resource "google_monitoring_alert_policy" "{w}" {{
  project      = var.project_id
  display_name = "{w} ${{var.environment}}"
  combiner     = "OR"

  conditions {{
    display_name = "{w} threshold"
    condition_threshold {{
      filter          = "resource.type = \\"k8s_container\\" AND metric.type = \\"kubernetes.io/container/{rng.choice(["cpu/core_usage_time", "memory/used_bytes", "restart_count"])}\\""
      duration        = "{rng.choice([60, 300, 600])}s"
      comparison      = "COMPARISON_GT"
      threshold_value = {rng.randint(1, 90)}

      aggregations {{
        alignment_period   = "60s"
        per_series_aligner = "ALIGN_RATE"
      }}
    }}
  }}

  notification_channels = [for c in google_monitoring_notification_channel.email : c.id]

  documentation {{
    content   = <<-EOT
      ## {w} alert
      Check the dashboard for ${{var.environment}} and page the on-call engineer
      if the condition persists for more than 15 minutes.
    EOT
    mime_type = "text/markdown"
  }}
}}
"""
        for w in rng.sample(WORDS, rng.randint(2, 6))
    )
    return f"""resource "google_monitoring_notification_channel" "email" {{
  for_each     = toset(var.alert_emails)
  project      = var.project_id
  display_name = "Email ${{each.value}}"
  type         = "email"
  labels = {{
    email_address = each.value
  }}
}}

{policies}"""


# ----------------------------------------------------------------------------------------
# Module catalogue: what a local module directory contains and which inputs it takes
# ----------------------------------------------------------------------------------------

MODULE_KINDS: dict[str, tuple[str, list[str], list[str]]] = {
    # kind: (cloud, variables, outputs)
    "vpc": (
        "aws",
        ["name", "cidr_block", "single_nat_gateway", "flow_logs_enabled", "flow_log_bucket_arn", "tags"],
        ["aws_vpc.this.id", "aws_subnet.public[0].id", "aws_internet_gateway.this.id"],
    ),
    "s3-bucket": (
        "aws",
        ["bucket_name", "force_destroy", "versioning", "kms_key_arn", "lifecycle_rules", "reader_accounts", "deny_insecure_transport", "tags"],
        ["aws_s3_bucket.this.arn", "aws_s3_bucket.this.id"],
    ),
    "eks": (
        "aws",
        ["cluster_name", "kubernetes_version", "private_subnet_ids", "public_endpoint", "allowed_cidrs", "kms_key_arn", "extra_node_groups", "tags"],
        ["aws_eks_cluster.this.endpoint", "aws_eks_cluster.this.arn", "aws_iam_role.node.arn"],
    ),
    "rds": (
        "aws",
        ["identifier", "engine", "engine_version", "family", "instance_class", "allocated_storage", "subnet_ids", "security_group_ids", "kms_key_arn", "environment", "tags"],
        ["aws_db_instance.this.address", "aws_db_instance.this.arn", "aws_secretsmanager_secret.db.arn"],
    ),
    "monitoring": (
        "aws",
        ["team", "environment", "region", "alert_emails", "asg_name", "instance_id", "db_identifier", "queue_name", "function_name", "tags"],
        ["aws_sns_topic.alerts.arn"],
    ),
    "network": (
        "gcp",
        ["network_name", "project_id"],
        ["google_compute_network.this.id", "google_compute_network.this.self_link"],
    ),
    "gke": (
        "gcp",
        ["cluster_name", "project_id", "region", "network", "subnetwork", "environment", "master_cidr", "authorized_networks", "labels"],
        ["google_container_cluster.this.endpoint", "google_service_account.nodes.email"],
    ),
    "gcs-bucket": (
        "gcp",
        ["bucket_name", "project_id", "location", "force_destroy", "versioning", "kms_key_name", "lifecycle_rules", "iam", "labels"],
        ["google_storage_bucket.this.url", "google_storage_bucket.this.name"],
    ),
    "cloudsql": (
        "gcp",
        ["instance_name", "project_id", "region", "environment", "tier", "disk_size", "network_id", "databases", "iam_users", "labels"],
        ["google_sql_database_instance.this.connection_name"],
    ),
    "iam": (
        "gcp",
        ["project_id", "environment", "workload_identity", "namespace"],
        ["google_service_account.this"],
    ),
    "gcp-monitoring": ("gcp", ["project_id", "environment", "alert_emails"], ["google_monitoring_notification_channel.email"]),
}  # fmt: skip

MODULE_BODIES = {
    "vpc": aws_vpc_module,
    "s3-bucket": aws_s3_module,
    "eks": aws_eks_module,
    "rds": aws_rds_module,
    "monitoring": aws_monitoring_module,
    "network": gcp_network_module,
    "gke": gcp_gke_module,
    "gcs-bucket": gcp_gcs_module,
    "cloudsql": gcp_cloudsql_module,
    "iam": gcp_iam_module,
    "gcp-monitoring": gcp_monitoring_module,
}

AWS_MODULES = [k for k, v in MODULE_KINDS.items() if v[0] == "aws"]
GCP_MODULES = [k for k, v in MODULE_KINDS.items() if v[0] == "gcp"]


def module_files(rng: random.Random, kind: str) -> dict[str, str]:
    """The files of one local module directory of ``kind``."""
    cloud, variables, outputs = MODULE_KINDS[kind]
    files = {
        "main.tf": MODULE_BODIES[kind](rng),
        "variables.tf": variables_file(rng, variables),
        "outputs.tf": outputs_file(rng, outputs),
        "versions.tf": versions_file(rng, cloud),
    }
    if rng.random() < 0.4:
        files["README.md"] = f"# {kind}\n\nInternal module. Inputs are in variables.tf.\n"
    return files


def module_call(
    rng: random.Random, name: str, source: str, kind: str, env: str, *, remote: bool = False
) -> str:
    """A ``module`` block calling a module of ``kind`` with plausible inputs."""
    _cloud, variables, _outputs = MODULE_KINDS[kind]
    lines = [f'module "{name}" {{', f'  source = "{source}"']
    if remote:
        lines.append(f'  version = "~> {rng.randint(1, 6)}.{rng.randint(0, 9)}"')
    if rng.random() < 0.2:
        lines.append("  count  = var.enabled ? 1 : 0")
    lines.append("")
    for variable in variables:
        value = _input_value(rng, variable, env)
        lines.append(f"  {variable} = {value}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _input_value(rng: random.Random, name: str, env: str) -> str:
    if name in ("tags", "labels"):
        return (
            "local.tags"
            if rng.random() < 0.7
            else 'merge(local.tags, { Component = "' + dashed(rng, 1) + '" })'
        )
    if name in ("environment",):
        return "var.environment"
    if name in ("region", "location"):
        return "var.region"
    if name == "project_id":
        return "var.project_id"
    if name.endswith("_ids") or name in ("databases", "iam_users", "alert_emails", "allowed_cidrs"):
        return "[" + ", ".join(f'"{dashed(rng, 1)}-{i}"' for i in range(rng.randint(1, 3))) + "]"
    if name in ("lifecycle_rules", "authorized_networks"):
        return "[]"
    if name in ("extra_node_groups", "iam"):
        return "{}"
    if name.startswith(
        ("single_", "flow_logs", "force_", "versioning", "public_", "deny_", "workload_")
    ):
        return rng.choice(["true", "false", 'var.environment == "prod"'])
    if name in ("allocated_storage", "disk_size"):
        return str(rng.choice([20, 50, 100, 250, 500]))
    if name.endswith("_arn") or name.endswith("_key_name"):
        return "data.terraform_remote_state.shared.outputs.kms_key_arn"
    return f'"${{local.name_prefix}}-{name.replace("_", "-")}"'


# ----------------------------------------------------------------------------------------
# Root modules: one environment/region of one service
# ----------------------------------------------------------------------------------------


def root_locals(rng: random.Random, team: str, service: str, env: str) -> str:
    return f"""locals {{
  name_prefix = "{team}-{service}-${{var.environment}}"
  tags = merge(var.extra_tags, {{
    Team        = "{team}"
    Service     = "{service}"
    Environment = var.environment
  }})

  {comment(rng, "")}
  feature_flags = {{
    for flag in var.enabled_features : flag => true
  }}
  replica_count = var.environment == "prod" ? {rng.randint(3, 9)} : 1
  cidr_by_az = {{
    for index, az in var.availability_zones : az => cidrsubnet(var.cidr_block, 4, index)
  }}
  upper_names = [for name in var.service_names : upper(name) if length(name) > 3]
  labels_json = jsonencode(local.tags)
}}
"""


def root_data(rng: random.Random, cloud: str, team: str) -> str:
    if cloud == "aws":
        return f"""data "aws_caller_identity" "current" {{}}

data "aws_region" "current" {{}}

data "aws_availability_zones" "available" {{
  state = "available"
}}

data "terraform_remote_state" "shared" {{
  backend = "s3"
  config = {{
    bucket = "acme-terraform-state"
    key    = "platform/shared/${{var.environment}}/terraform.tfstate"
    region = "us-east-1"
  }}
}}

data "aws_ami" "base" {{
  most_recent = true
  owners      = ["self"]

  filter {{
    name   = "name"
    values = ["{team}-base-*"]
  }}
}}
"""
    return """data "google_project" "current" {
  project_id = var.project_id
}

data "google_client_config" "current" {}

data "terraform_remote_state" "shared" {
  backend = "gcs"
  config = {
    bucket = "acme-terraform-state"
    prefix = "platform/shared/${var.environment}"
  }
}

data "google_compute_zones" "available" {
  region = var.region
  status = "UP"
}
"""


ROOT_VARIABLES = [
    "environment", "region", "account_id", "project_id", "extra_tags", "enabled_features",
    "availability_zones", "cidr_block", "service_names", "enabled", "vpc_id", "ingress_rules",
    "bucket_name", "kms_key_arn", "subnet_ids", "instance_id", "db_identifier", "queue_name",
    "function_name", "public_subnet_ids", "log_bucket", "certificate_arn",
]  # fmt: skip


def root_variables(rng: random.Random) -> str:
    blocks = []
    for name in ROOT_VARIABLES:
        if name in ("environment", "region"):
            blocks.append(
                f'variable "{name}" {{\n  description = "Deployment {name}."\n  type        = string\n}}\n'
            )
        elif name == "ingress_rules":
            blocks.append(
                'variable "ingress_rules" {\n'
                "  type = list(object({\n"
                "    description     = string\n"
                "    port            = number\n"
                "    cidr_blocks     = optional(list(string))\n"
                "    security_groups = optional(list(string))\n"
                "  }))\n"
                "  default = []\n"
                "}\n"
            )
        elif name == "enabled_features":
            blocks.append(
                'variable "enabled_features" {\n  type    = set(string)\n  default = []\n}\n'
            )
        elif name == "extra_tags":
            blocks.append('variable "extra_tags" {\n  type    = map(string)\n  default = {}\n}\n')
        elif name in ("availability_zones", "service_names", "subnet_ids", "public_subnet_ids"):
            blocks.append(f'variable "{name}" {{\n  type    = list(string)\n  default = []\n}}\n')
        elif name == "enabled":
            blocks.append('variable "enabled" {\n  type    = bool\n  default = true\n}\n')
        else:
            blocks.append(variable_block(rng, name))
    return "\n".join(blocks)


def root_main(
    rng: random.Random,
    cloud: str,
    *,
    team: str,
    service: str,
    env: str,
    local_modules: list[tuple[str, str]],
) -> str:
    """``main.tf`` of a root: local module calls, registry/git modules, direct resources."""
    parts = [comment(rng), ""]
    for kind, source in local_modules:
        parts.append(module_call(rng, kind.replace("-", "_"), source, kind, env))
    if cloud == "aws":
        if rng.random() < 0.6:
            parts.append(
                'module "registry_vpc" {\n'
                '  source  = "terraform-aws-modules/vpc/aws"\n'
                f'  version = "~> 5.{rng.randint(0, 9)}"\n\n'
                '  name            = "${local.name_prefix}-vpc"\n'
                "  cidr            = var.cidr_block\n"
                "  azs             = var.availability_zones\n"
                "  private_subnets = [for k, v in var.availability_zones : cidrsubnet(var.cidr_block, 4, k)]\n"
                "  public_subnets  = [for k, v in var.availability_zones : cidrsubnet(var.cidr_block, 8, k + 48)]\n"
                "  tags            = local.tags\n"
                "}\n"
            )
        if rng.random() < 0.4:
            parts.append(
                'module "git_ecs_service" {\n'
                f'  source = "git::https://github.com/acme/terraform-modules.git//ecs-service?ref=v{rng.randint(1, 4)}.{rng.randint(0, 20)}.0"\n\n'
                f'  name          = "{service}"\n'
                "  cluster_arn   = data.terraform_remote_state.shared.outputs.ecs_cluster_arn\n"
                "  desired_count = local.replica_count\n"
                f'  image         = "123456789012.dkr.ecr.us-east-1.amazonaws.com/{service}:${{var.environment}}"\n'
                "  environment = {\n"
                '    LOG_LEVEL = "info"\n'
                '    FEATURES  = join(",", keys(local.feature_flags))\n'
                "  }\n"
                "}\n"
            )
    return "\n".join(parts)


def aws_ecs_service(rng: random.Random, name: str) -> str:
    env_lines = "\n".join(
        f'    {k} = "{v}"'
        for k, v in [
            ("LOG_LEVEL", rng.choice(["info", "debug", "warn"])),
            ("PORT", "8080"),
            ("FEATURE_SET", dashed(rng, 3)),
            ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://localhost:4317"),
            ("UPSTREAM_URL", f"https://{dashed(rng)}.internal.acme.example"),
        ][: rng.randint(2, 5)]
    )
    return f"""locals {{
  {name}_environment = {{
{env_lines}
  }}
}}

resource "aws_ecs_task_definition" "{name}" {{
  family                   = "${{local.name_prefix}}-{name}"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = {rng.choice([256, 512, 1024, 2048])}
  memory                   = {rng.choice([512, 1024, 2048, 4096])}
  execution_role_arn       = data.terraform_remote_state.shared.outputs.ecs_execution_role_arn
  task_role_arn            = data.terraform_remote_state.shared.outputs.ecs_task_role_arn

  container_definitions = jsonencode([
    {{
      name      = "{name}"
      image     = "123456789012.dkr.ecr.us-east-1.amazonaws.com/{name}:${{var.environment}}"
      essential = true
      portMappings = [
        {{
          containerPort = 8080
          protocol      = "tcp"
        }},
      ]
      environment = [for key, value in local.{name}_environment : {{ name = key, value = value }}]
      secrets = [
        {{
          name      = "DATABASE_URL"
          valueFrom = "arn:aws:ssm:${{var.region}}:${{var.account_id}}:parameter/{name}/database-url"
        }},
      ]
      logConfiguration = {{
        logDriver = "awslogs"
        options = {{
          awslogs-group         = "/ecs/${{local.name_prefix}}/{name}"
          awslogs-region        = var.region
          awslogs-stream-prefix = "{name}"
        }}
      }}
      healthCheck = {{
        command  = ["CMD-SHELL", "curl -fsS http://localhost:8080/healthz || exit 1"]
        interval = 30
        retries  = 3
        timeout  = 5
      }}
    }},
  ])

  runtime_platform {{
    operating_system_family = "LINUX"
    cpu_architecture        = "{rng.choice(["X86_64", "ARM64"])}"
  }}
}}

resource "aws_ecs_service" "{name}" {{
  name            = "{name}"
  cluster         = data.terraform_remote_state.shared.outputs.ecs_cluster_arn
  task_definition = aws_ecs_task_definition.{name}.arn
  desired_count   = local.replica_count
  launch_type     = "FARGATE"

  network_configuration {{
    subnets          = var.subnet_ids
    security_groups  = [for sg in values(aws_security_group.{name}_tasks) : sg.id]
    assign_public_ip = false
  }}

  dynamic "load_balancer" {{
    for_each = var.enabled ? [1] : []
    content {{
      target_group_arn = "arn:aws:elasticloadbalancing:${{var.region}}:${{var.account_id}}:targetgroup/{name}/abc123"
      container_name   = "{name}"
      container_port   = 8080
    }}
  }}

  deployment_circuit_breaker {{
    enable   = true
    rollback = true
  }}

  propagate_tags = "SERVICE"
  tags           = local.tags
}}

resource "aws_security_group" "{name}_tasks" {{
  for_each    = toset(["app"])
  name_prefix = "${{local.name_prefix}}-{name}-${{each.key}}-"
  vpc_id      = var.vpc_id
}}

resource "aws_appautoscaling_target" "{name}" {{
  max_capacity       = {rng.randint(4, 40)}
  min_capacity       = 1
  resource_id        = "service/${{split("/", data.terraform_remote_state.shared.outputs.ecs_cluster_arn)[1]}}/${{aws_ecs_service.{name}.name}}"
  scalable_dimension = "ecs:service:DesiredCount"
  service_namespace  = "ecs"
}}
"""


def gcp_cloud_run(rng: random.Random, name: str) -> str:
    return f"""resource "google_cloud_run_v2_service" "{name}" {{
  name     = "{name.replace("_", "-")}-${{var.environment}}"
  project  = var.project_id
  location = var.region
  ingress  = "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER"

  template {{
    service_account = "{name.replace("_", "-")}@${{var.project_id}}.iam.gserviceaccount.com"
    timeout         = "{rng.choice([30, 60, 300])}s"

    scaling {{
      min_instance_count = var.environment == "prod" ? {rng.randint(1, 3)} : 0
      max_instance_count = {rng.randint(5, 100)}
    }}

    containers {{
      image = "us-docker.pkg.dev/acme-artifacts/services/{name}:${{var.environment}}"

      resources {{
        limits = {{
          cpu    = "{rng.choice(["1", "2", "4"])}"
          memory = "{rng.choice(["512Mi", "1Gi", "2Gi"])}"
        }}
        cpu_idle = true
      }}

      dynamic "env" {{
        for_each = merge(local.feature_flags, {{ LOG_LEVEL = "info", SERVICE = "{name}" }})
        content {{
          name  = env.key
          value = tostring(env.value)
        }}
      }}

      env {{
        name = "DATABASE_PASSWORD"
        value_source {{
          secret_key_ref {{
            secret  = "{name}-db-password"
            version = "latest"
          }}
        }}
      }}

      startup_probe {{
        http_get {{
          path = "/healthz"
        }}
        initial_delay_seconds = 5
        period_seconds        = 10
      }}
    }}

    vpc_access {{
      connector = "projects/${{var.project_id}}/locations/${{var.region}}/connectors/main"
      egress    = "PRIVATE_RANGES_ONLY"
    }}
  }}

  traffic {{
    type    = "TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST"
    percent = 100
  }}
}}

resource "google_cloud_run_v2_service_iam_member" "{name}_invoker" {{
  for_each = toset(var.service_names)
  project  = var.project_id
  location = var.region
  name     = google_cloud_run_v2_service.{name}.name
  role     = "roles/run.invoker"
  member   = "serviceAccount:${{each.value}}@${{var.project_id}}.iam.gserviceaccount.com"
}}
"""


def root_extra_files(rng: random.Random, cloud: str) -> dict[str, str]:
    """Resources a root declares itself, split over files as real stacks do."""
    files: dict[str, str] = {}
    if cloud == "aws":
        roles = [
            aws_iam_role(rng, f"{ident(rng, 1)}_{n}", rng.choice(["ecs-tasks", "lambda", "ec2"]))
            for n in range(rng.randint(2, 6))
        ]
        if rng.random() < 0.85:
            files["services.tf"] = "\n".join(
                aws_ecs_service(rng, f"{ident(rng, 1)}_{n}") for n in range(rng.randint(1, 3))
            )
        files["iam.tf"] = "\n".join(roles)
        groups = [aws_security_group(rng, f"{ident(rng, 1)}_{n}") for n in range(rng.randint(1, 3))]
        files["security_groups.tf"] = "\n".join(groups)
        if rng.random() < 0.5:
            metrics = ["CPUUtilization", "Errors", "Throttles", "Duration", "FreeStorageSpace"]
            files["alarms.tf"] = (
                "\n".join(
                    aws_alarm(rng, f"{ident(rng, 1)}_{n}", rng.choice(metrics))
                    for n in range(rng.randint(2, 6))
                )
                + 'resource "aws_sns_topic" "alerts" {\n  name = "${local.name_prefix}-alerts"\n}\n'
            )
        if rng.random() < 0.35:
            files["queues.tf"] = aws_sqs(rng)
            if rng.random() < 0.6:
                files["lambda.tf"] = aws_lambda(rng, ident(rng, 1))
        if rng.random() < 0.3:
            files["alb.tf"] = aws_alb(rng)
    else:
        files["iam.tf"] = gcp_iam_module(rng)
        if rng.random() < 0.85:
            files["services.tf"] = "\n".join(
                gcp_cloud_run(rng, f"{ident(rng, 1)}_{n}") for n in range(rng.randint(1, 3))
            )
        if rng.random() < 0.6:
            files["monitoring.tf"] = gcp_monitoring_module(rng)
        if rng.random() < 0.4:
            files["storage.tf"] = gcp_gcs_module(rng)
        if rng.random() < 0.3:
            files["sql.tf"] = gcp_cloudsql_module(rng)
    return files


def tfvars(rng: random.Random, env: str, region: str, cloud: str) -> str:
    lines = [
        f'environment = "{env}"',
        f'region      = "{region}"',
    ]
    if cloud == "aws":
        lines.append(f'account_id  = "{rng.randint(10**11, 10**12 - 1)}"')
    else:
        lines.append(f'project_id  = "acme-{env}-{dashed(rng, 1)}"')
    lines.append(f'cidr_block  = "10.{rng.randint(0, 255)}.0.0/16"')
    lines.append("")
    lines.append(
        "availability_zones = ["
        + ", ".join(f'"{region}{z}"' for z in "abc"[: rng.randint(2, 3)])
        + "]"
    )
    lines.append("enabled_features   = [" + ", ".join(f'"{w}"' for w in rng.sample(WORDS, 3)) + "]")
    lines.append("")
    lines.append("extra_tags = {")
    lines.append(f'  CostCenter = "cc-{rng.randint(1000, 9999)}"')
    lines.append(f'  Owner      = "{dashed(rng, 1)}@acme.example"')
    lines.append("}")
    return "\n".join(lines) + "\n"


def auto_tfvars(rng: random.Random, env: str) -> str:
    rules = ",\n".join(
        f'  {{ description = "{w}", port = {rng.choice([443, 8443, 5432, 6379, 9090])}, cidr_blocks = ["10.{rng.randint(0, 255)}.0.0/16"] }}'
        for w in rng.sample(WORDS, rng.randint(1, 4))
    )
    return f"# Overrides for {env}; loaded automatically after terraform.tfvars.\nenabled = {str(env != 'dev').lower()}\n\ningress_rules = [\n{rules},\n]\n"


# ----------------------------------------------------------------------------------------
# Large generated files (per-block parse cost)
# ----------------------------------------------------------------------------------------


def dns_records(rng: random.Random, target_bytes: int) -> str:
    parts = [
        "# Generated from the DNS inventory. Do not edit by hand.\n",
        'resource "aws_route53_zone" "internal" {\n  name = "internal.acme.example"\n\n  vpc {\n    vpc_id = var.vpc_id\n  }\n}\n',
    ]
    size = sum(len(p) for p in parts)
    index = 0
    while size < target_bytes:
        name = f"{dashed(rng)}-{index}"
        kind = rng.random()
        if kind < 0.6:
            block = (
                f'resource "aws_route53_record" "r{index:05d}" {{\n'
                "  zone_id = aws_route53_zone.internal.zone_id\n"
                f'  name    = "{name}.internal.acme.example"\n'
                '  type    = "A"\n'
                f"  ttl     = {rng.choice([60, 300, 3600])}\n"
                f'  records = ["10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"]\n'
                "}\n"
            )
        elif kind < 0.85:
            block = (
                f'resource "aws_route53_record" "r{index:05d}" {{\n'
                "  zone_id = aws_route53_zone.internal.zone_id\n"
                f'  name    = "{name}.internal.acme.example"\n'
                '  type    = "CNAME"\n'
                "  ttl     = 300\n"
                f'  records = ["${{var.environment}}-{dashed(rng, 1)}.elb.amazonaws.com"]\n'
                "}\n"
            )
        else:
            block = (
                f'resource "aws_route53_record" "r{index:05d}" {{\n'
                "  zone_id = aws_route53_zone.internal.zone_id\n"
                f'  name    = "{name}.internal.acme.example"\n'
                '  type    = "A"\n\n'
                "  alias {\n"
                f"    name                   = module.alb_{rng.choice(WORDS)}.dns_name\n"
                "    zone_id                = var.alb_zone_id\n"
                "    evaluate_target_health = true\n"
                "  }\n"
                "}\n"
            )
        parts.append(block)
        size += len(block) + 1
        index += 1
    return "\n".join(parts)


def iam_policies(rng: random.Random, target_bytes: int) -> str:
    parts = ["// Generated from access reviews; one policy per application role.\n"]
    size = len(parts[0])
    index = 0
    while size < target_bytes:
        role = f"{dashed(rng)}-{index}"
        statements = ",\n".join(
            f"""      {{
        Sid      = "S{j}"
        Effect   = "{rng.choice(["Allow", "Allow", "Deny"])}"
        Action   = [{", ".join(f'"{a}"' for a in rng.sample(["s3:GetObject", "s3:PutObject", "sqs:SendMessage", "kms:Decrypt", "dynamodb:Query", "logs:PutLogEvents", "ssm:GetParameters"], 3))}]
        Resource = "arn:aws:{rng.choice(["s3", "sqs", "kms", "dynamodb"])}:::{role}-{j}/*"
      }}"""
            for j in range(rng.randint(1, 4))
        )
        block = f"""resource "aws_iam_policy" "p{index:05d}" {{
  name        = "{role}"
  path        = "/applications/"
  description = "Access for {role} (${{var.environment}})"
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [
{statements}
    ]
  }})
  tags = {{
    Role = "{role}"
  }}
}}
"""
        parts.append(block)
        size += len(block) + 1
        index += 1
    return "\n".join(parts)


def alarm_catalogue(rng: random.Random, target_bytes: int) -> str:
    parts = [
        'locals {\n  name_prefix = "platform-${var.environment}"\n  tags        = { Team = "sre" }\n}\n',
        'resource "aws_sns_topic" "alerts" {\n  name = "platform-alerts"\n}\n',
    ]
    size = sum(len(p) for p in parts)
    index = 0
    metrics = ["CPUUtilization", "Errors", "Throttles", "Duration", "FreeStorageSpace", "5XXError"]
    while size < target_bytes:
        block = aws_alarm(rng, f"a{index:05d}", rng.choice(metrics))
        parts.append(block)
        size += len(block) + 1
        index += 1
    return "\n".join(parts)


LARGE_FILE_KINDS = {
    "dns": dns_records,
    "iam": iam_policies,
    "alarms": alarm_catalogue,
}


# ----------------------------------------------------------------------------------------
# Foreign YAML that baa-lint must ignore
# ----------------------------------------------------------------------------------------


def k8s_manifest(rng: random.Random, name: str) -> str:
    return f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
  labels:
    app: {name}
spec:
  replicas: {rng.randint(1, 6)}
  selector:
    matchLabels:
      app: {name}
  template:
    metadata:
      labels:
        app: {name}
    spec:
      containers:
        - name: {name}
          image: ghcr.io/acme/{name}:1.{rng.randint(0, 40)}.0
          env:
            - name: ANTHROPIC_BASE_URL
              value: https://api.anthropic.com
          resources:
            limits:
              cpu: "{rng.choice(["250m", "500m", "1"])}"
              memory: {rng.choice(["256Mi", "512Mi", "1Gi"])}
---
apiVersion: v1
kind: Service
metadata:
  name: {name}
spec:
  selector:
    app: {name}
  ports:
    - port: 80
      targetPort: 8080
"""


def helm_values_template(name: str) -> str:
    # Not valid YAML (a Helm template): baa-lint must skip it silently.
    return f"""apiVersion: v1
kind: ConfigMap
metadata:
  name: {{{{ include "{name}.fullname" . }}}}
data:
  {{{{- range $key, $value := .Values.config }}}}
  {{{{ $key }}}}: {{{{ $value | quote }}}}
  {{{{- end }}}}
"""


def workflow(team: str) -> str:
    return f"""name: terraform-{team}
on:
  pull_request:
    paths: ["teams/{team}/**"]
jobs:
  plan:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: hashicorp/setup-terraform@v3
      - run: terraform -chdir=teams/{team} fmt -check -recursive
"""
