"""skclassify.export: ONNX conversion of whole pipelines and safe persistence.

Every check compares with the fitted pipeline's own ``predict_proba`` and
``predict`` on held-out float32 rows. Fits are tiny (a few epochs): what is
checked is that the exported graph computes what the estimator computes,
whatever the weights.
"""

import subprocess
import sys
import textwrap
import warnings

import numpy as np
import pytest

pytest.importorskip("skl2onnx")
pytest.importorskip("onnxruntime")
pytest.importorskip("skops")

import onnxruntime as ort  # noqa: E402
import skl2onnx  # noqa: E402
import skops.io as sio  # noqa: E402
from sklearn.compose import ColumnTransformer  # noqa: E402
from sklearn.exceptions import ConvergenceWarning  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

import skclassify.export  # noqa: E402, F401  (registers the converters)
from skclassify import KerasClassifier, KerasMLPClassifier  # noqa: E402
from skclassify.activations import ACTIVATIONS  # noqa: E402
from skclassify.export import (  # noqa: E402
    load_keras,
    save_keras,
    trusted_types,
)
from skclassify.objectives import LOSSES  # noqa: E402

ACTIVATION_NAMES = sorted({record.name for record in ACTIVATIONS.values()})
MULTILABEL_LOSSES = [
    "binary_crossentropy",
    "hinge",
    "squared_hinge",
    "mean_squared_error",
    "mean_absolute_error",
]
#: the ways outputs become probabilities that no other default test covers
#: (one sigmoid unit: binary_mlp; softmax: keras_pipeline): one tanh unit,
#: several tanh units, unbounded units, tanh units per label; the rest run
#: with -m slow
FAST_MAPPINGS = [
    ("binary", "hinge", "auto"),
    ("multiclass", "categorical_hinge", "auto"),
    ("multiclass", "mean_squared_error", "linear"),
    ("multilabel", "hinge", "auto"),
]
ALL_MAPPINGS = [
    *[("binary", loss, "auto") for loss in ["auto", *LOSSES]],
    *[("multiclass", loss, "auto") for loss in ["auto", *LOSSES]],
    *[("multilabel", loss, "auto") for loss in ["auto", *MULTILABEL_LOSSES]],
    ("binary", "hinge", "linear"),
    ("multiclass", "mean_squared_error", "relu"),
    ("multilabel", "mean_squared_error", "linear"),
]


def _data(kind):
    rng = np.random.RandomState(0)
    X = rng.randn(90, 4).astype(np.float32) * 2 + 1
    if kind == "binary":
        y = np.where(X[:, 0] + X[:, 1] > 2, "yes", "no")
    elif kind == "multiclass":
        y = np.digitize(X[:, 0], [0.0, 2.0])  # integer labels 0, 1, 2
    else:
        y = (X[:, :3] > 1).astype(int)
    return X[:60], y[:60], X[60:]


def _fit(estimator, kind):
    X, y, X_test = _data(kind)
    pipeline = make_pipeline(StandardScaler(), estimator)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        pipeline.fit(X, y)
    return pipeline, X_test


def _mlp(**params):
    return KerasMLPClassifier((5,), epochs=3, random_state=0, **params)


def _run_onnx(pipeline, X, options=None):
    onx = skl2onnx.to_onnx(pipeline, X[:1], options=options)
    session = ort.InferenceSession(
        onx.SerializeToString(), providers=["CPUExecutionProvider"]
    )
    return session.run(None, {session.get_inputs()[0].name: X})


def assert_onnx_matches(pipeline, X):
    classifier = type(pipeline[-1])
    labels, proba = _run_onnx(pipeline, X, options={classifier: {"zipmap": False}})
    np.testing.assert_allclose(proba, pipeline.predict_proba(X), rtol=0, atol=1e-5)
    np.testing.assert_array_equal(labels, pipeline.predict(X))


@pytest.fixture(scope="module")
def binary_mlp():
    return _fit(_mlp(), "binary")


# -- KerasMLPClassifier ------------------------------------------------------------
@pytest.mark.parametrize("activation", ACTIVATION_NAMES)
def test_every_hidden_activation_converts(binary_mlp, activation):
    # The fitted weights stay; prediction uses the activation set now (as
    # MLPClassifier's does), and so must the converted graph.
    pipeline, X_test = binary_mlp
    pipeline.set_params(kerasmlpclassifier__activation=activation)
    try:
        assert_onnx_matches(pipeline, X_test)
    finally:
        pipeline.set_params(kerasmlpclassifier__activation="relu")


