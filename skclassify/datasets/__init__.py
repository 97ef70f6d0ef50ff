"""Synthetic data sets from the two source tasks.

- :func:`make_sum_threshold`: uniform features, label = "row sum above a threshold".
- :func:`make_waves`: one constant "waveform" level per class plus tiny Gaussian noise.
"""

from skclassify.datasets._samples_generator import make_sum_threshold, make_waves

__all__ = ["make_sum_threshold", "make_waves"]
