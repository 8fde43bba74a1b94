#!/usr/bin/python3
"""Golden fixture for BERT Studio's linear baseline (src/train/baseline/), written by scikit-learn.

The baseline is TF-IDF over hashed word 1-2-grams and char_wb 3-5-grams, then logistic regression (binary for
two classes, multinomial for more) or ridge regression. Here sklearn fits the same pipeline on small fixed
datasets and records what the TypeScript must reproduce:

- MurmurHash3 values of a few strings (sklearn.utils.murmurhash3_32, seed 0, signed);
- the TF-IDF rows of the binary task's training and validation texts (hashed column, value), from
  HashingVectorizer(n_features=2**bits, alternate_sign=False, norm=None) + TfidfTransformer() per analyzer,
  side by side as a FeatureUnion would put them;
- validation probabilities of LogisticRegression(C) and predictions of Ridge(alpha), each at its objective's
  minimum (checked through the gradient), not at a stopping point of a solver;
- the validation metrics (accuracy, macro-F1; RMSE, Pearson's r) computed by sklearn and scipy.

The 3-class task has a validation row whose label no training row has, so the reference also covers a class
the model can never predict (sklearn's macro-F1 averages over the labels in y_true or y_pred, as ours does).

Usage (Debian's python3-sklearn lives under /usr/bin/python3):
  /usr/bin/python3 tools/reference/make_baseline_fixture.py    # rewrites tools/reference/fixtures/baseline/golden.json
"""

import json
import os

import numpy as np
import scipy.sparse as sp
from scipy.special import expit, softmax
from scipy.stats import pearsonr
from sklearn import __version__ as sklearn_version
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.metrics import accuracy_score, f1_score, mean_squared_error
from sklearn.utils import murmurhash3_32

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, 'fixtures', 'baseline', 'golden.json')
C = 1.0
ALPHA = 1.0
# Columns per analyzer as src/train/baseline/fitBaseline.ts picks them (hashBitsFor): 2^18 for binary and
# regression, 2^16 for three classes (weights x classes within 2^19).
BITS = {'binary': 18, 'multiclass': 16, 'regression': 18}

BINARY_TRAIN = [
    ('The pasta was fresh and the sauce tasted homemade.', 'positive'),
    ('We waited forty minutes for cold soup.', 'negative'),
    ('Friendly staff, quick service, great coffee!', 'positive'),
    ('The room smelled of smoke and the sheets were stained.', 'negative'),
    ('Absolutely loved it; would come back tomorrow.', 'positive'),
    ('Rude waiter. Never again.', 'negative'),
    ('A naïve little café with the best croissants in town.', 'positive'),
    ('Überteuert und laut — the music was far too loud.', 'negative'),
    ('Great value, great view, great people.', 'positive'),
    ('The battery died after two days', 'negative'),
    ('Works perfectly 👍 and arrived early', 'positive'),
    ('broken on arrival.\tbox crushed', 'negative'),
    ('', 'negative'),
    ('!!!', 'positive'),
    ('I', 'positive'),
    ('a b c d e', 'negative'),
    ('Σίσυφος would have enjoyed this climb: lovely trail', 'positive'),
    ('Customer service hung up on me twice', 'negative'),
    ('The   spacing    is   odd   but   the   food   is   good', 'positive'),
    ('bad bad bad bad bad', 'negative'),
    ('good good good', 'positive'),
    ('Not good, not terrible, mostly bad', 'negative'),
    ('snake_case_words and 1234 numbers 12 3', 'positive'),
    ('Delivery took 3 weeks and the item was wrong', 'negative'),
]
BINARY_VALIDATION = [
    ('Fresh pasta and friendly staff', 'positive'),
    ('cold soup and rude staff', 'negative'),
    ('Completely unseen vocabulary: zyxwv qwerty', 'positive'),
    ('', 'negative'),
    ('great great coffee', 'positive'),
    ('The battery was broken', 'negative'),
    ('Café naïve über straße', 'positive'),
    ('never again, never', 'negative'),
]

MULTICLASS_TRAIN = [
    ('The home team scored twice in the final minutes.', 'sports'),
    ('The striker signed a new contract with the club.', 'sports'),
    ('A late goal won the derby for the visitors.', 'sports'),
    ('The coach praised the defence after the match.', 'sports'),
    ('Astronomers spotted a comet near Jupiter.', 'science'),
    ('The vaccine trial reported strong results.', 'science'),
    ('Physicists measured the particle mass again.', 'science'),
    ('A new species of frog was found in the rainforest.', 'science'),
    ('Shares fell after the quarterly earnings report.', 'business'),
    ('The bank raised interest rates by half a point.', 'business'),
    ('The startup raised money from investors.', 'business'),
    ('Oil prices climbed as supply tightened.', 'business'),
    ('', 'business'),
]
MULTICLASS_VALIDATION = [
    ('The team scored a late goal.', 'sports'),
    ('Astronomers measured the comet.', 'science'),
    ('Interest rates and shares fell.', 'business'),
    ('Whisk the eggs and fold in the flour.', 'cooking'),
    ('The club raised money from investors.', 'business'),
    ('A new frog species near the match.', 'science'),
]

REGRESSION_TRAIN = [
    ('Terrible, broken, awful.', 1.0),
    ('Bad service and cold food.', 1.5),
    ('Not great, not awful.', 3.0),
    ('Fine. It works.', 3.2),
    ('Pretty good overall', 3.9),
    ('Good food, friendly staff.', 4.1),
    ('Great!', 4.6),
    ('Absolutely wonderful, perfect stay.', 5.0),
    ('', 2.8),
    ('Awful awful awful', 0.5),
    ('Wonderful wonderful', 4.8),
    ('Mediocre coffee, nice view', 3.1),
]
REGRESSION_VALIDATION = [
    ('Good and friendly', 4.0),
    ('Broken and awful', 1.2),
    ('It works, mostly', 3.3),
    ('Perfect!', 4.9),
    ('', 3.0),
]

