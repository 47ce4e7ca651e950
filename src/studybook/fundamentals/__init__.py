"""Part II: Performance & Fundamentals."""
