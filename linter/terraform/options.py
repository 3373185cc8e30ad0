"""What the Terraform front end needs to know of a run's settings, and nothing more."""

from __future__ import annotations

from dataclasses import dataclass, field

from linter.core.files import DEFAULT_MAX_FILE_SIZE


@dataclass(frozen=True)
class TagKeys:
    """Tag names that carry compliance facts on Terraform workspaces."""

    phi: str = "phi"
    models: str = "models"
    products: str = "products"
    data_retention: str = "data_retention"


@dataclass(frozen=True)
class TerraformOptions:
    """The six settings Terraform evaluation reads (the rest of the configuration is not its
    business)."""

    var_files: tuple[str, ...] = ()
    variables: dict[str, str] = field(default_factory=dict)
    tag_keys: TagKeys = field(default_factory=TagKeys)
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    prune: bool = True  # off only to prove that pruning never changes a finding
    jobs: int = 0  # 0: the default (one per processor: see loader.job_count)
