"""Python-side code of the course exercise: it calls into the Rust extension."""

from setup import it_works

__all__ = ["it_works"]
