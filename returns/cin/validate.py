"""Runs the DfE's CIN census rules (csc-validator-be-cin) on a census XML file and prints what they
found as JSON on stdout: every issue with its rule's code, type (ERROR or QUERY) and message, the
child and the table and fields it was found in; the return-level issues; and any rule that could
not run. Usage: python validate.py <file.xml> [ruleset, default cin2025_26]

The package's own command line (python -m cin_validator run) prints a table for people and needs
pytest; this calls the same functions it does (convert_data, process_data, CinValidator).
"""

import contextlib
import importlib
import io
import json
import sys
import warnings
import xml.etree.ElementTree as ET

warnings.simplefilter("ignore")

from cin_validator import cin_validator  # noqa: E402


def text(value):
    if value is None:
        return None
    try:
        import pandas as pd

        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return str(value)


def main():
    path = sys.argv[1]
    ruleset = sys.argv[2] if len(sys.argv) > 2 else "cin2025_26"
    registry = getattr(importlib.import_module(f"cin_validator.rules.{ruleset}"), "registry")
    rules = {str(rule.code): rule for rule in registry.values()}

    root = ET.parse(path).getroot()
    data = cin_validator.process_data(cin_validator.convert_data(root))

    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        validator = cin_validator.CinValidator(data, registry)

    def describe(code):
        rule = rules.get(str(code))
        return {
            "rule": str(code),
            "type": rule.rule_type.name if rule else None,
            "message": rule.message if rule else None,
        }

    issues = []
    for row in validator.full_issue_df.to_dict("records"):
        issue = describe(row.get("rule_code"))
        issue.update(
            child=text(row.get("child_id")),
            table=text(row.get("tables_affected")),
            fields=text(row.get("columns_affected")),
        )
        issues.append(issue)

    return_level = [describe(row.get("rule_code")) for row in validator.multichild_issues.to_dict("records")]

    crashed = [
        line[len("Error with rule ") :]
        for line in printed.getvalue().splitlines()
        if line.startswith("Error with rule ")
    ]

    json.dump(
        {
            "ruleset": ruleset,
            "rules": len(rules),
            "errorRules": sum(1 for r in rules.values() if r.rule_type.name == "ERROR"),
            "queryRules": sum(1 for r in rules.values() if r.rule_type.name == "QUERY"),
            "issues": issues,
            "returnLevel": return_level,
            "crashed": crashed,
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
