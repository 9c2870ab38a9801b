"""``make bench``: the speed of every implementation (:mod:`.speed`), a sweep's runs per minute
(:mod:`.sweep`), and the LSTM's update against the machine's own matrix product (:mod:`.limit`)."""

from .limit import table as limit_table
from .speed import benchmark, check, minibatch_throughput
from .sweep import sweep_throughput

__all__ = ["benchmark", "check", "limit_table", "minibatch_throughput", "sweep_throughput"]
