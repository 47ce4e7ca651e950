"""Part IV: System Design."""
