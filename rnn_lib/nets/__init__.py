"""The networks, above ``text``: parameters, forward pass, loss and backpropagation, and what acts on them.

The six ``loss_and_grads``, and why each exists:
``rnn`` is the assignment's vanilla RNN on one text, the function the report explains;
``rnn_batched`` is the same RNN on B streams side by side (B = 1 gives ``rnn``'s numbers);
``lstm`` is the LSTM on B streams; ``reference`` writes both networks' equations literally,
one one-hot column at a time, as the tests' oracle; and :mod:`rnn_lib.training.compiled` is the
compiled copy of ``rnn`` that training runs. ``registry`` reaches the two networks by name;
``optim`` clips and steps, ``gradcheck`` compares gradients with centred differences, ``sample`` writes,
``memory`` estimates what training will take before anything is allocated.
"""
