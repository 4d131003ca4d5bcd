"""The unified social credit code (统一社会信用代码) of GB 32100-2015.

18 characters: registering authority (1), organisation type (1), administrative division (6 digits),
organisation code (9, itself checked by GB 11714) and a check character computed over the first 17
with weights 3^i mod 31 over the 31-character alphabet below (no I, O, S, V, Z).
"""

from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {c: i for i, c in enumerate(ALPHABET)}
_WEIGHTS = [pow(3, i, 31) for i in range(17)]
_ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]


def check_character(first17: str) -> str:
    """The GB 32100 check character for the first 17 characters."""
    total = sum(_VALUE[c] * w for c, w in zip(first17, _WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def _org_code_ok(org: str) -> bool:
    """GB 11714 check of the 9-character organisation code inside the credit code."""
    try:
        total = sum(_VALUE[c] * w for c, w in zip(org[:8], _ORG_WEIGHTS, strict=True))
    except KeyError:
        return False
    rest = 11 - total % 11
    expected = "X" if rest == 10 else "0" if rest == 11 else str(rest)
    return org[8] == expected


def credit_code_problem(code: str) -> tuple[str, str] | None:
    """None when the code is valid, else (Chinese, English) saying what is wrong."""
    code = code.strip().upper()
    if len(code) != 18:
        return (
            f"统一社会信用代码应为18位，当前为{len(code)}位",
            f"a unified social credit code has 18 characters, this one has {len(code)}",
        )
    bad = sorted({c for c in code if c not in _VALUE})
    if bad:
        return (
            f"统一社会信用代码含有不允许的字符：{''.join(bad)}（不使用 I、O、S、V、Z）",
            f"the code contains characters that are not allowed: {''.join(bad)} (I, O, S, V, Z are never "
            "used)",
        )
    if not code[2:8].isdigit():
        return (
            "第3至8位应为行政区划代码（数字）",
            "characters 3 to 8 must be the administrative division code (digits)",
        )
    if check_character(code[:17]) != code[17]:
        return (
            "校验位不正确，请核对是否抄错",
            "the check character does not match; the code was probably copied wrongly",
        )
    if not _org_code_ok(code[8:17]):
        return (
            "其中的组织机构代码（第9至17位）校验不正确",
            "the organisation code inside it (characters 9 to 17) fails its check",
        )
    return None


def is_valid_credit_code(code: str) -> bool:
    return credit_code_problem(code) is None


def make_credit_code(prefix8: str, org8: str) -> str:
    """Build a valid code from authority+type+division (8) and the first 8 of the organisation code.

    Used by the demo generator; real codes come from the served enterprise.
    """
    total = sum(_VALUE[c] * w for c, w in zip(org8, _ORG_WEIGHTS, strict=True))
    rest = 11 - total % 11
    org9 = org8 + ("X" if rest == 10 else "0" if rest == 11 else str(rest))
    first17 = prefix8 + org9
    return first17 + check_character(first17)