HASHED_STRINGS = ['', 'a', 'ab', 'abc', 'abcd', 'abcde', ' the ', 'hello world', 'naïve', 'über', '👍', 'Σίσυφος']


def features(bits, train_texts, validation_texts):
    """Fitted TF-IDF of both analyzers, hstacked; returns the train and validation matrices (CSR)."""
    blocks = []
    for kwargs in (dict(analyzer='word', ngram_range=(1, 2)), dict(analyzer='char_wb', ngram_range=(3, 5))):
        hashing = HashingVectorizer(n_features=2 ** bits, alternate_sign=False, norm=None, **kwargs)
        tfidf = TfidfTransformer()
        train = tfidf.fit_transform(hashing.transform(train_texts))
        blocks.append((train, tfidf.transform(hashing.transform(validation_texts))))
    train = sp.hstack([b[0] for b in blocks]).tocsr()
    validation = sp.hstack([b[1] for b in blocks]).tocsr()
    return train, validation


def sparse_rows(matrix):
    """Each row as {"columns": [...], "values": [...]}, columns ascending."""
    matrix = matrix.tocsr()
    matrix.sort_indices()
    rows = []
    for r in range(matrix.shape[0]):
        start, end = matrix.indptr[r], matrix.indptr[r + 1]
        rows.append({'columns': matrix.indices[start:end].tolist(),
                     'values': [float(f'{v:.12g}') for v in matrix.data[start:end]]})
    return rows


def logistic(X, y):
    """The objective's minimum, which any correct solver reaches. Not lbfgs: scipy stops it on a relative drop of
    the objective (ftol 2.2e-9, which sklearn does not expose) about 1e-5 short of the minimum here; newton-cg
    minimises the same objective to a gradient of about 5e-10, checked below."""
    model = LogisticRegression(C=C, solver='newton-cg', tol=1e-9, max_iter=1000).fit(X, y)
    assert objective_gradient_max(model, X, y) < 1e-8, 'the logistic fit is not at the minimum'
    return model


def objective_gradient_max(model, X, y):
    """max |gradient| of sklearn's objective 0.5*||W||^2 + C * sum(log-loss), intercepts unpenalised."""
    scores = X @ model.coef_.T + model.intercept_
    if model.coef_.shape[0] == 1:  # binary: one vector, the log-odds of classes_[1]
        residual = (expit(scores[:, 0]) - (y == model.classes_[1]))[:, None]
    else:
        residual = softmax(scores, axis=1) - (y[:, None] == model.classes_[None, :])
    grad_w = C * (X.T @ residual).T + model.coef_
    grad_b = C * residual.sum(axis=0)
    return max(np.abs(grad_w).max(), np.abs(grad_b).max())


def classification_case(name, train, validation, labels, with_features):
    texts, y = [t for t, _ in train], np.array([labels.index(l) for _, l in train])
    val_texts, val_y = [t for t, _ in validation], np.array([labels.index(l) for _, l in validation])
    X, X_val = features(BITS[name], texts, val_texts)
    model = logistic(X, y)
    predicted = model.predict(X_val)
    case = {
        'bits': BITS[name],
        'labels': labels,
        'train': {'texts': texts, 'targets': y.tolist()},
        'validation': {'texts': val_texts, 'targets': val_y.tolist()},
        'classes': model.classes_.tolist(),
        'probabilities': model.predict_proba(X_val).tolist(),
        'predictions': predicted.tolist(),
        'accuracy': accuracy_score(val_y, predicted),
        'macro_f1': f1_score(val_y, predicted, average='macro'),
    }
    if with_features:
        case['tfidf'] = {'train': sparse_rows(X), 'validation': sparse_rows(X_val)}
    return case


def regression_case(train, validation):
    texts, y = [t for t, _ in train], np.array([v for _, v in train])
    val_texts, val_y = [t for t, _ in validation], np.array([v for _, v in validation])
    X, X_val = features(BITS['regression'], texts, val_texts)
    # Dense with the Cholesky solver: the exact ridge solution (X and y centred for the intercept).
    model = Ridge(alpha=ALPHA, solver='cholesky').fit(X.toarray(), y)
    predicted = model.predict(X_val.toarray())
    return {
        'bits': BITS['regression'],
        'train': {'texts': texts, 'targets': y.tolist()},
        'validation': {'texts': val_texts, 'targets': val_y.tolist()},
        'predictions': predicted.tolist(),
        'rmse': float(np.sqrt(mean_squared_error(val_y, predicted))),
        'pearson': float(pearsonr(predicted, val_y)[0]),
    }


def main():
    fixture = {
        'generator': f'tools/reference/make_baseline_fixture.py (scikit-learn {sklearn_version})',
        'C': C,
        'alpha': ALPHA,
        'murmurhash3': {s: murmurhash3_32(s, seed=0) for s in HASHED_STRINGS},
        'binary': classification_case('binary', BINARY_TRAIN, BINARY_VALIDATION, ['negative', 'positive'], True),
        'multiclass': classification_case('multiclass', MULTICLASS_TRAIN, MULTICLASS_VALIDATION,
                                          ['business', 'cooking', 'science', 'sports'], False),
        'regression': regression_case(REGRESSION_TRAIN, REGRESSION_VALIDATION),
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, 'w', encoding='utf-8') as f:
        json.dump(fixture, f, ensure_ascii=False, indent=1)
        f.write('\n')
    print(f'wrote {OUT}')


if __name__ == '__main__':
    main()
