"""Part I: Data Structures & Algorithms."""
