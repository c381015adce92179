"""Comparisons that treat None, NaN and pandas' NA as "no value" (a missing
value never equals anything), shared by the figure tests."""
import pandas as pd


def is_null(v) -> bool:
    if v is None:
        return True
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def eq(actual, expected) -> bool:
    """Equality that is False (not an error) for None, NaN and pd.NA."""
    return not is_null(actual) and bool(actual == expected)
