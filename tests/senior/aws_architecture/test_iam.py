"""IAM evaluation: the IAM User Guide's examples, properties under Hypothesis, a regex model."""

from __future__ import annotations

import fnmatch
import functools
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.senior.aws_architecture import (
    evaluate,
    evaluate_with_scps,
    explain,
    wildcard_match,
)

# -- the IAM User Guide's explicit-vs-implicit deny example ("The difference
# between explicit and implicit denies"): AllowGetList + DenyReports.
GET_LIST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "AllowGetList",
            "Effect": "Allow",
            "Action": ["iam:Get*", "iam:List*"],
            "Resource": "*",
        },
        {"Sid": "DenyReports", "Effect": "Deny", "Action": "iam:*Report", "Resource": "*"},
    ],
}


@pytest.mark.parametrize(
    ("action", "decision", "reason"),
    [
        ("iam:GetUser", "Allow", "allowed by AllowGetList"),
        ("iam:ListRoles", "Allow", "allowed by AllowGetList"),
        ("iam:CreatePolicy", "Deny", "implicit deny"),
        ("iam:GetOrganizationsAccessReport", "Deny", "explicit deny by DenyReports"),
        ("IAM:getorganizationsaccessreport", "Deny", "explicit deny by DenyReports"),
    ],
)
def test_user_guide_get_list_example(action: str, decision: str, reason: str) -> None:
    assert explain([GET_LIST], action, "*") == (decision, reason)


def test_another_allow_cannot_override_the_explicit_deny() -> None:
    grant = {
        "Statement": {"Effect": "Allow", "Action": "iam:GenerateCredentialReport", "Resource": "*"}
    }
    assert evaluate([grant], "iam:GenerateCredentialReport", "*") == "Allow"
    assert evaluate([GET_LIST, grant], "iam:GenerateCredentialReport", "*") == "Deny"
    assert evaluate([grant, GET_LIST], "iam:GenerateCredentialReport", "*") == "Deny"


def test_actions_case_insensitive_resources_case_sensitive() -> None:
    p = {
        "Statement": {
            "Effect": "Allow",
            "Action": "S3:GetObject",
            "Resource": "arn:aws:s3:::Bucket/*",
        }
    }
    assert evaluate([p], "s3:getobject", "arn:aws:s3:::Bucket/k") == "Allow"
    assert evaluate([p], "s3:getobject", "arn:aws:s3:::bucket/k") == "Deny"


def test_wildcards_in_resources_cross_slashes_and_question_mark_is_one_char() -> None:
    p = {
        "Statement": {
            "Effect": "Allow",
            "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::logs/2026-0?/*",
        }
    }
    assert evaluate([p], "s3:GetObject", "arn:aws:s3:::logs/2026-01/a/b/c.gz") == "Allow"
    assert evaluate([p], "s3:GetObject", "arn:aws:s3:::logs/2026-1/a") == "Deny"
    assert evaluate([p], "s3:GetObject", "arn:aws:s3:::logs/2026-012/a") == "Deny"


def test_not_action_allows_everything_else() -> None:
    p = {"Statement": {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}}
    assert evaluate([p], "s3:GetObject", "arn:x") == "Allow"
    assert evaluate([p], "iam:CreateUser", "arn:x") == "Deny"


