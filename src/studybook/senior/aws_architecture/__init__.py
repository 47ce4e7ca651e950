"""AWS architecture in code: an IAM policy evaluator, SCPs, VPC CIDR planning, Terraform.

Interviewers for cloud and senior roles ask three things that can be
computed rather than recited: *will this request be allowed* (IAM's
evaluation rule, wildcards, conditions, SCPs in a multi-account
organization), *how do I lay out this VPC* (CIDR planning with AWS's five
reserved addresses per subnet), and *show me the infrastructure as code*.
One submodule per concern:

- :mod:`~.iam`: :func:`~.iam.evaluate` (explicit deny, then allow, else implicit
  deny), :func:`~.iam.explain`, :func:`~.iam.evaluate_with_scps`;
- :mod:`~.matching`: IAM's ``*``/``?`` wildcard matcher;
- :mod:`~.conditions`: string, numeric, Bool and IP address conditions;
- :mod:`~.vpc`: :func:`~.vpc.plan_vpc` on top of the subnetting chapter's VLSM planner;
- :mod:`~.terraform`: the chapter's Terraform examples as text.

Invariant: an explicit deny that matches a request can never be overridden,
and adding an ``Allow`` statement never turns an allowed request into a denied one.

======================  ===================================  =================
function                answers                              cost
======================  ===================================  =================
evaluate / explain      Allow or Deny (and why)              O(s · p · (a+r))
evaluate_with_scps      the same inside an AWS Organization  O(levels · eval)
wildcard_match          IAM glob, no regex                   O(m · n) worst
plan_vpc                one AWS-legal subnet per tier        O(n log n)
======================  ===================================  =================

>>> evaluate([{"Statement": {"Effect": "Allow", "Action": "sqs:*", "Resource": "*"}}],
...          "SQS:SendMessage", "arn:aws:sqs:eu-west-1:111122223333:orders")
'Allow'

Primary sources: AWS IAM User Guide ("Policy evaluation logic", "IAM JSON
policy elements", "Condition operators"); AWS Organizations User Guide
("Service control policies"); Amazon VPC User Guide ("Subnet CIDR blocks").
"""

from __future__ import annotations

from typing import TextIO

from studybook.senior.aws_architecture.conditions import (
    OPERATORS,
    check_condition,
    check_context,
    conditions_hold,
)
from studybook.senior.aws_architecture.iam import (
    Decision,
    evaluate,
    evaluate_with_scps,
    explain,
)
from studybook.senior.aws_architecture.matching import wildcard_match
from studybook.senior.aws_architecture.terraform import (
    IAM_POLICY_TF,
    S3_BUCKET_TF,
    VPC_CIDR,
    VPC_SUBNETS,
    VPC_TF,
)
from studybook.senior.aws_architecture.vpc import (
    AWS_RESERVED,
    MAX_PREFIX,
    MIN_PREFIX,
    VpcSubnet,
    plan_vpc,
    reserved_addresses,
)

__all__ = [
    "AWS_RESERVED",
    "DEMO_POLICY",
    "IAM_POLICY_TF",
    "MAX_PREFIX",
    "MIN_PREFIX",
    "OPERATORS",
    "S3_BUCKET_TF",
    "VPC_CIDR",
    "VPC_SUBNETS",
    "VPC_TF",
    "Decision",
    "VpcSubnet",
    "check_condition",
    "check_context",
    "conditions_hold",
    "demo",
    "evaluate",
    "evaluate_with_scps",
    "explain",
    "plan_vpc",
    "reserved_addresses",
    "wildcard_match",
]

#: The demo's identity policy, the JSON twin of the Terraform example's policy document.
DEMO_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "ReadOrders",
            "Effect": "Allow",
            "Action": ["s3:GetObject", "s3:ListBucket"],
            "Resource": ["arn:aws:s3:::studybook-orders", "arn:aws:s3:::studybook-orders/*"],
        },
        {
            "Sid": "DenyPlainHTTP",
            "Effect": "Deny",
            "Action": "s3:*",
            "Resource": "*",
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        },
    ],
}


