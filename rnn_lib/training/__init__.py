"""One run and many, above ``evaluation``: every setting declared once (``settings``, through ``options``),
the state (``state``), one readable update (``update``) and its compiled copy (``compiled``), the engine
that runs them (``engines``), the loop (``loop``) over the text it reads (``run_text``), the checkpoints
(``checkpoint``, ``checkpoint_checks``, ``checkpoint_records``), the run folder (``run_folder``, ``atomic``),
signals (``interrupt``), independent runs on every core (``pool``) and writing with a trained run (``sampling``)."""
