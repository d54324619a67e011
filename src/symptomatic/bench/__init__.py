"""Benchmarks: DDXPlus readers, metrics and runners."""
