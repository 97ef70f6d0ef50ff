"""Warm-fit time of a user's Keras model (KerasClassifier) vs KerasMLPClassifier.

The first source's softmax net -- Dense(20, relu) -> Dense(2, softmax),
rmsprop, categorical cross-entropy -- on the "sum > 2.5" task (250 x 5),
150 epochs of batches of 32, written once as a Keras builder compiled inside
(KerasClassifier) and once as hyperparameters (KerasMLPClassifier). Both run
every epoch (``n_iter_no_change=150``). After one fit of each that compiles
its loop, fits of fresh estimators (as in cross-validation folds) alternate
between the two; the script prints the median of each and their ratio.

Usage: ``python benchmarks/keras_classifier_speed.py [--repeats 7] [--seed 0]``.
"""

import argparse
import platform
import time
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning

from skclassify import KerasClassifier, KerasMLPClassifier
from skclassify.datasets import make_sum_threshold


def source_net(meta):
    """The tutorial's net, as a Keras user writes it."""
    import keras

    model = keras.Sequential(
        [
            keras.Input((meta["n_features_in_"],)),
            keras.layers.Dense(20, activation="relu"),
            keras.layers.Dense(2, activation="softmax"),
        ]
    )
    model.compile("rmsprop", "categorical_crossentropy", metrics=["accuracy"])
    return model


def estimators(seed):
    budget = dict(epochs=150, batch_size=32, n_iter_no_change=150, random_state=seed)
    return {
        "KerasClassifier": KerasClassifier(source_net, **budget),
        "KerasMLPClassifier": KerasMLPClassifier(
            hidden_layer_sizes=(20,),
            activation="relu",
            loss="categorical_crossentropy",
            optimizer="rmsprop",
            alpha=0.0,
            **budget,
        ),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore", category=ConvergenceWarning)
    X, y = make_sum_threshold(n_samples=250, random_state=args.seed)
    for estimator in estimators(args.seed).values():
        estimator.fit(X, y)  # compiles the loop
    times = {name: [] for name in estimators(args.seed)}
    for repeat in range(args.repeats):
        for name, estimator in estimators(args.seed + repeat).items():
            start = time.perf_counter()
            estimator.fit(X, y)
            times[name].append(time.perf_counter() - start)
    medians = {name: float(np.median(t)) for name, t in times.items()}
    print(
        f"machine: {platform.processor() or platform.machine()}, "
        f"repeats: {args.repeats}, seed: {args.seed}"
    )
    for name, t in times.items():
        print(
            f"{name:>20}: median {medians[name]:.3f} s  "
            f"(all: {', '.join(f'{s:.3f}' for s in t)})"
        )
    ratio = medians["KerasClassifier"] / medians["KerasMLPClassifier"]
    print(f"ratio KerasClassifier / KerasMLPClassifier: {ratio:.2f}")


if __name__ == "__main__":
    main()
