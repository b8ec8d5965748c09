"""The knowledge: the YAML schema, loading and validating a KB, secrets, reloads, lint and
checks."""
