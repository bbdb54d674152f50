"""Read data/ into validated, sourced records (figures, texts, charts, briefings)."""

from generators.load.dataset import Dataset, load_dataset

__all__ = ["Dataset", "load_dataset"]
