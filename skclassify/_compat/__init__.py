"""The one place that imports Keras quietly and reaches scikit-learn's privates.

- :mod:`._keras`: import Keras (and TensorFlow) without start-up log spam, cap
  TensorFlow's thread pools.
- :mod:`._sklearn`: the private scikit-learn helpers skclassify relies on.
"""
