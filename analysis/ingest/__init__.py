"""Bringing articles in: `add` one at a time, `import` a whole export (rows checked, written as one set)."""
