"""Tests for the advanced distributed systems chapter."""
