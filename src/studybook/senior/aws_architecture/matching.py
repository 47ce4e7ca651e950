"""IAM's wildcard matching: ``*`` for any run of characters, ``?`` for exactly one.

Used for actions, resources and the ``StringLike`` condition operators. There
is no escape character and no character class, so ``[`` is a literal.
"""

from __future__ import annotations

from studybook._validate import check_str

__all__ = ["wildcard_match"]


def wildcard_match(pattern: str, text: str) -> bool:
    """IAM glob: ``*`` matches any run of characters, ``?`` exactly one, the rest literally.

    The greedy two-pointer algorithm: on a mismatch, go back to the last ``*``
    and let it swallow one more character. No regular expression is built, so
    a pattern such as ``a*a*a*a*b`` cannot blow up.

    Args:
        pattern: the policy's pattern.
        text: the request's value.

    Returns:
        Whether the whole of ``text`` matches the whole of ``pattern``.

    Raises:
        TypeError: either argument is not a str.

    Complexity: O(len(pattern) · len(text)) worst case, O(len(text)) typical.

    >>> wildcard_match("arn:aws:s3:::logs-202?/*", "arn:aws:s3:::logs-2026/01/a.gz")
    True
    >>> wildcard_match("s3:Get*", "s3:PutObject"), wildcard_match("*", "")
    (False, True)
    """
    check_str(pattern, "pattern")
    check_str(text, "text")
    p = t = 0
    star = -1  # index in pattern of the last '*' seen
    resume = 0  # index in text where that '*' would resume
    while t < len(text):
        if p < len(pattern) and (pattern[p] == "?" or pattern[p] == text[t]):
            p += 1
            t += 1
        elif p < len(pattern) and pattern[p] == "*":
            star, resume = p, t
            p += 1
        elif star >= 0:
            resume += 1  # the last '*' swallows one more character
            p, t = star + 1, resume
        else:
            return False
    while p < len(pattern) and pattern[p] == "*":
        p += 1
    return p == len(pattern)
