"""Supports for ideas, and the rule that routes a popular idea into the project register."""
