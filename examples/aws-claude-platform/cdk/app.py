"""The CDK app behind cdk.out/ (for reference: baa-lint reads the synthesized template).

cdk synth --app "python app.py"
"""

import aws_cdk as cdk
from aws_cdk import aws_awsexternalanthropic as claude

app = cdk.App()
stack = cdk.Stack(app, "CareIntakeStack")

claude.CfnWorkspace(
    stack,
    "IntakeWorkspace",
    name="member-intake",
    tags=[cdk.CfnTag(key="phi", value="true"), cdk.CfnTag(key="models", value="claude-haiku-4-5")],
)
claude.CfnWorkspace(
    stack,
    "DigestWorkspace",
    name=cdk.Fn.join("-", ["weekly-digest", cdk.Aws.REGION]),
    tags=[cdk.CfnTag(key="models", value="claude-fable-5")],
)

app.synth()
