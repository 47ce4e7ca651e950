"""The chapter's Terraform, parsed by python-hcl2 and checked for what the page claims."""

from __future__ import annotations

from typing import Any

import hcl2
import pytest

from studybook.senior.aws_architecture import (
    DEMO_POLICY,
    IAM_POLICY_TF,
    S3_BUCKET_TF,
    VPC_CIDR,
    VPC_SUBNETS,
    VPC_TF,
    evaluate,
    plan_vpc,
)


def _unquote(value: Any) -> Any:
    """python-hcl2 8 keeps string literals' quotes; strip them, recursively."""
    if isinstance(value, str) and len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1]
    if isinstance(value, list):
        return [_unquote(v) for v in value]
    if isinstance(value, dict):
        return {_unquote(k): _unquote(v) for k, v in value.items() if k != "__is_block__"}
    return value


def _blocks(text: str, kind: str) -> dict[str, dict[str, Any]]:
    """``{"type.name": attributes}`` for every ``resource`` (or ``data``) block."""
    out: dict[str, dict[str, Any]] = {}
    for entry in _unquote(hcl2.loads(text)).get(kind, []):
        for rtype, named in entry.items():
            for name, body in named.items():
                out[f"{rtype}.{name}"] = body
    return out


def test_vpc_subnets_are_the_planned_ones() -> None:
    res = _blocks(VPC_TF, "resource")
    vpc = res["aws_vpc.main"]
    assert vpc["cidr_block"] == VPC_CIDR
    assert vpc["enable_dns_support"] is True
    assert vpc["enable_dns_hostnames"] is True
    subnets = {
        k.split(".")[1].replace("_", "-"): v for k, v in res.items() if k.startswith("aws_subnet.")
    }
    planned = {s.name: s.cidr for s in plan_vpc(VPC_CIDR, list(VPC_SUBNETS))}
    assert {name: s["cidr_block"] for name, s in subnets.items()} == planned
    for name, s in subnets.items():
        assert s["vpc_id"] == "${aws_vpc.main.id}"
        assert s["availability_zone"] == "eu-west-1" + name[-1]
        assert s.get("map_public_ip_on_launch", False) is name.startswith("public")
    (route,) = res["aws_route_table.public"]["route"]
    assert route == {"cidr_block": "0.0.0.0/0", "gateway_id": "${aws_internet_gateway.main.id}"}


def _policy_from_document(doc: dict[str, Any]) -> dict[str, Any]:
    """Turn an ``aws_iam_policy_document`` into the IAM JSON Terraform would render."""
    statements = []
    for s in doc["statement"]:
        out: dict[str, Any] = {
            "Sid": s["sid"],
            "Effect": s["effect"],
            "Action": s["actions"],
            "Resource": s["resources"],
        }
        for c in s.get("condition", []):
            out.setdefault("Condition", {}).setdefault(c["test"], {})[c["variable"]] = c["values"]
        statements.append(out)
    return {"Version": "2012-10-17", "Statement": statements}


@pytest.mark.parametrize(
    ("action", "resource", "tls", "decision"),
    [
        ("s3:GetObject", "arn:aws:s3:::studybook-orders/a.json", True, "Allow"),
        ("s3:ListBucket", "arn:aws:s3:::studybook-orders", True, "Allow"),
        ("s3:GetObject", "arn:aws:s3:::studybook-orders/a.json", False, "Deny"),
        ("s3:DeleteObject", "arn:aws:s3:::studybook-orders/a.json", True, "Deny"),
        ("s3:GetObject", "arn:aws:s3:::other/a.json", True, "Deny"),
    ],
)
def test_iam_policy_document_decides_like_the_page(
    action: str, resource: str, tls: bool, decision: str
) -> None:
    data = _blocks(IAM_POLICY_TF, "data")
    policy = _policy_from_document(data["aws_iam_policy_document.orders_reader"])
    ctx = {"aws:SecureTransport": tls}
    assert evaluate([policy], action, resource, context=ctx) == decision
    assert evaluate([DEMO_POLICY], action, resource, context=ctx) == decision


def test_iam_policy_document_is_the_demo_policy() -> None:
    data = _blocks(IAM_POLICY_TF, "data")
    policy = _policy_from_document(data["aws_iam_policy_document.orders_reader"])
    demo = {
        **DEMO_POLICY,
        "Statement": [
            {
                **s,
                "Action": s["Action"] if isinstance(s["Action"], list) else [s["Action"]],
                "Resource": s["Resource"] if isinstance(s["Resource"], list) else [s["Resource"]],
            }
            for s in DEMO_POLICY["Statement"]
        ],
    }  # type: ignore[attr-defined]
    for s in demo["Statement"]:
        for keys in s.get("Condition", {}).values():
            for k, v in keys.items():
                keys[k] = v if isinstance(v, list) else [v]
    assert policy == demo
    resource = _blocks(IAM_POLICY_TF, "resource")["aws_iam_policy.orders_reader"]
    assert resource["policy"] == "${data.aws_iam_policy_document.orders_reader.json}"


def test_s3_bucket_is_versioned_encrypted_and_private() -> None:
    res = _blocks(S3_BUCKET_TF, "resource")
    assert res["aws_s3_bucket.orders"]["bucket"] == "studybook-orders"
    (versioning,) = res["aws_s3_bucket_versioning.orders"]["versioning_configuration"]
    assert versioning == {"status": "Enabled"}
    (rule,) = res["aws_s3_bucket_server_side_encryption_configuration.orders"]["rule"]
    (default,) = rule["apply_server_side_encryption_by_default"]
    assert default == {"sse_algorithm": "aws:kms"}
    block = res["aws_s3_bucket_public_access_block.orders"]
    for flag in (
        "block_public_acls",
        "block_public_policy",
        "ignore_public_acls",
        "restrict_public_buckets",
    ):
        assert block[flag] is True
    for body in res.values():
        if "bucket" in body and body is not res["aws_s3_bucket.orders"]:
            assert body["bucket"] == "${aws_s3_bucket.orders.id}"
