"""Chinese and Arabic numerals as they appear in heading markers (一、 / 第十二条 / （３）)."""

from __future__ import annotations

_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
           "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
#: Characters a Chinese numeral in a marker is written with.
CN_NUMERAL_CHARS = "一二三四五六七八九十百千零〇"

_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def cn_to_int(chars: str) -> int:
    """Value of a Chinese numeral such as 三, 十二, 二十, 一百零五, 一百一十; ``ValueError`` if malformed."""
    if not chars:
        raise ValueError("empty numeral")
    total, digit, last_unit = 0, None, 10_000
    for ch in chars:
        if ch in _DIGITS:
            if digit is not None and digit != 0:
                raise ValueError(f"two digits in a row: {chars}")
            digit = _DIGITS[ch]
        elif ch in _UNITS:
            unit = _UNITS[ch]
            if unit >= last_unit:
                raise ValueError(f"units out of order: {chars}")
            total += (1 if digit is None else digit) * unit
            digit, last_unit = None, unit
        else:
            raise ValueError(f"not a Chinese numeral: {chars}")
    if digit is not None:
        total += digit
    if total <= 0:
        raise ValueError(f"not a positive numeral: {chars}")
    return total


def int_to_cn(number: int) -> str:
    """Chinese numeral for 1-9999 in the form markers use: 十一, 二十, 一百零五, 一百一十."""
    if not 0 < number < 10_000:
        raise ValueError(f"out of range: {number}")
    names = "〇一二三四五六七八九"
    parts: list[str] = []
    pending_zero = False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = number // value % 10
        if digit == 0:
            pending_zero = bool(parts)
            continue
        if pending_zero:
            parts.append("零")
            pending_zero = False
        if not (unit == "十" and digit == 1 and not parts):
            parts.append(names[digit])
        parts.append(unit)
    return "".join(parts)


def arabic_to_int(chars: str) -> int:
    """Value of a run of ASCII or full-width digits."""
    return int(chars.translate(_FULLWIDTH_DIGITS))


def has_fullwidth_digit(chars: str) -> bool:
    """Whether ``chars`` contains a full-width digit (０-９)."""
    return any("０" <= ch <= "９" for ch in chars)
