"""Typed clients for the calls one service makes to another over HTTP."""
