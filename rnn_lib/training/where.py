"""Where independent runs go, declared once: the setting of train --seeds, the report builder and the notebooks."""

import dataclasses

from .options import check, setting


@dataclasses.dataclass
class Cluster:
    """Where independent runs go (train --seeds, the report's runs): docs/clusters.md."""

    cluster: str = setting(
        "local",
        "where independent runs go: local (worker processes here), a running Dask "
        "scheduler's address (tcp://host:8786), or slurm (Slurm jobs through dask-jobqueue)",
    )
    slurm_cores: int = setting(1, "with --cluster slurm: cores of each Slurm job, one run on each", minimum=1)
    slurm_memory: str = setting("2GB", "with --cluster slurm: memory of each Slurm job")
    slurm_walltime: str = setting("01:00:00", "with --cluster slurm: time limit of each Slurm job")
    slurm_account: str = setting(None, "with --cluster slurm: the account charged for the jobs", type=str)

    def validate(self):
        """Raise ValueError for a --cluster that is neither local, slurm nor a scheduler's address; returns self."""
        check(self)
        if self.cluster not in ("local", "slurm") and "://" not in self.cluster:
            raise ValueError(f"--cluster must be local, slurm or a Dask scheduler's address such as tcp://host:8786 "
                             f"(got {self.cluster!r})")  # fmt: skip
        return self

    @classmethod
    def of(cls, values):
        """The Cluster of the settings among ``values`` (a dict, the report's parameters say)."""
        return cls(**{f.name: values[f.name] for f in dataclasses.fields(cls) if f.name in values})
