"""Part V: Infrastructure & Orchestration."""