@pytest.mark.slow
@pytest.mark.parametrize("activation", ACTIVATION_NAMES)
def test_every_activation_fitted_converts(activation):
    assert_onnx_matches(*_fit(_mlp(activation=activation), "multiclass"))


def _mapping_params(mappings, marks=()):
    return [
        pytest.param(kind, loss, out, id=f"{kind}-{loss}-{out}", marks=marks)
        for kind, loss, out in mappings
    ]


@pytest.mark.parametrize(
    "kind, loss, output_activation",
    [
        *_mapping_params(FAST_MAPPINGS),
        *_mapping_params(
            [m for m in ALL_MAPPINGS if m not in FAST_MAPPINGS], [pytest.mark.slow]
        ),
    ],
)
def test_every_loss_and_target_type_converts(kind, loss, output_activation):
    estimator = _mlp(activation="tanh", loss=loss, output_activation=output_activation)
    assert_onnx_matches(*_fit(estimator, kind))


def test_zipmap_by_default_as_for_sklearn_classifiers(binary_mlp):
    pipeline, X_test = binary_mlp
    labels, proba = _run_onnx(pipeline, X_test)
    assert isinstance(proba, list) and set(proba[0]) == {"no", "yes"}
    expected = pipeline.predict_proba(X_test)
    got = np.array([[row["no"], row["yes"]] for row in proba])
    np.testing.assert_allclose(got, expected, atol=1e-5)
    np.testing.assert_array_equal(labels, pipeline.predict(X_test))


# -- KerasClassifier -----------------------------------------------------------------
def build_stack(meta, hidden=6):
    """A Dense stack: Gaussian hidden units, dropout, a softmax layer."""
    from skclassify._compat._keras import import_keras
    from skclassify.activations import get_activation

    keras = import_keras()
    return keras.Sequential(
        [
            keras.Input((meta["n_features_in_"],)),
            keras.layers.Dense(hidden, activation=get_activation("gaussian")),
            keras.layers.Dropout(0.1),
            keras.layers.Dense(meta["n_classes_"]),
            keras.layers.Activation("softmax"),
        ]
    )


def build_branches(meta):
    from skclassify._compat._keras import import_keras

    keras = import_keras()
    inputs = keras.Input((meta["n_features_in_"],))
    merged = keras.layers.Add()(
        [keras.layers.Dense(4)(inputs), keras.layers.Dense(4)(inputs)]
    )
    outputs = keras.layers.Dense(meta["n_classes_"], activation="softmax")(merged)
    return keras.Model(inputs, outputs)


@pytest.fixture(scope="module")
def keras_pipeline():
    """A ColumnTransformer, then a KerasClassifier's Dense stack."""
    X, y, X_test = _data("multiclass")
    columns = ColumnTransformer(
        [("scaled", StandardScaler(), [0, 1]), ("kept", "passthrough", [2, 3])]
    )
    estimator = KerasClassifier(build_stack, epochs=3, random_state=0)
    pipeline = make_pipeline(columns, estimator)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        pipeline.fit(X, y)
    return pipeline, X_test


def test_keras_classifier_dense_stack_converts(keras_pipeline):
    assert_onnx_matches(*keras_pipeline)


@pytest.mark.slow
@pytest.mark.parametrize("kind, loss", [("binary", "hinge"), ("multilabel", None)])
def test_keras_classifier_functional_chain_converts(kind, loss):
    def build(meta):
        from skclassify._compat._keras import import_keras

        keras = import_keras()
        inputs = keras.Input((meta["n_features_in_"],))
        hidden = keras.layers.Dense(5, activation="elu")(inputs)
        units = 1 if loss == "hinge" else meta["n_classes_"]
        out = "tanh" if loss == "hinge" else "sigmoid"
        return keras.Model(inputs, keras.layers.Dense(units, activation=out)(hidden))

    estimator = KerasClassifier(build, loss=loss, epochs=3, random_state=0)
    assert_onnx_matches(*_fit(estimator, kind))