def demo(out: TextIO) -> None:
    """Evaluate requests against a policy and SCPs, then plan a three-tier VPC.

    >>> import io
    >>> buf = io.StringIO()
    >>> demo(buf)
    >>> print(buf.getvalue(), end="")
    IAM: the ReadOrders policy (TLS required)
    s3:GetObject arn:aws:s3:::studybook-orders/a.json tls   Allow allowed by ReadOrders
    s3:getobject arn:aws:s3:::studybook-orders/a.json tls   Allow allowed by ReadOrders
    s3:GetObject arn:aws:s3:::studybook-orders/a.json plain Deny  explicit deny by DenyPlainHTTP
    s3:PutObject arn:aws:s3:::studybook-orders/a.json tls   Deny  implicit deny
    s3:GetObject arn:aws:s3:::Studybook-orders/a.json tls   Deny  implicit deny
    <BLANKLINE>
    SCPs: root FullAWSAccess, OU 'workloads' denies iam:CreateUser
    admin in the account, iam:CreateUser -> Deny (the SCP limits)
    admin in the account, s3:GetObject   -> Allow
    no identity policy,   s3:GetObject   -> Deny (an SCP never grants)
    <BLANKLINE>
    VPC 10.0.0.0/16: 3 tiers x 2 AZs, 5 addresses reserved per subnet
    name         hosts  cidr            first usable  last usable   usable
    app-a         1000  10.0.0.0/22     10.0.0.4      10.0.3.254      1019
    app-b         1000  10.0.4.0/22     10.0.4.4      10.0.7.254      1019
    public-a       250  10.0.8.0/24     10.0.8.4      10.0.8.254       251
    public-b       250  10.0.9.0/24     10.0.9.4      10.0.9.254       251
    db-a           100  10.0.10.0/25    10.0.10.4     10.0.10.126      123
    db-b           100  10.0.10.128/25  10.0.10.132   10.0.10.254      123
    used 2816 of 65536 addresses
    """
    out.write("IAM: the ReadOrders policy (TLS required)\n")
    key = "arn:aws:s3:::studybook-orders/a.json"
    requests = (
        ("s3:GetObject", key, True),
        ("s3:getobject", key, True),
        ("s3:GetObject", key, False),
        ("s3:PutObject", key, True),
        ("s3:GetObject", key.replace("studybook", "Studybook"), True),
    )
    for action, resource, tls in requests:
        decision, why = explain(
            [DEMO_POLICY], action, resource, context={"aws:SecureTransport": tls}
        )
        out.write(f"{action:<13}{resource:<37}{'tls' if tls else 'plain':<6}{decision:<6}{why}\n")
    full = {"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}
    no_users = {"Statement": {"Effect": "Deny", "Action": "iam:CreateUser", "Resource": "*"}}
    levels = [[full], [full, no_users], [full]]
    admin = [full]
    obj = "arn:aws:s3:::studybook-orders/a"
    out.write("\nSCPs: root FullAWSAccess, OU 'workloads' denies iam:CreateUser\n")
    verdict = evaluate_with_scps(admin, levels, "iam:CreateUser", "*")
    out.write(f"admin in the account, iam:CreateUser -> {verdict} (the SCP limits)\n")
    verdict = evaluate_with_scps(admin, levels, "s3:GetObject", obj)
    out.write(f"admin in the account, s3:GetObject   -> {verdict}\n")
    verdict = evaluate_with_scps([], levels, "s3:GetObject", obj)
    out.write(f"no identity policy,   s3:GetObject   -> {verdict} (an SCP never grants)\n")
    plan = plan_vpc(VPC_CIDR, list(VPC_SUBNETS))
    out.write(f"\nVPC {VPC_CIDR}: 3 tiers x 2 AZs, {AWS_RESERVED} addresses reserved per subnet\n")
    out.write("name         hosts  cidr            first usable  last usable   usable\n")
    for s in plan:
        out.write(f"{s}\n")
    used = sum(2 ** (32 - int(s.cidr.split("/")[1])) for s in plan)
    out.write(f"used {used} of {2 ** (32 - int(VPC_CIDR.split('/')[1]))} addresses\n")
