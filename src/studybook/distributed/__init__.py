"""Part III: Distributed Systems."""
