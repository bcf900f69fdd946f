"""Shared kernel: configuration, extensions, permissions, workflows, audit, jobs."""