def test_other_keras_models_raise_a_clear_error():
    pipeline, X_test = _fit(KerasClassifier(build_branches, epochs=1), "binary")
    with pytest.raises(ValueError, match="not a simple chain.*save_keras"):
        skl2onnx.to_onnx(pipeline, X_test[:1])


# -- persistence ---------------------------------------------------------------------
def test_skops_round_trip_of_an_mlp_pipeline(binary_mlp):
    pipeline, X_test = binary_mlp
    names = trusted_types(pipeline)
    assert names == [
        "skclassify.estimators._mlp.KerasMLPClassifier",
        "skclassify.model._spec.NetSpec",
        "skclassify.objectives._target.LossTargetEncoder",
    ]
    loaded = sio.loads(sio.dumps(pipeline), trusted=names)
    np.testing.assert_array_equal(
        loaded.predict_proba(X_test), pipeline.predict_proba(X_test)
    )
    np.testing.assert_array_equal(loaded.predict(X_test), pipeline.predict(X_test))


def test_skops_round_trip_of_a_keras_classifier_pipeline(keras_pipeline):
    pipeline, X_test = keras_pipeline
    names = trusted_types(pipeline)
    assert f"{build_stack.__module__}.build_stack" in names  # the builder
    assert {name.split(".")[0] for name in names} == {
        "skclassify",
        build_stack.__module__.split(".")[0],
    }
    loaded = sio.loads(sio.dumps(pipeline), trusted=names)
    np.testing.assert_array_equal(
        loaded.predict_proba(X_test), pipeline.predict_proba(X_test)
    )
    np.testing.assert_array_equal(loaded.predict(X_test), pipeline.predict(X_test))


def test_keras_model_parameter_points_to_the_keras_format(keras_pipeline, tmp_path):
    pipeline, X_test = keras_pipeline
    fitted = pipeline[-1]
    X = pipeline[0].transform(_data("multiclass")[0])
    estimator = KerasClassifier(fitted.model_, epochs=1, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        estimator.fit(X, _data("multiclass")[1])
    with pytest.raises(TypeError, match="save_keras"):
        trusted_types(estimator)
    loaded = load_keras(save_keras(estimator, tmp_path / "clf"))
    X_new = pipeline[0].transform(X_test)
    np.testing.assert_array_equal(
        loaded.predict_proba(X_new), estimator.predict_proba(X_new)
    )


def test_keras_format_round_trip(keras_pipeline, tmp_path):
    pipeline, X_test = keras_pipeline
    estimator, X_new = pipeline[-1], pipeline[0].transform(X_test)
    folder = save_keras(estimator, tmp_path / "clf")
    assert sorted(p.name for p in folder.iterdir()) == [
        "estimator.skops",
        "model.keras",
    ]
    loaded = load_keras(folder)
    np.testing.assert_array_equal(
        loaded.predict_proba(X_new), estimator.predict_proba(X_new)
    )
    np.testing.assert_array_equal(loaded.predict(X_new), estimator.predict(X_new))
    assert loaded.model is not None and loaded.get_params()["epochs"] == 3


def test_save_keras_takes_a_keras_classifier(binary_mlp, tmp_path):
    with pytest.raises(TypeError, match="KerasClassifier"):
        save_keras(binary_mlp[0][-1], tmp_path / "mlp")


@pytest.mark.slow
def test_keras_format_loads_without_the_builder(keras_pipeline, tmp_path):
    """A fresh process that cannot import the builder loads and predicts."""
    pipeline, X_test = keras_pipeline
    estimator, X_new = pipeline[-1], pipeline[0].transform(X_test)
    save_keras(estimator, tmp_path / "clf")
    np.save(tmp_path / "X.npy", X_new)
    np.save(tmp_path / "expected.npy", estimator.predict_proba(X_new))
    code = textwrap.dedent(
        """
        import numpy as np
        from skclassify.export import load_keras
        clf = load_keras("clf")
        got = clf.predict_proba(np.load("X.npy"))
        assert np.array_equal(got, np.load("expected.npy")), got
        """
    )
    subprocess.run([sys.executable, "-c", code], cwd=tmp_path, check=True)


def test_importing_skclassify_imports_no_export_dependency():
    code = (
        "import sys, skclassify, skclassify.estimators, skclassify.objectives;"
        "print(sorted(m for m in ('skl2onnx', 'onnx', 'onnxruntime', 'skops')"
        " if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"
