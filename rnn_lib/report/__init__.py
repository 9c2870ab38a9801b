"""The report, the top layer: nothing below imports it. Its parameters (``parameters``) and runs (``runs``),
fair comparisons (``compare``), one module of sentences per chapter (``chapters``, named after the notebooks)
and the words they share (``sentences``), tables and passages (``display``), figures (``plots``), the slider
(``slider``), the PDF (``pdf``) and the build that makes it (``build``, run as ``python -m rnn_lib.report``)."""
