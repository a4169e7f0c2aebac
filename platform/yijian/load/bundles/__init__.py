"""Compiling a 一件事 bundle: member checks, joined parts and one compiled form."""
