"""Tests of the windows, driven with pytest-qt offscreen."""
