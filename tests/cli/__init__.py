"""Tests of the ``vaglio`` command line, in-process and as a process."""
