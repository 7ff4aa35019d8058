"""Token-factory economics."""