def test_not_action_deny_is_the_mfa_style_guardrail() -> None:
    allow_all = {"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}
    deny_but_iam = {
        "Statement": {"Effect": "Deny", "NotAction": ["iam:ChangePassword"], "Resource": "*"}
    }
    assert evaluate([allow_all, deny_but_iam], "iam:ChangePassword", "*") == "Allow"
    assert evaluate([allow_all, deny_but_iam], "ec2:RunInstances", "*") == "Deny"


def test_not_resource() -> None:
    p = {
        "Statement": [
            {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
            {"Effect": "Deny", "Action": "s3:*", "NotResource": ["arn:aws:s3:::public/*"]},
        ]
    }
    assert evaluate([p], "s3:GetObject", "arn:aws:s3:::public/x") == "Allow"
    assert evaluate([p], "s3:GetObject", "arn:aws:s3:::private/x") == "Deny"


def test_single_statement_dict_and_unnamed_statement_reason() -> None:
    p = {"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}
    assert explain([p], "a:b", "r") == ("Allow", "allowed by policy[0].Statement[0]")


def test_conditions_gate_a_statement() -> None:
    p = {
        "Statement": {
            "Effect": "Allow",
            "Action": "ec2:*",
            "Resource": "*",
            "Condition": {"StringEquals": {"aws:RequestedRegion": "eu-west-1"}},
        }
    }
    assert (
        evaluate([p], "ec2:RunInstances", "*", context={"aws:RequestedRegion": "eu-west-1"})
        == "Allow"
    )
    assert (
        evaluate([p], "ec2:RunInstances", "*", context={"aws:RequestedRegion": "us-east-1"})
        == "Deny"
    )
    assert evaluate([p], "ec2:RunInstances", "*") == "Deny"


@pytest.mark.parametrize(
    ("policies", "action", "resource", "error", "message"),
    [
        ("nope", "a:b", "r", TypeError, "policies must be a list"),
        ({"Statement": []}, "a:b", "r", TypeError, "policies must be a list"),
        ([1], "a:b", "r", TypeError, "policy[0] must be a dict, got 1"),
        ([{}], "a:b", "r", ValueError, "has no Statement"),
        ([{"Statement": []}], "a:b", "r", ValueError, "non-empty list"),
        ([{"Statement": [3]}], "a:b", "r", TypeError, "each statement must be a dict, got 3"),
        ([{"Version": "2020", "Statement": {}}], "a:b", "r", ValueError, "got '2020'"),
        (
            [{"Statement": {"Effect": "allow", "Action": "*", "Resource": "*"}}],
            "a:b",
            "r",
            ValueError,
            "got 'allow'",
        ),
        (
            [{"Statement": {"Effect": "Allow", "Resource": "*"}}],
            "a:b",
            "r",
            ValueError,
            "exactly one of Action and NotAction",
        ),
        (
            [{"Statement": {"Effect": "Allow", "Action": "*", "NotAction": "*", "Resource": "*"}}],
            "a:b",
            "r",
            ValueError,
            "exactly one of Action and NotAction",
        ),
        (
            [{"Statement": {"Effect": "Allow", "Action": "*"}}],
            "a:b",
            "r",
            ValueError,
            "exactly one of Resource and NotResource",
        ),
        (
            [{"Statement": {"Effect": "Allow", "Action": [], "Resource": "*"}}],
            "a:b",
            "r",
            ValueError,
            "Action must be a string or a non-empty list",
        ),
        (
            [{"Statement": {"Effect": "Allow", "Action": [7], "Resource": "*"}}],
            "a:b",
            "r",
            TypeError,
            "Action must be a str",
        ),
        (
            [{"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*", "Principal": "*"}}],
            "a:b",
            "r",
            ValueError,
            "Principal",
        ),
        (
            [{"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*", "Extra": 1}}],
            "a:b",
            "r",
            ValueError,
            "unknown statement element(s) ['Extra']",
        ),
        (
            [
                {
                    "Statement": {
                        "Effect": "Allow",
                        "Action": "*",
                        "Resource": "*",
                        "Condition": {"DateLessThan": {"k": "v"}},
                    }
                }
            ],
            "a:b",
            "r",
            ValueError,
            "unsupported condition operator 'DateLessThan'",
        ),
        (
            [{"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}, "Statment": []}],
            "a:b",
            "r",
            ValueError,
            "unknown policy element(s) ['Statment']",
        ),
        (
            [{"Effect": "Allow", "Action": "*", "Resource": "*"}],  # a statement, not a policy
            "a:b",
            "r",
            ValueError,
            "policy[0] has no Statement",
        ),
        (
            [{"Statement": {"Sid": 5, "Effect": "Allow", "Action": "*", "Resource": "*"}}],
            "a:b",
            "r",
            TypeError,
            "Sid must be a str, got int: 5",
        ),
        (
            [
                {
                    "Version": "2012-10-17",
                    "Statement": {
                        "Effect": "Allow",
                        "Action": "s3:*",
                        "Resource": "arn:aws:s3:::home/${aws:username}/*",
                    },
                }
            ],
            "s3:GetObject",
            "arn:aws:s3:::home/alice/a",
            ValueError,
            "policy variables such as 'arn:aws:s3:::home/${aws:username}/*' are not supported",
        ),
        (
            [
                {
                    "Version": "2012-10-17",
                    "Statement": {
                        "Effect": "Deny",
                        "Action": "*",
                        "Resource": "*",
                        "Condition": {"StringNotEquals": {"aws:username": ["${aws:username}"]}},
                    },
                }
            ],
            "a:b",
            "r",
            ValueError,
            "policy variables such as '${aws:username}'",
        ),
        ([], "", "r", ValueError, "action must be a non-empty str"),
        ([], "GetObject", "r", ValueError, "got 'GetObject'"),
        ([], "s3:Get*", "r", ValueError, "got 's3:Get*'"),
        ([], None, "r", TypeError, "action must be a str"),
        ([], "a:b", "", ValueError, "resource must be a non-empty str"),
        ([], "a:b", b"r", TypeError, "resource must be a str"),
    ],
)
def test_bad_input(policies: Any, action: Any, resource: Any, error: type, message: str) -> None:
    with pytest.raises(error, match=re.escape(message)):
        evaluate(policies, action, resource)


def test_without_version_a_policy_variable_is_literal_text() -> None:
    # IAM User Guide, "Version": absent Version means 2008-10-17, where ${...} is a literal
    p = {"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::h/${x}/*"}}
    assert evaluate([p], "s3:GetObject", "arn:aws:s3:::h/${x}/k") == "Allow"
    assert evaluate([p], "s3:GetObject", "arn:aws:s3:::h/alice/k") == "Deny"
    assert evaluate([dict(p, Version="2008-10-17")], "s3:GetObject", "arn:aws:s3:::h/${x}/k") == (
        "Allow"
    )


def test_star_crosses_colons_the_documented_simplification() -> None:
    # The IAM User Guide keeps a mid-segment * inside its segment; this matcher does not.
    p = {"Statement": {"Effect": "Allow", "Action": "*", "Resource": "arn:aws:s3:::a*z"}}
    assert evaluate([p], "s3:GetObject", "arn:aws:s3:::a:b:z") == "Allow"
    assert wildcard_match("arn:aws:iam::?23:role/r", "arn:aws:iam:::23:role/r")  # ? matches ':'


def test_a_malformed_policy_fails_even_after_a_matching_deny() -> None:
    deny = {"Statement": {"Effect": "Deny", "Action": "*", "Resource": "*"}}
    bad = {"Statement": {"Effect": "Maybe", "Action": "*", "Resource": "*"}}
    with pytest.raises(ValueError, match="got 'Maybe'"):
        evaluate([deny, bad], "a:b", "r")


def test_bad_context_and_scp_levels() -> None:
    with pytest.raises(TypeError, match="context must be a dict"):
        evaluate([], "a:b", "r", context=[("k", "v")])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="must be finite, got nan"):
        evaluate([], "a:b", "r", context={"k": float("nan")})
    with pytest.raises(TypeError, match="must be str, bool, int or float"):
        evaluate([], "a:b", "r", context={"k": None})
    with pytest.raises(TypeError, match="scp_levels must be a list"):
        evaluate_with_scps([], "x", "a:b", "r")  # type: ignore[arg-type]


# ------------------------------------------------------------- wildcard matching


def _brute(pattern: str, text: str) -> bool:
    @functools.cache
    def go(i: int, j: int) -> bool:
        if i == len(pattern):
            return j == len(text)
        if pattern[i] == "*":
            return any(go(i + 1, k) for k in range(j, len(text) + 1))
        return j < len(text) and pattern[i] in ("?", text[j]) and go(i + 1, j + 1)

    return go(0, 0)


ALPHABET = "ab:/*?"


@settings(max_examples=200, deadline=None)
@given(st.text(ALPHABET, max_size=8), st.text("ab:/", max_size=10))
def test_wildcard_match_equals_brute_force_and_fnmatch(pattern: str, text: str) -> None:
    expected = _brute(pattern, text)
    assert wildcard_match(pattern, text) == expected
    assert fnmatch.fnmatchcase(text, pattern) == expected  # no '[' in the alphabet


def test_wildcard_literals_and_pathological_pattern() -> None:
    assert wildcard_match("a[b]", "a[b]")  # no character classes in IAM
    assert not wildcard_match("a[b]", "ab")
    assert not wildcard_match("a*" * 20 + "b", "a" * 60)  # fast: no regex backtracking
    with pytest.raises(TypeError, match="pattern must be a str"):
        wildcard_match(None, "x")  # type: ignore[arg-type]


# ------------------------------------------------------------- random policies

ACTIONS = ["s3:GetObject", "s3:PutObject", "ec2:RunInstances", "iam:CreateUser"]
RESOURCES = ["arn:aws:s3:::b/k", "arn:aws:s3:::b/x/y", "arn:aws:s3:::B/k", "*"]
pattern = st.sampled_from(
    [
        "*",
        "s3:*",
        "S3:get*",
        "s3:?etObject",
        "ec2:*",
        "iam:Create*",
        "s3:GetObject",
        "arn:aws:s3:::b/*",
        "arn:aws:s3:::B/*",
        "arn:aws:s3:::b/?",
        "arn:*",
        "*/y",
    ]
)
patterns = st.one_of(pattern, st.lists(pattern, min_size=1, max_size=3))


@st.composite
def statements(draw: st.DrawFn) -> dict[str, Any]:
    s: dict[str, Any] = {"Effect": draw(st.sampled_from(["Allow", "Deny"]))}
    s["NotAction" if draw(st.booleans()) and draw(st.booleans()) else "Action"] = draw(patterns)
    s["NotResource" if draw(st.booleans()) and draw(st.booleans()) else "Resource"] = draw(patterns)
    return s


policy_sets = st.lists(
    st.lists(statements(), min_size=1, max_size=4).map(lambda ss: {"Statement": ss}),
    max_size=4,
)


def _model(policies: list[dict[str, Any]], action: str, resource: str) -> str:
    """An independent evaluator: regexes from fnmatch, deny-overrides by two passes."""

    def hit(raw: Any, value: str, *, fold: bool) -> bool:
        items = [raw] if isinstance(raw, str) else raw
        flags = re.IGNORECASE if fold else 0
        return any(re.fullmatch(fnmatch.translate(p), value, flags) for p in items)

    def applies(s: dict[str, Any]) -> bool:
        a = (
            hit(s["Action"], action, fold=True)
            if "Action" in s
            else not hit(s["NotAction"], action, fold=True)
        )
        r = (
            hit(s["Resource"], resource, fold=False)
            if "Resource" in s
            else not hit(s["NotResource"], resource, fold=False)
        )
        return a and r

    all_statements = [s for p in policies for s in p["Statement"]]
    if any(s["Effect"] == "Deny" and applies(s) for s in all_statements):
        return "Deny"
    return "Allow" if any(s["Effect"] == "Allow" and applies(s) for s in all_statements) else "Deny"


request = st.tuples(st.sampled_from(ACTIONS), st.sampled_from(RESOURCES))


@settings(max_examples=80, deadline=None)
@given(policy_sets, request)
def test_evaluate_equals_the_regex_model(
    policies: list[dict[str, Any]], req: tuple[str, str]
) -> None:
    assert evaluate(policies, *req) == _model(policies, *req)


@settings(max_examples=60, deadline=None)
@given(policy_sets, request, st.data())
def test_a_matching_explicit_deny_never_allows(
    policies: list[dict[str, Any]], req: tuple[str, str], data: st.DataObject
) -> None:
    action, resource = req
    deny = {"Statement": {"Effect": "Deny", "Action": action.upper(), "Resource": resource}}
    at = data.draw(st.integers(0, len(policies)))
    assert evaluate([*policies[:at], deny, *policies[at:]], action, resource) == "Deny"


@settings(max_examples=60, deadline=None)
@given(policy_sets, request, st.lists(statements(), min_size=1, max_size=3))
def test_adding_an_allow_never_denies_an_allowed_request(
    policies: list[dict[str, Any]], req: tuple[str, str], extra: list[dict[str, Any]]
) -> None:
    allows = [dict(s, Effect="Allow") for s in extra]
    if evaluate(policies, *req) == "Allow":
        assert evaluate([*policies, {"Statement": allows}], *req) == "Allow"


@settings(max_examples=40, deadline=None)
@given(policy_sets, request, st.randoms(use_true_random=False))
def test_policy_order_does_not_matter(
    policies: list[dict[str, Any]], req: tuple[str, str], rnd: Any
) -> None:
    shuffled = list(policies)
    rnd.shuffle(shuffled)
    assert evaluate(shuffled, *req) == evaluate(policies, *req)


# ------------------------------------------------------------- SCPs

FULL: dict[str, Any] = {"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}


@settings(max_examples=60, deadline=None)
@given(policy_sets, st.lists(policy_sets, max_size=3), request)
def test_an_scp_never_grants(
    identity: list[dict[str, Any]], levels: list[list[dict[str, Any]]], req: tuple[str, str]
) -> None:
    verdict = evaluate_with_scps(identity, levels, *req)
    expected = all(evaluate(lv, *req) == "Allow" for lv in [*levels, identity])
    assert (verdict == "Allow") == expected
    if verdict == "Allow":
        assert evaluate(identity, *req) == "Allow"


def test_scp_examples() -> None:
    deny_regions = {
        "Statement": {
            "Effect": "Deny",
            "Action": "ec2:*",
            "Resource": "*",
            "Condition": {
                "StringNotEquals": {"aws:RequestedRegion": ["eu-west-1", "eu-central-1"]}
            },
        }
    }
    levels: list[list[dict[str, Any]]] = [[FULL], [FULL, deny_regions]]
    ctx_ok = {"aws:RequestedRegion": "eu-west-1"}
    ctx_bad = {"aws:RequestedRegion": "us-east-1"}
    assert evaluate_with_scps([FULL], levels, "ec2:RunInstances", "*", context=ctx_ok) == "Allow"
    assert evaluate_with_scps([FULL], levels, "ec2:RunInstances", "*", context=ctx_bad) == "Deny"
    # a level without any SCP allows nothing: FullAWSAccess must be attached
    assert evaluate_with_scps([FULL], [[FULL], []], "s3:GetObject", "*") == "Deny"
    assert evaluate_with_scps([FULL], [], "s3:GetObject", "*") == "Allow"
