"""The IAM policy evaluation rule for one principal: explicit deny, then allow, else deny.

AWS reads every policy that applies to a request together, in no particular
order. If any matching statement says ``Deny`` the answer is Deny (an
*explicit* deny, which nothing overrides); otherwise, if any matching
statement says ``Allow``, the answer is Allow; otherwise the answer is Deny
(the *implicit* deny every principal starts with). A statement matches when
its action, its resource and every one of its conditions match.

Matching rules, from the IAM User Guide's JSON policy reference:

- ``*`` matches any run of characters (empty included) and ``?`` exactly one;
  there is no escape and no character class.
- Actions (``s3:GetObject``) compare case-insensitively; resources (ARNs)
  compare case-sensitively.
- ``NotAction`` / ``NotResource`` match everything *except* what they list.
- Condition operators in one block are ANDed, keys under one operator are
  ANDed, the values listed for one key are ORed (NORed for the negated
  operators). A key missing from the request context makes a condition false,
  except for a negated operator, where it makes it true.

Service control policies (SCPs) use the same language but never grant: a
request is allowed only if the identity policies allow it *and* the SCPs at
every level of the organization (root, each OU, the account) allow it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

from studybook._validate import check_str
from studybook.senior.aws_architecture.conditions import (
    Context,
    check_condition,
    check_context,
    conditions_hold,
)
from studybook.senior.aws_architecture.matching import wildcard_match

__all__ = ["Decision", "evaluate", "evaluate_with_scps", "explain", "wildcard_match"]

Decision = Literal["Allow", "Deny"]

_POLICY_KEYS = {"Version", "Id", "Statement"}
_STATEMENT_KEYS = {"Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Condition"}


def evaluate(
    policies: Sequence[Mapping[str, object]],
    action: str,
    resource: str,
    *,
    context: Mapping[str, object] | None = None,
) -> Decision:
    """Decide one request against a principal's identity-based policies.

    Args:
        policies: IAM JSON policy documents as dicts, each with a
            ``Statement`` (one statement or a list) and optionally a
            ``Version`` and an ``Id``. A missing ``Version`` means
            ``2008-10-17``, as in IAM, where ``${...}`` is literal text; in a
            ``2012-10-17`` policy ``${...}`` is a policy variable, which this
            evaluator does not substitute, so it refuses the policy.
        action: the request's action, ``service:Operation`` (no wildcards).
        resource: the request's resource ARN (case matters).
        context: the request context for ``Condition`` blocks, e.g.
            ``{"aws:SecureTransport": True, "aws:SourceIp": "203.0.113.7"}``.

    Returns:
        ``"Allow"`` or ``"Deny"``.

    Raises:
        TypeError: a policy, statement or argument of the wrong type.
        ValueError: a malformed policy (bad ``Effect`` or ``Version``, an
            unknown policy or statement element, both or neither of
            ``Action``/``NotAction``, an unknown condition operator, a
            ``Principal`` in an identity policy, a policy variable) or a
            malformed request.

    Complexity: O(s · p · (a + r)) for s statements, p patterns per statement
    and request lengths a, r (each wildcard match is O(pattern · text) worst).

    >>> p = {"Version": "2012-10-17", "Statement": [
    ...     {"Effect": "Allow", "Action": "s3:Get*", "Resource": "arn:aws:s3:::docs/*"},
    ...     {"Effect": "Deny", "Action": "s3:*", "Resource": "arn:aws:s3:::docs/secret/*"}]}
    >>> [evaluate([p], "S3:GETOBJECT", r) for r in
    ...  ("arn:aws:s3:::docs/a", "arn:aws:s3:::docs/secret/b", "arn:aws:s3:::DOCS/a")]
    ['Allow', 'Deny', 'Deny']
    >>> evaluate([{"Statement": {"Effect": "Permit", "Action": "*", "Resource": "*"}}], "s3:x", "*")
    Traceback (most recent call last):
        ...
    ValueError: Effect must be 'Allow' or 'Deny', got 'Permit'
    """
    return explain(policies, action, resource, context=context)[0]


def explain(
    policies: Sequence[Mapping[str, object]],
    action: str,
    resource: str,
    *,
    context: Mapping[str, object] | None = None,
) -> tuple[Decision, str]:
    """Like :func:`evaluate`, and say why: ``(decision, reason)``.

    The reason is ``"explicit deny by <sid>"``, ``"allowed by <sid>"`` or
    ``"implicit deny"``; a statement without a ``Sid`` is named
    ``policy[i].Statement[j]``.

    Args:
        policies: as for :func:`evaluate`.
        action: as for :func:`evaluate`.
        resource: as for :func:`evaluate`.
        context: as for :func:`evaluate`.

    Returns:
        The decision and a one-line reason.

    Raises:
        TypeError: as :func:`evaluate`.
        ValueError: as :func:`evaluate`.

    Complexity: as :func:`evaluate`.

    >>> explain([{"Statement": [{"Sid": "ReadAll", "Effect": "Allow",
    ...     "Action": "dynamodb:Get*", "Resource": "*"}]}], "dynamodb:GetItem", "arn:t")
    ('Allow', 'allowed by ReadAll')
    >>> explain([], "dynamodb:GetItem", "arn:t")
    ('Deny', 'implicit deny')
    """
    check_str(action, "action", nonempty=True)
    if ":" not in action or "*" in action or "?" in action:
        raise ValueError(f"action must be 'service:Operation' without wildcards, got {action!r}")
    check_str(resource, "resource", nonempty=True)
    ctx = check_context(context)
    if isinstance(policies, (str, bytes, Mapping)) or not isinstance(policies, Sequence):
        raise TypeError(f"policies must be a list of policy dicts, got {policies!r}")
    checked = []  # validate every statement first, so a bad policy fails on every request
    for i, policy in enumerate(policies):
        for j, statement in enumerate(_statements(policy, i)):
            sid = check_str(
                statement.get("Sid", f"policy[{i}].Statement[{j}]"), "Sid", nonempty=True
            )
            checked.append((sid, _effect(statement), statement))
    allowed_by: str | None = None
    for name, effect, statement in checked:
        if not _matches(statement, action, resource, ctx):
            continue
        if effect == "Deny":
            return "Deny", f"explicit deny by {name}"
        if allowed_by is None:
            allowed_by = name
    if allowed_by is not None:
        return "Allow", f"allowed by {allowed_by}"
    return "Deny", "implicit deny"


def _statements(policy: object, index: int) -> list[Mapping[str, object]]:
    if not isinstance(policy, Mapping):
        raise TypeError(f"policy[{index}] must be a dict, got {policy!r}")
    version = policy.get("Version", "2008-10-17")  # IAM's default when Version is absent
    if version not in ("2012-10-17", "2008-10-17"):
        raise ValueError(f"Version must be '2012-10-17' or '2008-10-17', got {version!r}")
    if "Statement" not in policy:
        raise ValueError(f"policy[{index}] has no Statement: {policy!r}")
    unknown = set(policy) - _POLICY_KEYS
    if unknown:
        raise ValueError(f"unknown policy element(s) {sorted(map(str, unknown))!r}")
    raw = policy["Statement"]
    items = [raw] if isinstance(raw, Mapping) else raw
    if not isinstance(items, list) or not items:
        raise ValueError(f"Statement must be a dict or a non-empty list, got {raw!r}")
    for statement in items:
        if not isinstance(statement, Mapping):
            raise TypeError(f"each statement must be a dict, got {statement!r}")
        if "Principal" in statement or "NotPrincipal" in statement:
            raise ValueError(
                f"Principal belongs in resource-based policies; this evaluator takes "
                f"identity-based policies, got {statement!r}"
            )
        unknown = set(statement) - _STATEMENT_KEYS
        if unknown:
            raise ValueError(f"unknown statement element(s) {sorted(unknown)!r}")
        for name in ("Action", "Resource"):
            negated = "Not" + name
            if (name in statement) == (negated in statement):
                raise ValueError(
                    f"a statement needs exactly one of {name} and {negated}, got {statement!r}"
                )
            key = name if name in statement else negated
            _patterns(statement[key], key)
        check_condition(statement.get("Condition", {}))
        if version == "2012-10-17":
            _refuse_policy_variables(statement)
    return items


def _refuse_policy_variables(statement: Mapping[str, object]) -> None:
    """Raise on ``${...}`` in a 2012-10-17 statement: a policy variable we cannot resolve."""
    texts: list[object] = [statement.get("Resource"), statement.get("NotResource")]
    condition = statement.get("Condition", {})
    if isinstance(condition, Mapping):
        texts.extend(v for keys in condition.values() for v in keys.values())
    for raw in texts:
        for item in raw if isinstance(raw, list) else [raw]:
            if isinstance(item, str) and "${" in item:
                raise ValueError(
                    f"policy variables such as {item!r} are not supported; "
                    f"substitute them before evaluating"
                )


def _effect(statement: Mapping[str, object]) -> Decision:
    effect = statement.get("Effect")
    if effect == "Allow":
        return "Allow"
    if effect == "Deny":
        return "Deny"
    raise ValueError(f"Effect must be 'Allow' or 'Deny', got {effect!r}")


def _matches(statement: Mapping[str, object], action: str, resource: str, ctx: Context) -> bool:
    return (
        _element(statement, "Action", action, case_sensitive=False)
        and _element(statement, "Resource", resource, case_sensitive=True)
        and conditions_hold(statement.get("Condition", {}), ctx)
    )


def _element(
    statement: Mapping[str, object], name: str, value: str, *, case_sensitive: bool
) -> bool:
    """Match ``Action``/``NotAction`` (or ``Resource``/``NotResource``) against ``value``."""
    key = name if name in statement else "Not" + name
    patterns = _patterns(statement[key], key)
    if not case_sensitive:
        value = value.lower()
        patterns = [p.lower() for p in patterns]
    hit = any(wildcard_match(p, value) for p in patterns)
    return hit if key == name else not hit


def _patterns(raw: object, key: str) -> list[str]:
    items = [raw] if isinstance(raw, str) else raw
    if not isinstance(items, list) or not items:
        raise ValueError(f"{key} must be a string or a non-empty list of strings, got {raw!r}")
    for item in items:
        check_str(item, key, nonempty=True)
    return items


def evaluate_with_scps(
    identity_policies: Sequence[Mapping[str, object]],
    scp_levels: Sequence[Sequence[Mapping[str, object]]],
    action: str,
    resource: str,
    *,
    context: Mapping[str, object] | None = None,
) -> Decision:
    """Decide a request in a member account of an AWS Organization.

    SCPs are attached to the root, to each OU on the path to the account and
    to the account itself (``scp_levels``, one list per level, root first).
    A request is allowed only if *every* level's SCPs allow it and the
    identity policies allow it: SCPs set the ceiling, they never grant.

    Args:
        identity_policies: the principal's identity-based policies.
        scp_levels: the SCPs at each level; a level with no SCP denies
            everything (AWS attaches ``FullAWSAccess`` by default for that reason).
        action: the request's action, as for :func:`evaluate`.
        resource: the request's resource.
        context: the request context for conditions.

    Returns:
        ``"Allow"`` or ``"Deny"``.

    Raises:
        TypeError: as :func:`evaluate`.
        ValueError: as :func:`evaluate`.

    Complexity: the sum of :func:`evaluate` over the levels and the identity policies.

    >>> full = {"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}
    >>> no_regions = {"Statement": {"Effect": "Deny", "Action": "ec2:*", "Resource": "*"}}
    >>> admin = [full]
    >>> evaluate_with_scps(admin, [[full], [full, no_regions]], "ec2:RunInstances", "*")
    'Deny'
    >>> evaluate_with_scps([], [[full]], "s3:GetObject", "*")
    'Deny'
    """
    if isinstance(scp_levels, (str, bytes, Mapping)) or not isinstance(scp_levels, Sequence):
        raise TypeError(f"scp_levels must be a list of lists of policies, got {scp_levels!r}")
    for level in scp_levels:
        if evaluate(level, action, resource, context=context) == "Deny":
            return "Deny"
    return evaluate(identity_policies, action, resource, context=context)
