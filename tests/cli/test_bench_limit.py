"""make bench against the machine's limit: the LSTM update's operations, counted again by running it."""

import numpy as np
import pytest

from rnn_lib.bench import limit
from rnn_lib.nets import lstm, optim
from rnn_lib.nets.rnn_batched import output_loss_and_grads


class Counted(np.ndarray):
    """An array that counts the floating-point operations done on it: a matrix product's multiply-adds as
    two each, every element an element-wise operation or a reduction writes or reads as one."""

    flops = 0

    def __array_ufunc__(self, ufunc, method, *inputs, out=None, **kwargs):
        plain = [x.view(np.ndarray) if isinstance(x, Counted) else x for x in inputs]
        if out is not None:
            kwargs["out"] = tuple(o.view(np.ndarray) if isinstance(o, Counted) else o for o in out)
        result = getattr(ufunc, method)(*plain, **kwargs)
        if ufunc is np.matmul:
            Counted.flops += 2 * np.size(plain[0]) * np.shape(plain[1])[-1]
        elif method == "reduce":
            Counted.flops += np.size(plain[0])
        elif method == "at":  # np.add.at(a, indices, values)
            Counted.flops += np.size(plain[2])
        else:
            Counted.flops += np.size(result)
        if out is not None:
            return out[0] if len(out) == 1 else out
        return result.view(Counted) if isinstance(result, np.ndarray) else result


def _counting(params):
    return type(params)(*(a.view(Counted) for a in params))


def _count(run):
    Counted.flops = 0
    run()
    return Counted.flops


@pytest.mark.parametrize("m, K, B, T", [(100, 65, 1, 25), (100, 65, 4, 25), (256, 65, 32, 25)])
def test_the_operations_counted_are_those_the_update_does(m, K, B, T):
    rng = np.random.default_rng(0)
    params = lstm.init_params(K, m, rng)
    X, Y = rng.integers(0, K, (B, T)), rng.integers(0, K, (B, T))
    P, state = _counting(params), lstm.State(*(a.view(Counted) for a in lstm.zero_state(B, m)))
    H = lstm.hidden_states(P, X, state)[0]
    forward = _count(lambda: lstm.hidden_states(P, X, state))
    output = _count(lambda: output_loss_and_grads(P, H, Y))
    whole = _count(lambda: lstm.loss_and_grads(P, X, Y, state))
    grads = _counting(lstm.loss_and_grads(params, X, Y, lstm.zero_state(B, m))[1])
    memory = {k: v if k == "t" else _counting(v) for k, v in optim.init_state("adam", params).items()}
    step = _count(lambda: optim.adam(P, optim.clip(grads), memory))
    counted = {"forward": forward, "output": output, "backward": whole - forward - output, "optimizer": step}
    formula = limit.update_flops(m, K, B, T)
    for part in limit.PARTS:
        assert formula[part] == pytest.approx(counted[part], rel=0.01), part


def test_the_table_prints_every_row_against_the_limit(capsys):
    measured = limit.table(sizes=(8,), batches=(1, 4), dtypes=("float64",), K=5, T=5, rounds=1)
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].startswith("the limit: a (1024, 1024) matrix product on one thread, ")
    assert [(r["m"], r["B"], r["dtype"]) for r in measured["rows"]] == [(8, 1, "float64"), (8, 4, "float64")]
    assert len(lines) == 3 + len(measured["rows"]) and measured["limit"]["float64"] > 0
    for row in measured["rows"]:
        assert set(row["gflops"]) == {*limit.PARTS, "whole update"} and all(v > 0 for v in row["gflops"].values())
    backward = "compiled by numba" if measured["compiled"] else "NumPy's"
    assert f"the backward pass {backward}:" in lines[1] and measured["compiled"] == limit.compiled_backward()
